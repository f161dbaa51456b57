from django.urls import path

from cityhall.sections import staff_views

app_name = "staff_sections"
urlpatterns = [
    path("", staff_views.health, name="health"),
    path("new/", staff_views.create, name="create"),
    path("<slug:slug>/edit/", staff_views.edit, name="edit"),
    path("<slug:slug>/archive/", staff_views.archive, name="archive"),
    path("<slug:slug>/roles/", staff_views.roles, name="roles"),
]
