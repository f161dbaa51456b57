from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "cityhall.members"
    label = "members"
    verbose_name = "会員"
