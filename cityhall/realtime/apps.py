from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "cityhall.realtime"
    label = "realtime"
    verbose_name = "リアルタイム"
