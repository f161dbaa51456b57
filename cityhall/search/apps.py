from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cityhall.search"
    label = "search"
    verbose_name = _("検索")

    def ready(self) -> None:
        # The kinds this app indexes, the signals that keep them current, the catch-up.
        from cityhall.search import (  # noqa: F401
            jobs,
            kinds,
            kinds_broadcasts,
            kinds_events,
            kinds_knowledge,
            signals,
        )
