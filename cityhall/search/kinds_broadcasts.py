"""Programmes and episodes of the daily broadcast as search kinds.

Visibility is the broadcasts app's own (broadcasts.access): every member, except that archived
programmes and all their episodes exist for staff only; read at query time, so archiving a
programme hides its episodes at once. Stream URLs, stream keys and archive URLs are never
indexed. Cancelled episodes stay findable, marked as cancelled.
"""

from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode, Programme
from cityhall.search.index import refresh_quietly
from cityhall.search.models import Document
from cityhall.search.registry import Entry, Hit, SearchKind, register
from cityhall.search.signals import connect

NOTHING = Q(pk__in=[])


def _for_staff(viewer: User) -> bool:
    return viewer.is_staff_member


def _active_programmes() -> Any:
    return Programme.objects.active().order_by().values("pk")


# --- Programmes ----------------------------------------------------------------------------


def programme_entries(programme: Programme) -> list[Entry]:
    names = "、".join(p.full_name for p in programme.personalities.all())
    return [
        Entry(
            title=programme.title,
            text="\n".join(p for p in (programme.description, names) if p),
            created_at=programme.created_at,
        )
    ]


def programme_visibility(viewer: User) -> Q:
    if not viewer.is_member:
        return NOTHING
    return Q() if viewer.is_staff_member else Q(object_id__in=_active_programmes())


def present_programmes(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    rows = Programme.objects.filter(pk__in=[d.object_id for d in documents])
    if not _for_staff(viewer):
        rows = rows.active()
    by_id = {p.pk: p for p in rows.defer("description")}
    hits = {}
    for doc in documents:
        programme = by_id.get(doc.object_id)
        if programme is not None:
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("broadcasts:programme", args=[programme.slug]),
                title=programme.title,
                kind_label=str(_("番組")),
                context=programme.slot_label,
                flag=str(_("アーカイブ")) if programme.archived_at else "",
            )
    return hits


register(
    SearchKind(
        name="programme",
        label=_("番組"),
        model=Programme,
        entries=programme_entries,
        source=lambda: Programme.objects.prefetch_related("personalities"),
        visible=programme_visibility,
        present=present_programmes,
        changed_since=lambda since: Programme.objects.filter(
            Q(created_at__gte=since) | Q(archived_at__gte=since)
        ),
        sort=70,
    )
)
connect("programme", Programme)


def personalities_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Programme):
        refresh_quietly("programme", [instance.pk])


m2m_changed.connect(
    personalities_changed,
    sender=Programme.personalities.through,
    dispatch_uid="search-programme-personalities",
)


# --- Episodes ------------------------------------------------------------------------------


def episode_entries(episode: Episode) -> list[Entry]:
    chapters = "\n".join(title for _s, _stamp, title in episode.chapter_list)
    parts = (episode.description, episode.guests, chapters)
    return [
        Entry(
            title=episode.title,
            text="\n".join(p for p in parts if p),
            created_at=episode.starts_at,
            parent_id=episode.programme_id,
            tag="cancelled" if episode.is_cancelled else "",
        )
    ]


def episode_visibility(viewer: User) -> Q:
    if not viewer.is_member:
        return NOTHING
    return Q() if viewer.is_staff_member else Q(parent_id__in=_active_programmes())


def present_episodes(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    rows = Episode.objects.filter(pk__in=[d.object_id for d in documents])
    if not _for_staff(viewer):
        rows = rows.filter(programme__archived_at=None)
    rows = rows.select_related("programme").only(
        "pk", "title", "starts_at", "cancelled_at", "programme__title"
    )
    by_id = {e.pk: e for e in rows}
    hits = {}
    for doc in documents:
        episode = by_id.get(doc.object_id)
        if episode is not None:
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("broadcasts:episode", args=[episode.pk]),
                title=episode.title,
                kind_label=str(_("放送回")),
                context=episode.programme.title,
                date=episode.starts_at,
                flag=str(_("中止")) if episode.is_cancelled else "",
                flag_tone="bad",
            )
    return hits


register(
    SearchKind(
        name="episode",
        label=_("放送回"),
        model=Episode,
        entries=episode_entries,
        source=lambda: Episode.objects.all(),
        visible=episode_visibility,
        present=present_episodes,
        changed_since=lambda since: Episode.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since) | Q(cancelled_at__gte=since)
        ),
        sort=75,
    )
)
connect("episode", Episode)
