"""Broadcast figures for staff: per programme, what aired, who watched live, who caught up."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from cityhall.broadcasts.models import ArchivePlay, LiveComment, Programme


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: str
    episodes: int  # aired: ended and not cancelled
    peak_viewers: int  # the most at once, over all its episodes
    average_peak: float | None  # per aired episode
    comments: int
    archive_listeners: int  # members who played an archive (each counted once per episode)


def programme_figures() -> list[ProgrammeFigures]:
    """Every programme by title, in three queries."""
    now = timezone.now()
    aired = Q(episodes__ends_at__lte=now, episodes__cancelled_at=None)
    rows = (
        Programme.objects.annotate(
            aired=Count("episodes", filter=aired),
            peak=Max("episodes__peak_viewers", filter=aired),
            average=Avg("episodes__peak_viewers", filter=aired),
        )
        .values("pk", "title", "aired", "peak", "average")
        .order_by("title")
    )
    comments = dict(
        LiveComment.objects.filter(deleted_at=None)
        .values_list("episode__programme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    plays = dict(
        ArchivePlay.objects.values_list("episode__programme_id").annotate(n=Count("id")).order_by()
    )
    return [
        ProgrammeFigures(
            programme=row["title"],
            episodes=row["aired"],
            peak_viewers=row["peak"] or 0,
            average_peak=round(row["average"], 1) if row["average"] is not None else None,
            comments=comments.get(row["pk"], 0),
            archive_listeners=plays.get(row["pk"], 0),
        )
        for row in rows
    ]
