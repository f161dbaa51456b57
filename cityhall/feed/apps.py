from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "cityhall.feed"
    label = "feed"
    verbose_name = _("ホームフィード")

    def ready(self) -> None:
        from cityhall.feed import jobs  # noqa: F401 - registers the periodic jobs
