"""Every write to FAQ entries.

Refusals a writer can fix raise ValidationError with a Japanese message (EditConflict when
someone else saved first); what the actor may never do raises PermissionDenied.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.jst import to_jst
from cityhall.core.text import normalize
from cityhall.events.models import Event
from cityhall.knowledge.access import can_write_faq, writable_events
from cityhall.knowledge.models import FaqEntry, FaqRevision, Tag, tag_name
from cityhall.members.models import Duty

FIELDS = (
    "question", "answer", "as_of", "notice_title", "notice_issuer", "notice_date",
    "notice_url", "source_event", "source_note", "status",
)  # fmt: skip
NULLABLE = {"notice_date", "source_event"}


class EditConflict(ValidationError):
    """Another edit was saved after the one being submitted had started."""

    def __init__(self, current: FaqEntry) -> None:
        self.current = current
        who = current.updated_by.full_name if current.updated_by else _("ほかの方")
        when = to_jst(current.updated_at).strftime("%Y/%m/%d %H:%M")
        super().__init__(
            _(
                "この項目は、編集を始めた後に%(who)sさんが更新しました（%(when)s）。"
                "あなたの入力内容はそのまま残っています。下の最新の内容を確認し、"
                "必要な変更を反映してから、もう一度保存してください。"
            )
            % {"who": who, "when": when},
            code="conflict",
        )


def _tags(names: Iterable[str]) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for raw in names:
        name = tag_name(raw)
        if name and name not in tags:
            tags[name] = Tag.objects.get_or_create(name=name)[0]
    return list(tags.values())


def _check(data: dict[str, Any]) -> None:
    if not str(data.get("question") or "").strip():
        raise ValidationError(_("質問を入力してください。"))
    if not str(data.get("answer") or "").strip():
        raise ValidationError(_("回答を入力してください。"))
    if not isinstance(data.get("as_of"), date):
        raise ValidationError(_("情報の時点を入力してください。"))
    if data.get("status") not in FaqEntry.Status.values:
        raise ValidationError(_("公開状態を選んでください。"))


def apply_data(entry: FaqEntry, data: dict[str, Any]) -> tuple[list[Tag], list[Duty]]:
    """Set the entry's fields from `data` (unsaved); return the tags and duties to attach."""
    for field in FIELDS:
        value = data.get(field)
        # Empty text is stored as "", an empty date or session as NULL.
        setattr(entry, field, "" if value is None and field not in NULLABLE else value)
    tags = _tags(data.get("tags") or [])
    duties = list(data.get("duties") or [])
    entry.search_text = normalize(" ".join([entry.question, entry.answer, *(t.name for t in tags)]))
    return tags, duties


def _signature(entry: FaqEntry, tags: Iterable[Tag], duties: Iterable[Duty]) -> tuple[Any, ...]:
    return (
        [getattr(entry, f + "_id" if f == "source_event" else f) for f in FIELDS],
        sorted(t.name for t in tags),
        sorted(d.pk for d in duties),
    )


def save_revision(entry: FaqEntry, tags: list[Tag], duties: list[Duty], actor: User) -> None:
    """Keep the entry as saved now as its version `entry.version`."""
    FaqRevision.objects.create(
        entry=entry,
        version=entry.version,
        question=entry.question,
        answer=entry.answer,
        as_of=entry.as_of,
        notice={
            "title": entry.notice_title,
            "issuer": entry.notice_issuer,
            "date": entry.notice_date.isoformat() if entry.notice_date else "",
            "url": entry.notice_url,
        },
        tags="、".join(t.name for t in tags),
        duties="、".join(d.name for d in duties),
        status=entry.status,
        edited_by=actor,
        created_at=entry.updated_at,
    )


def _record_publication(entry: FaqEntry, was_published: bool, actor: User) -> None:
    if entry.is_published and not was_published:
        record("knowledge.entry.published", actor=actor, target=entry, question=entry.question)
    elif was_published and not entry.is_published:
        record("knowledge.entry.unpublished", actor=actor, target=entry, question=entry.question)


def check_source(actor: User, source: Event | None) -> None:
    """Naming the session an entry comes from: one the writer may see and write for
    (access.writable_events), as the form offers; a closed section's session stays hidden
    from those outside it."""
    if source is not None and not writable_events(actor).filter(pk=source.pk).exists():
        raise PermissionDenied


@transaction.atomic
def do_create_faq(*, data: dict[str, Any], actor: User) -> FaqEntry:
    """Writers only (access.can_write_faq: a host only for an entry from their session).
    Keeps the first version as a FaqRevision; emits knowledge.entry.published when created
    published."""
    if not can_write_faq(actor, event=data.get("source_event")):
        raise PermissionDenied
    check_source(actor, data.get("source_event"))
    _check(data)
    now = timezone.now()
    entry = FaqEntry(author=actor, updated_by=actor, created_at=now, updated_at=now)
    tags, duties = apply_data(entry, data)
    if entry.is_published:
        entry.published_at = now
    entry.save()
    entry.tags.set(tags)
    entry.duties.set(duties)
    save_revision(entry, tags, duties, actor)
    _record_publication(entry, False, actor)
    return entry


@transaction.atomic
def do_edit_faq(
    entry: FaqEntry, *, data: dict[str, Any], expected_version: int, actor: User
) -> FaqEntry:
    """Writers allowed to edit this entry. Refused with EditConflict when the entry changed
    since `expected_version` was read. Every saved edit becomes a new version and the editor
    joins the entry's editors; emits knowledge.entry.published / unpublished."""
    if not can_write_faq(actor, entry):
        raise PermissionDenied
    source = data.get("source_event")
    moved = source is not None and source.pk != entry.source_event_id
    if moved and not can_write_faq(actor, event=source):
        raise PermissionDenied
    if moved:
        check_source(actor, source)
    _check(data)
    # Lock the row (PostgreSQL; SQLite serialises writers) so two saves cannot both pass.
    current = (
        FaqEntry.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=entry.pk)
    )
    if current.version != expected_version:
        raise EditConflict(current)
    was_published = current.is_published
    before = _signature(current, current.tags.all(), current.duties.all())
    tags, duties = apply_data(current, data)
    if _signature(current, tags, duties) == before:
        return current  # nothing changed: no new version
    now = timezone.now()
    current.version += 1
    current.updated_at = now
    current.updated_by = actor
    if current.is_published and not current.published_at:
        current.published_at = now
    current.save(
        update_fields=[
            *FIELDS, "search_text", "version", "updated_at", "updated_by", "published_at",
        ]
    )  # fmt: skip
    current.tags.set(tags)
    current.duties.set(duties)
    if actor.pk != current.author_id:
        current.editors.add(actor)
    save_revision(current, tags, duties, actor)
    _record_publication(current, was_published, actor)
    return current
