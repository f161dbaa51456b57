from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cityhall.broadcasts.players import PLAYER_ORIGINS
from cityhall.core.headers import allow_frames_from


class BroadcastsConfig(AppConfig):
    name = "cityhall.broadcasts"
    label = "broadcasts"
    verbose_name = _("庁内放送")

    def ready(self) -> None:
        from cityhall.broadcasts import jobs  # noqa: F401 - registers the periodic jobs

        allow_frames_from(PLAYER_ORIGINS)  # pages may frame these players (frame-src)
