from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "cityhall.events"
    label = "events"
    verbose_name = _("勉強会・イベント")

    def ready(self) -> None:
        from cityhall.events import briefing, jobs  # noqa: F401 - registers the periodic jobs

        briefing.register_checklist_item()
