from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "cityhall.staff"
    label = "staff"
    verbose_name = "運営"
