from django.urls import path

from cityhall.insights import staff_views

app_name = "staff_insights"
urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("export/<slug:table>.<slug:format>/", staff_views.export, name="export"),
]
