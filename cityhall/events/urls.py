from django.urls import path

from cityhall.events import agenda_views, attendance_views, manage_views, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("briefing/", views.briefing_next, name="briefing"),
    path("settings/", views.calendar_settings, name="settings"),
    path("settings/feed/", views.feed_regenerate, name="feed_regenerate"),
    path("settings/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("figures/", attendance_views.staff_figures, name="figures"),
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
    path("<int:event_id>/agenda/", agenda_views.agenda, name="agenda"),
    path("agenda/<int:item_id>/vote/", agenda_views.agenda_vote, name="agenda_vote"),
    path("agenda/<int:item_id>/decide/", agenda_views.agenda_decide, name="agenda_decide"),
    path("<int:event_id>/check-in/", attendance_views.check_in, name="check_in"),
    path("<int:event_id>/attendance/", attendance_views.attendance_mark, name="attendance_mark"),
    path(
        "<int:event_id>/attendance/import/",
        attendance_views.attendance_import,
        name="attendance_import",
    ),
    path(
        "<int:event_id>/attendance/import/confirm/",
        attendance_views.attendance_import_confirm,
        name="attendance_import_confirm",
    ),
]
