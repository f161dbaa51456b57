from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cityhall.core import figures


class EventsConfig(AppConfig):
    name = "cityhall.events"
    label = "events"
    verbose_name = _("勉強会・イベント")

    def ready(self) -> None:
        from cityhall.events import briefing, jobs  # noqa: F401 - registers the periodic jobs
        from cityhall.events.models import Event
        from cityhall.events.sections import section_meetings
        from cityhall.sections.panels import register_panel

        briefing.register_checklist_item()
        # A section's regular meetings and next sessions, on its page.
        register_panel(
            "meetings",
            lambda viewer, section, reads_posts: {"meetings": section_meetings(viewer, section)},
        )
        # The landing page's "study sessions held": sessions that took place (ended, not
        # cancelled), counted with the other headline figures and cached with them.
        figures.register_count(
            "sessions", _("開催した勉強会"), lambda: Event.objects.scheduled().past().count()
        )
