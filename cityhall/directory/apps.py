from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "cityhall.directory"
    verbose_name = "Member directory"
