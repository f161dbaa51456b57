from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "cityhall.moderation"
    label = "moderation"
    verbose_name = _("報告と対応")
