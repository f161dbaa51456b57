"""The site's WebSocket URLs, beside cityhall/urls.py: each app's consumers, gathered here."""

from django.urls import path

from cityhall.broadcasts.consumers import EpisodeConsumer
from cityhall.posts.consumers import PostConsumer
from cityhall.realtime.consumers import PresenceConsumer

websocket_urlpatterns = [
    path("ws/presence/", PresenceConsumer.as_asgi()),
    path("ws/posts/<int:post_id>/", PostConsumer.as_asgi()),
    path("ws/episodes/<int:episode_id>/", EpisodeConsumer.as_asgi()),
]
