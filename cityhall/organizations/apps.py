from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "cityhall.organizations"
    label = "organizations"
    verbose_name = "団体"
