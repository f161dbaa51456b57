"""FAQ entries that came from study sessions, as counted by the app that keeps them.

The FAQ app sits above events: it provides its counts from its AppConfig.ready() with
`provide_counts()`. Until one is provided, every count is 0 and pages show no FAQ link.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cityhall.events.models import Event, EventSeries


@dataclass(frozen=True)
class FaqCounts:
    of_event: Callable[[Event], int]  # published entries whose source is the session
    of_series: Callable[[EventSeries], int]  # published entries from any of the series' sessions


_provided: list[FaqCounts] = []


def provide_counts(counts: FaqCounts) -> None:
    """Set how FAQ entries are counted; providing again replaces the previous one."""
    _provided[:] = [counts]


def count_for_event(event: Event) -> int:
    return _provided[0].of_event(event) if _provided else 0


def count_for_series(series: EventSeries) -> int:
    return _provided[0].of_series(series) if _provided else 0
