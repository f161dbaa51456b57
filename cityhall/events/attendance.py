"""Attendance: self check-in, hosts' marks and the participants report import.

- Self check-in is open from CHECK_IN_BEFORE the start until the end of a session that is not
  cancelled, for confirmed registrants. Members who did not register (or are waitlisted) may
  check in only when the host allows walk-ins (``Event.walk_ins``) and, for a session with a
  capacity, while confirmed registrants leave a seat free; once checked in they see the venue.
- Hosts mark attendance by hand from the same moment on (before that nobody has attended), and
  import a participants report after the session; each import is one transaction.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.events import access
from cityhall.events.models import Attendance, Event, Registration

CHECK_IN_BEFORE = timedelta(minutes=15)
Source = Attendance.Source


def check_in_opens(event: Event) -> datetime:
    return event.starts_at - CHECK_IN_BEFORE


def is_check_in_open(event: Event, now: datetime) -> bool:
    return not event.is_cancelled and check_in_opens(event) <= now < event.ends_at


def may_walk_in(event: Event) -> bool:
    if not event.walk_ins:
        return False
    if event.capacity is None:
        return True
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).count()
    return confirmed < event.capacity


@transaction.atomic
def do_check_in(event: Event, *, actor: User, now: datetime | None = None) -> Attendance:
    """The member themselves, during the check-in window: a confirmed registrant, or anyone
    who can see the session when walk-ins are allowed. Not audited (a member's own act)."""
    if not access.visible_events(actor).filter(pk=event.pk).exists():
        raise PermissionDenied
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError(_("この勉強会は中止になりました。"), "cancelled")
    if now < check_in_opens(event):
        raise ValidationError(_("出席登録は開始の15分前からできます。"), "not_yet")
    if now >= event.ends_at:
        raise ValidationError(_("この勉強会は終了したため、出席登録できません。"), "past")
    if Attendance.objects.filter(event=event, user=actor).exists():
        raise ValidationError(_("すでに出席登録しています。"), "duplicate")
    registered = Registration.objects.filter(
        event=event, user=actor, status=Registration.Status.CONFIRMED
    ).exists()
    if not registered and not event.walk_ins:
        raise ValidationError(
            _("この勉強会は、申し込んで参加が確定した方だけが出席登録できます。"), "not_registered"
        )
    if not registered and not may_walk_in(event):
        raise ValidationError(_("満席のため、申し込みなしの当日参加は受け付けていません。"), "full")
    return Attendance.objects.create(
        event=event, user=actor, source=Source.SELF, checked_in_at=now, recorded_by=actor
    )


def _check_host(event: Event, actor: User, now: datetime) -> None:
    if not access.can_manage_event(actor, event):
        raise PermissionDenied
    if event.is_cancelled:
        raise ValidationError(_("中止した勉強会の出席は記録できません。"))
    if now < check_in_opens(event):
        raise ValidationError(_("出席は開始の15分前から記録できます。"))


@transaction.atomic
def do_mark_attendance(
    event: Event,
    *,
    listed: Iterable[int],
    present: Iterable[int],
    actor: User,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Those who manage the event, from the check-in window on. Of the registrants `listed`
    on the form, those in `present` attended and the others did not (a host's word replaces a
    self check-in). Returns (added, removed). Emits events.attendance.marked."""
    now = now or timezone.now()
    _check_host(event, actor, now)
    registrants = set(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("user_id", flat=True)
    )
    attended = set(Attendance.objects.filter(event=event).values_list("user_id", flat=True))
    listed_ids = set(listed) & (registrants | attended)
    present_ids = set(present) & listed_ids
    add = present_ids - attended
    remove = (listed_ids - present_ids) & attended
    Attendance.objects.bulk_create(
        [
            Attendance(
                event=event, user_id=pk, source=Source.HOST, checked_in_at=now, recorded_by=actor
            )
            for pk in sorted(add)
        ]
    )
    Attendance.objects.filter(event=event, user_id__in=remove).delete()
    if add or remove:
        record(
            "events.attendance.marked", actor=actor, target=event,
            added=len(add), removed=len(remove),
        )  # fmt: skip
    return len(add), len(remove)


@transaction.atomic
def do_import_attendance(
    event: Event,
    *,
    entries: dict[int, tuple[datetime, int]],
    actor: User,
    now: datetime | None = None,
) -> int:
    """Those who manage the event, once the check-in window has opened: the participants
    report as confirmed by the host, member id → (joined at, minutes). All or nothing. Members
    already recorded keep their row and gain the minutes. Returns how many were added.
    Emits events.attendance.imported."""
    now = now or timezone.now()
    _check_host(event, actor, now)
    valid = set(
        User.objects.filter(pk__in=entries, status=User.Status.MEMBER).values_list("pk", flat=True)
    )
    if valid != set(entries):
        raise ValidationError(_("会員ではない人が含まれています。もう一度読み込んでください。"))
    existing = {a.user_id: a for a in Attendance.objects.filter(event=event, user_id__in=valid)}
    for pk, row in existing.items():
        row.minutes = entries[pk][1]
        row.save(update_fields=["minutes"])
    new = [
        Attendance(
            event=event,
            user_id=pk,
            source=Source.REPORT,
            checked_in_at=joined,
            minutes=minutes,
            recorded_by=actor,
        )
        for pk, (joined, minutes) in sorted(entries.items())
        if pk not in existing
    ]
    Attendance.objects.bulk_create(new)
    record(
        "events.attendance.imported", actor=actor, target=event,
        added=len(new), updated=len(existing),
    )  # fmt: skip
    return len(new)


def attended(user: User, event: Event) -> bool:
    if not user.pk:
        return False
    return Attendance.objects.filter(event=event, user=user).exists()
