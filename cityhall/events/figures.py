"""The headline figures of study-session series, as in 「計11回、延べ3000名以上・約500自治体」.

Per series, over the sessions held (ended and not cancelled): sessions held, registrations
(confirmed and waitlisted, not cancelled), attendances (延べ), distinct participants (実人数),
distinct organisations (national bodies included) and distinct municipalities (local
governments only: prefectures, cities, towns, villages and special wards). Aggregated in the
database: three queries whatever the number of series, sessions or members.

`event_series_table()` lays them out for staff: the attendance page, the insights dashboard and
their downloads.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cityhall.core import charts
from cityhall.core.figures import Table, cached
from cityhall.core.jst import to_jst
from cityhall.events.models import Attendance, Event, EventSeries, Registration
from cityhall.organizations.models import Organization

CHARTED_SERIES = 3
CHARTED_SESSIONS = 24


@dataclass(frozen=True)
class SeriesFigures:
    series_id: int
    slug: str
    title: str
    sessions: int = 0
    registrations: int = 0
    attendances: int = 0
    participants: int = 0
    organizations: int = 0
    municipalities: int = 0


def held(now: datetime | None = None) -> Q:
    """Sessions that took place: ended and not cancelled (as a filter on Event)."""
    return Q(status=Event.Status.SCHEDULED, ends_at__lte=now or timezone.now())


def series_figures(series: Any = None, *, now: datetime | None = None) -> list[SeriesFigures]:
    """Figures for the given series (a queryset, or every series), by title."""
    series = EventSeries.objects.all() if series is None else series
    rows = list(series.order_by("title", "pk").values("pk", "slug", "title"))
    ids = [row["pk"] for row in rows]
    sessions = {
        r["series_id"]: r
        for r in Event.objects.filter(held(now), series_id__in=ids)
        .values("series_id")
        .annotate(
            sessions=Count("pk", distinct=True),
            registered=Count(
                "registrations",
                filter=~Q(registrations__status=Registration.Status.CANCELLED),
            ),
        )
    }
    local = ~Q(user__profile__organization__kind=Organization.Kind.NATIONAL)
    attendance = {
        r["event__series_id"]: r
        for r in Attendance.objects.filter(
            event__in=Event.objects.filter(held(now), series_id__in=ids)
        )
        .values("event__series_id")
        .annotate(
            attendances=Count("pk"),
            participants=Count("user", distinct=True),
            organizations=Count("user__profile__organization", distinct=True),
            municipalities=Count("user__profile__organization", distinct=True, filter=local),
        )
    }
    result = []
    for row in rows:
        s, a = sessions.get(row["pk"], {}), attendance.get(row["pk"], {})
        result.append(
            SeriesFigures(
                series_id=row["pk"],
                slug=row["slug"],
                title=row["title"],
                sessions=s.get("sessions", 0),
                registrations=s.get("registered", 0),
                attendances=a.get("attendances", 0),
                participants=a.get("participants", 0),
                organizations=a.get("organizations", 0),
                municipalities=a.get("municipalities", 0),
            )
        )
    return result


def figures_of(series: EventSeries, *, now: datetime | None = None) -> SeriesFigures:
    return series_figures(EventSeries.objects.filter(pk=series.pk), now=now)[0]


# Pages show these cached for a few minutes, like the other community figures: at a million
# registrations the distinct counts take seconds.


def cached_series_figures() -> list[SeriesFigures]:
    return cached("event_series", (), series_figures)


def cached_figures_of(series: EventSeries) -> SeriesFigures:
    return cached("event_series_one", (series.pk,), lambda: figures_of(series))


def attendance_charts(
    figures: list[SeriesFigures], *, now: datetime | None = None
) -> list[SafeString]:
    """Line charts of attendance per held session for the series with the most attendances
    (one query for all of them)."""
    top = sorted((f for f in figures if f.attendances), key=lambda f: -f.attendances)
    top = top[:CHARTED_SERIES]
    if not top:
        return []
    per_series: dict[int, list[charts.Datum]] = {f.series_id: [] for f in top}
    ids = tuple(per_series)

    def attendance_per_session() -> list[tuple[int, datetime, int]]:
        return list(
            Event.objects.filter(held(now), series_id__in=ids)
            .annotate(n=Count("attendances"))
            .order_by("starts_at")
            .values_list("series_id", "starts_at", "n")
        )

    sessions = cached("event_attendance_sessions", (*ids, now), attendance_per_session)
    for series_id, starts_at, n in sessions:
        day = to_jst(starts_at)
        per_series[series_id].append(charts.Datum(f"{day.month}/{day.day}", n))
    return [
        charts.line_chart(
            per_series[f.series_id][-CHARTED_SESSIONS:],
            title=_("%(title)s の出席者数（回ごと）") % {"title": f.title},
            chart_id=f"chart-attendance-{f.series_id}",
        )
        for f in top
    ]


def event_series_table(rows: list[SeriesFigures]) -> Table:
    return Table(
        "event_series",
        _("勉強会シリーズの参加状況"),
        [_("シリーズ"), _("開催回数"), _("申込"), _("出席（延べ）"), _("参加者（実人数）"),
         _("参加団体"), _("参加自治体")],
        [[f.title, f.sessions, f.registrations, f.attendances, f.participants, f.organizations,
          f.municipalities] for f in rows],
    )  # fmt: skip
