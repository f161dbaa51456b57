from django.urls import path

from cityhall.moderation import staff_views

app_name = "staff_moderation"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:case_id>/", staff_views.case_detail, name="case"),
    path("<int:case_id>/decide/", staff_views.decide, name="decide"),
]
