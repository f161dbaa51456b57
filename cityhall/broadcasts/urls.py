from django.urls import path

from cityhall.broadcasts import rtmp_views, views

app_name = "broadcasts"
urlpatterns = [
    path("", views.timetable, name="timetable"),
    path("programmes/new/", views.new_programme, name="new_programme"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("programmes/<slug:slug>/edit/", views.edit_programme, name="edit_programme"),
    path("programmes/<slug:slug>/archive/", views.archive_programme, name="archive_programme"),
    path("programmes/<slug:slug>/cover/", views.cover, name="cover"),
    path("programmes/<slug:slug>/follow/", views.follow, name="follow"),
    path("programmes/<slug:slug>/rotate-key/", views.rotate_key, name="rotate_key"),
    path("programmes/<slug:slug>/episodes/new/", views.new_episode, name="new_episode"),
    path("episodes/<int:episode_id>/", views.episode, name="episode"),
    path("episodes/<int:episode_id>/edit/", views.edit_episode, name="edit_episode"),
    path("episodes/<int:episode_id>/cancel/", views.cancel_episode, name="cancel_episode"),
    path("episodes/<int:episode_id>/comments/", views.comments, name="comments"),
    path("episodes/<int:episode_id>/comments/new/", views.post_comment, name="post_comment"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    path("comments/<int:comment_id>/mute/", views.mute, name="mute"),
    path("episodes/<int:episode_id>/archive/", views.archive_media, name="archive_media"),
    path("episodes/<int:episode_id>/archive/audio/", views.archive_audio, name="archive_audio"),
    path("episodes/<int:episode_id>/played/", views.played, name="played"),
    path("rtmp/publish/", rtmp_views.publish, name="rtmp_publish"),
    path("rtmp/publish-done/", rtmp_views.publish_done, name="rtmp_publish_done"),
    path("rtmp/record-done/", rtmp_views.record_done, name="rtmp_record_done"),
    path("hls-auth/", rtmp_views.hls_auth, name="hls_auth"),
]
