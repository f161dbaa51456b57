"""Study sessions and events, and their series, as search kinds.

Visibility is the events app's own (events.access): a closed section's events and series only
for its active members, their hosts and staff; read at query time, so closing a section or
joining it takes effect without re-indexing. Cancelled sessions stay findable, marked as
cancelled. The online venue URL is secret and never indexed, nor are materials or recordings.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.events.access import visible_events, visible_series
from cityhall.events.models import Event, EventSeries
from cityhall.search.index import refresh_quietly
from cityhall.search.models import Document
from cityhall.search.registry import Entry, Hit, SearchKind, register
from cityhall.search.signals import connect
from cityhall.search.text import plain

NOTHING = Q(pk__in=[])


def _ids(documents: list[Document]) -> list[int]:
    return [d.object_id for d in documents]


def _visible(rows: Any) -> Any:
    def condition(viewer: User) -> Q:
        if not viewer.is_member:
            return NOTHING
        if viewer.is_staff_member:
            return Q()
        return Q(object_id__in=rows(viewer).order_by().values("pk"))

    return condition


def _section_name(obj: Any) -> str:
    return obj.section.name if obj.section_id else ""


# --- Sessions ------------------------------------------------------------------------------


def event_entries(event: Event) -> list[Entry]:
    parts = [plain(event.description)]
    if event.is_cancelled:
        parts.append(event.cancel_reason)
    return [
        Entry(
            title=event.title,
            text="\n".join(p for p in parts if p).strip(),
            created_at=event.starts_at,  # the date filter and "newest" use the session's date
            parent_id=event.series_id,
            section_id=event.section_id,
            tag=event.status,
        )
    ]


def present_events(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    events = (
        visible_events(viewer)
        .filter(pk__in=_ids(documents))
        .select_related("series", "section")
        .only("pk", "title", "starts_at", "status", "series__title", "section__name")
    )
    by_id = {e.pk: e for e in events}
    hits = {}
    for doc in documents:
        event = by_id.get(doc.object_id)
        if event is not None:
            where = [event.series.title if event.series else "", _section_name(event)]
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("events:detail", args=[event.pk]),
                title=event.title,
                kind_label=str(_("勉強会・イベント")),
                context=" · ".join(w for w in where if w),
                date=event.starts_at,
                flag=str(_("中止")) if event.is_cancelled else "",
                flag_tone="bad",
            )
    return hits


register(
    SearchKind(
        name="event",
        label=_("勉強会・イベント"),
        model=Event,
        entries=event_entries,
        source=lambda: Event.objects.all(),
        visible=_visible(visible_events),
        present=present_events,
        changed_since=lambda since: Event.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since) | Q(cancelled_at__gte=since)
        ),
        sort=60,
    )
)
connect("event", Event)


# --- Series --------------------------------------------------------------------------------


def series_entries(series: EventSeries) -> list[Entry]:
    return [
        Entry(
            title=series.title,
            text=plain(series.description),
            created_at=datetime.combine(series.starts_on, series.start_time, tzinfo=JST),
            section_id=series.section_id,
        )
    ]


def present_series(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    rows = visible_series(viewer).filter(pk__in=_ids(documents)).select_related("section")
    by_id = {s.pk: s for s in rows}
    hits = {}
    for doc in documents:
        series = by_id.get(doc.object_id)
        if series is not None:
            where = series.section.name if series.section else series.get_organizer_display()
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("events:series", args=[series.slug]),
                title=series.title,
                kind_label=str(_("勉強会シリーズ")),
                context=str(where),
                date=doc.created_at,
            )
    return hits


def series_dependents(ids: list[int]) -> dict[str, list[int]]:
    return {"event": list(Event.objects.filter(series_id__in=ids).values_list("pk", flat=True))}


register(
    SearchKind(
        name="series",
        label=_("勉強会シリーズ"),
        model=EventSeries,
        entries=series_entries,
        source=lambda: EventSeries.objects.all(),
        visible=_visible(visible_series),
        present=present_series,
        changed_since=lambda since: EventSeries.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since)
        ),
        dependents=series_dependents,
        sort=65,
    )
)
connect("series", EventSeries)


def series_saved(sender: Any, instance: EventSeries, raw: bool = False, **kwargs: Any) -> None:
    """Saving a series is followed, in the same action, by sessions made with bulk_create and
    defaults copied with QuerySet.update() (no signals): index its sessions once it commits."""
    if not raw:
        pk = instance.pk
        transaction.on_commit(lambda: refresh_quietly("series", [pk], cascade=True))


post_save.connect(series_saved, sender=EventSeries, dispatch_uid="search-series-sessions")
