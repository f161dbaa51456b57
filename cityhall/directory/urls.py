from django.urls import path

from cityhall.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("duties/", views.duties, name="duties"),
    path("duties/<int:duty_id>/", views.duty, name="duty"),
]
