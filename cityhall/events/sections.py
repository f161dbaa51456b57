"""A section's regular meetings and next sessions, for its page."""

from dataclasses import dataclass

from cityhall.accounts.models import User
from cityhall.events import access
from cityhall.events.models import Event, EventSeries
from cityhall.sections.models import Section

UPCOMING_SHOWN = 3


@dataclass(frozen=True)
class SectionMeetings:
    series: list[tuple[EventSeries, Event | None]]  # each regular meeting and its next session
    one_offs: list[Event]  # upcoming sessions that belong to no series


def section_meetings(user: User, section: Section) -> SectionMeetings:
    """What the viewer may see of the section's study sessions, in three queries."""
    series = list(access.visible_series(user).active().filter(section=section).order_by("title"))
    upcoming = list(
        access.visible_events(user)
        .scheduled()
        .upcoming()
        .filter(section=section)
        .select_related("series")[:50]
    )
    next_of: dict[int, Event] = {}
    for event in upcoming:
        if event.series_id is not None:
            next_of.setdefault(event.series_id, event)
    return SectionMeetings(
        series=[(s, next_of.get(s.pk)) for s in series],
        one_offs=[e for e in upcoming if e.series_id is None][:UPCOMING_SHOWN],
    )
