from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every domain uses and none owns; for now, running and deploying the site."""

    name = "cityhall.core"
    label = "core"
    verbose_name = _("基盤")
