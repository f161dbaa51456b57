from django.urls import path

from cityhall.organizations import views

app_name = "organizations"
urlpatterns = [
    path("search/", views.search, name="search"),
]
