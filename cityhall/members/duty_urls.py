from django.urls import path

from cityhall.members import duty_views

app_name = "staff_duties"
urlpatterns = [
    path("", duty_views.duty_list, name="list"),
    path("new/", duty_views.duty_create, name="create"),
    path("<int:duty_id>/edit/", duty_views.duty_edit, name="edit"),
    path("<int:duty_id>/active/", duty_views.duty_set_active, name="set_active"),
]
