from django.urls import path

from cityhall.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("prefectures/<str:code>/", views.prefecture, name="prefecture"),
    path("mine/", views.mine, name="mine"),
]
