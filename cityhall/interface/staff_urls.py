from django.urls import path

from cityhall.interface import views

app_name = "staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
]
