from django.urls import path

from cityhall.interface import profile_views

app_name = "profiles"
urlpatterns = [
    path("me/edit/", profile_views.edit, name="edit"),
    path("<int:user_id>/", profile_views.detail, name="detail"),
    path("<int:user_id>/photo/", profile_views.photo, name="photo"),
]
