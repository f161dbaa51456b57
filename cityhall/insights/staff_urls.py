from django.urls import path

app_name = "staff_insights"
urlpatterns: list = []
