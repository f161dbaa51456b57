from django.urls import path

from cityhall.broadcasts.consumers import EpisodeConsumer
from cityhall.realtime.consumers import PostConsumer, PresenceConsumer

websocket_urlpatterns = [
    path("ws/presence/", PresenceConsumer.as_asgi()),
    path("ws/posts/<int:post_id>/", PostConsumer.as_asgi()),
    path("ws/episodes/<int:episode_id>/", EpisodeConsumer.as_asgi()),
]
