from django.urls import path

from cityhall.events import manage_views, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("briefing/", views.briefing_next, name="briefing"),
    path("settings/", views.calendar_settings, name="settings"),
    path("settings/feed/", views.feed_regenerate, name="feed_regenerate"),
    path("settings/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("new/", manage_views.event_new, name="new"),
    path("series/new/", manage_views.series_new, name="series_new"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("series/<slug:slug>/edit/", manage_views.series_edit, name="series_edit"),
    path("series/<slug:slug>/questions/", manage_views.series_questions, name="series_questions"),
    path(
        "questions/<int:question_id>/delete/", manage_views.question_delete, name="question_delete"
    ),
    path("<int:event_id>/", views.detail, name="detail"),
    path("<int:event_id>/event.ics", views.event_ics, name="ics"),
    path("<int:event_id>/register/", views.register, name="register"),
    path(
        "<int:event_id>/cancel-registration/", views.cancel_registration, name="cancel_registration"
    ),
    path("<int:event_id>/manage/", manage_views.manage, name="manage"),
    path("<int:event_id>/edit/", manage_views.event_edit, name="edit"),
    path("<int:event_id>/questions/", manage_views.event_questions, name="questions"),
    path("<int:event_id>/move/", manage_views.move, name="move"),
    path("<int:event_id>/cancel/", manage_views.cancel_event, name="cancel"),
]
