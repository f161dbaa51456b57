from django.urls import path

from cityhall.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("similar/", views.suggest, name="suggest"),
]
