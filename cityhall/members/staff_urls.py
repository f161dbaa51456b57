from django.urls import path

from cityhall.members import staff_views

app_name = "staff_applications"
urlpatterns = [
    path("", staff_views.application_list, name="list"),
    path("queue/", staff_views.application_queue, name="queue"),
    path("<int:application_id>/", staff_views.application_detail, name="detail"),
    path("<int:application_id>/approve/", staff_views.approve, name="approve"),
    path("<int:application_id>/reject/", staff_views.reject, name="reject"),
    path(
        "<int:application_id>/request-information/",
        staff_views.request_information,
        name="request_information",
    ),
]
