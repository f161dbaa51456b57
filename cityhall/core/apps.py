from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain uses and none owns: running and deploying the site, and the one-time
    keys that make a form sent twice write once (core.submissions)."""

    name = "cityhall.core"
    label = "core"
    verbose_name = _("基盤")

    def ready(self) -> None:
        from cityhall.core import jobs  # noqa: F401 - registers the periodic jobs
