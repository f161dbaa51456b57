from django.urls import path

app_name = "staff_duties"
urlpatterns: list = []
