from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from cityhall.members.signals import application_verified
        from cityhall.notifications import events, jobs  # noqa: F401 - registers the periodic jobs

        application_verified.connect(
            events.on_application_verified, dispatch_uid="notifications.application_verified"
        )
