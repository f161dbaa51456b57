from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from cityhall.notifications import jobs  # noqa: F401 - registers the periodic jobs
