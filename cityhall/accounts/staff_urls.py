from django.urls import path

app_name = "staff_members"
urlpatterns: list = []
