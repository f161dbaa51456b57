"""How lively each section is, for staff.

Activity means membership changes (joins and decisions) plus what other apps add with
`register_activity()` — posts and comments do, from cityhall/posts/activity.py. A source is a
function returning, for every section that has any, its latest activity time and its count of
activity in the window, in a fixed number of queries (GROUP BY section).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from cityhall.sections.models import Section, SectionMembership

WINDOW = timedelta(days=30)
DORMANT_AFTER = timedelta(days=60)

# section id → (latest activity, activity count in the window)
ActivitySource = Callable[[datetime], dict[int, tuple[datetime | None, int]]]
_SOURCES: dict[str, ActivitySource] = {}


def register_activity(key: str, source: ActivitySource) -> None:
    """Add an activity source (e.g. posts); registering the same key again replaces it."""
    _SOURCES[key] = source


def _membership_activity(since: datetime) -> dict[int, tuple[datetime | None, int]]:
    rows = (
        SectionMembership.objects.values("section_id")
        .annotate(
            latest=Max("created_at"),
            decided=Max("decided_at"),
            recent=Count("id", filter=Q(created_at__gte=since)),
        )
        .order_by()
    )
    result: dict[int, tuple[datetime | None, int]] = {}
    for row in rows:
        times = [t for t in (row["latest"], row["decided"]) if t is not None]
        result[row["section_id"]] = (max(times) if times else None, row["recent"])
    return result


register_activity("memberships", _membership_activity)


@dataclass(frozen=True)
class SectionHealth:
    section: Section
    members: int
    pending: int
    recent_activity: int  # in the last 30 days, over every source
    last_activity: datetime | None
    dormant: bool


def section_health(now: datetime | None = None) -> list[SectionHealth]:
    """Every section not archived, dormant ones first, then by name."""
    now = now or timezone.now()
    since = now - WINDOW
    sections = Section.objects.active().with_member_counts(pending=True)
    activity = [source(since) for source in _SOURCES.values()]
    rows = []
    for section in sections:
        latest: datetime | None = None
        recent = 0
        for found in activity:
            when, count = found.get(section.pk, (None, 0))
            recent += count
            if when is not None and (latest is None or when > latest):
                latest = when
        reference = latest or section.created_at
        rows.append(
            SectionHealth(
                section=section,
                members=section.member_count,  # type: ignore[attr-defined]
                pending=section.pending_count,  # type: ignore[attr-defined]
                recent_activity=recent,
                last_activity=latest,
                dormant=now - reference > DORMANT_AFTER,
            )
        )
    rows.sort(key=lambda r: (not r.dormant, r.section.name))
    return rows
