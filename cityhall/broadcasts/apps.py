from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastsConfig(AppConfig):
    name = "cityhall.broadcasts"
    label = "broadcasts"
    verbose_name = _("庁内放送")

    def ready(self) -> None:
        from cityhall.broadcasts import jobs  # noqa: F401 - registers the periodic jobs
