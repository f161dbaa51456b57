"""FAQ entries as a search kind.

Visibility is the knowledge app's own (knowledge.access.visible_entries): published entries for
every member; drafts for those who write any entry (staff, section leaders and deputies) and
for the hosts of the session a draft came from. An entry from a closed section's session stays
findable, but its source session is neither indexed nor named to those who may not see it
(knowledge.access.visible_source). The notice URL is not indexed either.
"""

from datetime import datetime, time
from typing import Any

from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.events.access import visible_events
from cityhall.knowledge.access import visible_entries, writes_any_faq
from cityhall.knowledge.models import FaqEntry
from cityhall.search.index import refresh_quietly
from cityhall.search.models import Document
from cityhall.search.registry import Entry, Hit, SearchKind, register
from cityhall.search.signals import connect
from cityhall.search.text import plain


def as_of(entry: FaqEntry) -> datetime:
    """The entry's natural date (情報の時点), as Japan's midnight of that day."""
    return datetime.combine(entry.as_of, time.min, tzinfo=JST)


def faq_entries(entry: FaqEntry) -> list[Entry]:
    parts = [
        plain(entry.answer),
        "、".join(t.name for t in entry.tags.all()),
        "、".join(d.name for d in entry.duties.all()),
        entry.notice_title,
        entry.notice_issuer,
        entry.source_note,
    ]
    return [
        Entry(
            title=entry.question,
            text="\n".join(p for p in parts if p).strip(),
            created_at=as_of(entry),
            tag=entry.status,
        )
    ]


def faq_visibility(viewer: User) -> Q:
    if not viewer.is_member:
        return Q(pk__in=[])
    if writes_any_faq(viewer):
        return Q()
    return Q(object_id__in=visible_entries(viewer, writer=False).order_by().values("pk"))


def present_faq(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    entries = visible_entries(viewer).filter(pk__in=[d.object_id for d in documents])
    by_id = {e.pk: e for e in entries.only("pk", "question", "as_of", "status", "source_event")}
    sources = [e.source_event_id for e in by_id.values() if e.source_event_id]
    # The source session only when the viewer may see it (a closed section's stays hidden).
    titles = dict(visible_events(viewer).filter(pk__in=sources).values_list("pk", "title"))
    hits = {}
    for doc in documents:
        entry = by_id.get(doc.object_id)
        if entry is not None:
            source = titles.get(entry.source_event_id or 0)
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("knowledge:detail", args=[entry.pk]),
                title=entry.question,
                kind_label=str(_("FAQ")),
                context=str(_("出典：%(source)s") % {"source": source}) if source else "",
                date=as_of(entry),
                flag="" if entry.is_published else str(_("下書き")),
            )
    return hits


register(
    SearchKind(
        name="faq",
        label=_("FAQ"),
        model=FaqEntry,
        entries=faq_entries,
        source=lambda: FaqEntry.objects.prefetch_related("tags", "duties"),
        visible=faq_visibility,
        present=present_faq,
        changed_since=lambda since: FaqEntry.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since)
        ),
        # Offered while a member writes a question: an answer may already exist.
        suggest=Q(tag=FaqEntry.Status.PUBLISHED),
        sort=50,
    )
)
connect("faq", FaqEntry)


def faq_labels_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    # Tags and duties are set after the entry is saved, so they re-index it once more.
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, FaqEntry):
        refresh_quietly("faq", [instance.pk])


for through in (FaqEntry.tags.through, FaqEntry.duties.through):
    m2m_changed.connect(
        faq_labels_changed, sender=through, dispatch_uid=f"search-faq-{through.__name__}"
    )
