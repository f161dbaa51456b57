"""The needs-based agenda: before a session, members who can see it ask for questions and
topics to be covered and vote for each other's; hosts mark each one planned, answered or out of
scope. After the session an answered item becomes an FAQ entry (`faq_prefill`).

Members post and vote until the session starts; hosts decide at any time. Callers fetched the
event through access.access_event (so a closed section's session is a 404 for outsiders); the
actions check again. Refusals a member should understand raise ValidationError in Japanese.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.text import compact
from cityhall.events import access
from cityhall.events.models import AgendaItem, AgendaVote, Event

Status = AgendaItem.Status
# One member's items: a few per session, and a few per quarter hour across the site.
PER_EVENT = 5
PER_WINDOW = 5
WINDOW = timedelta(minutes=15)


def check_agenda_open(event: Event, now: datetime) -> None:
    """Raise ValidationError saying why members cannot post or vote right now."""
    if event.is_cancelled:
        raise ValidationError(_("この勉強会は中止になりました。"), "cancelled")
    if event.has_started(now):
        raise ValidationError(_("議題の受付は勉強会の開始までです。"), "started")


@transaction.atomic
def do_add_agenda_item(
    event: Event, *, title: str, detail: str, actor: User, now: datetime | None = None
) -> AgendaItem:
    """A member who can see the event, before it starts. Limits: PER_EVENT items per member
    and session, PER_WINDOW items per member in any WINDOW; the same title twice in one session
    is refused (vote for the existing one instead)."""
    if not actor.is_member:
        raise PermissionDenied
    if not access.visible_events(actor).filter(pk=event.pk).exists():
        raise PermissionDenied
    now = now or timezone.now()
    check_agenda_open(event, now)
    title, detail = title.strip(), detail.strip()
    mine = AgendaItem.objects.filter(author=actor)
    if mine.filter(event=event).count() >= PER_EVENT:
        raise ValidationError(
            _("1つの勉強会に出せる希望は1人%(n)s件までです。") % {"n": PER_EVENT}, "too_many"
        )
    if mine.filter(created_at__gt=now - WINDOW).count() >= PER_WINDOW:
        raise ValidationError(
            _("短い時間に続けて投稿されています。しばらくしてからもう一度お試しください。"),
            "rate",
        )
    key = compact(title)
    for other in AgendaItem.objects.filter(event=event).values_list("title", flat=True):
        if compact(other) == key:
            raise ValidationError(
                _("同じ内容の希望がすでにあります。その希望に投票してください。"), "duplicate"
            )
    return AgendaItem.objects.create(
        event=event, author=actor, title=title, detail=detail, created_at=now
    )


@transaction.atomic
def do_toggle_agenda_vote(item: AgendaItem, *, actor: User, now: datetime | None = None) -> bool:
    """A member who can see the item's event, before it starts: one vote each, a second click
    takes it back. Returns whether the member now votes for it."""
    if not access.visible_events(actor).filter(pk=item.event_id).exists():
        raise PermissionDenied
    check_agenda_open(item.event, now or timezone.now())
    deleted, _rows = AgendaVote.objects.filter(item=item, user=actor).delete()
    if deleted:
        AgendaItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") - 1)
        return False
    try:
        with transaction.atomic():
            AgendaVote.objects.create(item=item, user=actor)
    except IntegrityError:  # a double click raced us: the vote is there, count it once
        return True
    AgendaItem.objects.filter(pk=item.pk).update(vote_count=F("vote_count") + 1)
    return True


@transaction.atomic
def do_set_agenda_status(item: AgendaItem, *, status: str, note: str, actor: User) -> AgendaItem:
    """Those who manage the item's event, at any time. Emits events.agenda.decided."""
    if not access.can_manage_event(actor, item.event):
        raise PermissionDenied
    if status not in Status.values:
        raise ValidationError(_("状態を選んでください。"))
    item.status, item.host_note, item.decided_by = status, note.strip(), actor
    item.save(update_fields=["status", "host_note", "decided_by", "updated_at"])
    record("events.agenda.decided", actor=actor, target=item, status=item.status)
    return item


@dataclass
class Agenda:
    planned: list[AgendaItem]
    open: list[AgendaItem]
    answered: list[AgendaItem]
    out_of_scope: list[AgendaItem]

    @property
    def total(self) -> int:
        return len(self.planned) + len(self.open) + len(self.answered) + len(self.out_of_scope)


def agenda_of(event: Event, viewer: User) -> Agenda:
    """Every item of the session in two queries, each marked with whether the viewer voted:
    planned first, then by votes; answered and out-of-scope ones apart."""
    items = list(
        AgendaItem.objects.filter(event=event)
        .select_related("author__profile__organization")
        .order_by("-vote_count", "created_at", "id")
    )
    voted = set(
        AgendaVote.objects.filter(item__event=event, user=viewer).values_list("item_id", flat=True)
    )
    groups: dict[str, list[AgendaItem]] = {s: [] for s in Status.values}
    for item in items:
        item.voted = item.pk in voted  # type: ignore[attr-defined]
        groups[item.status].append(item)
    return Agenda(
        planned=groups[Status.PLANNED],
        open=groups[Status.OPEN],
        answered=groups[Status.ANSWERED],
        out_of_scope=groups[Status.OUT_OF_SCOPE],
    )


def access_agenda_item(user: User, item_id: int | str) -> AgendaItem:
    """An item of an event the viewer may see, or 404."""
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    item = (
        AgendaItem.objects.select_related("event")
        .filter(pk=pk, event__in=access.visible_events(user))
        .first()
    )
    if item is None:
        raise Http404
    return item


def faq_prefill(user: User, event_id: int, item_id: int) -> dict[str, Any]:
    """What the FAQ form starts with when a host turns an answered item into an entry: the
    item as the question, the host's note as the start of the answer, the session as source.
    Empty for anyone who may not manage the session, or for an item of another session."""
    item = (
        AgendaItem.objects.select_related("event")
        .filter(pk=item_id, event_id=event_id, event__in=access.visible_events(user))
        .first()
    )
    if item is None or not access.can_manage_event(user, item.event):
        return {}
    question = item.title if not item.detail else f"{item.title}（{item.detail}）"
    return {
        "question": question[:200],
        "answer": item.host_note,
        "source_event": item.event_id,
    }
