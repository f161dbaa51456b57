"""Hosts' writes: series and events, their hosts and registration questions, moving and
cancelling. Callers fetched the object through access.access_managed_*; each action checks
again. Moving and cancelling are audited and mail everyone registered (confirmed and waitlisted).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.events import access
from cityhall.events.actions import _locked, fill_seats, mail_context
from cityhall.events.models import (
    Event,
    EventHost,
    EventSeries,
    Organizer,
    Registration,
    RegistrationQuestion,
)
from cityhall.events.recurrence import generate_sessions
from cityhall.sections.models import Section

SERIES_FIELDS = (
    "slug", "title", "description", "organizer", "section", "frequency", "weekday",
    "week_of_month", "start_time", "duration_minutes", "starts_on", "ends_on", "capacity",
    "venue_url", "is_active", "skip_holidays",
)  # fmt: skip
SCHEDULE_FIELDS = (
    "frequency", "weekday", "week_of_month", "start_time", "duration_minutes", "starts_on",
    "ends_on", "is_active", "skip_holidays",
)  # fmt: skip
# Series defaults that flow into its future sessions when the session still has the old value.
SESSION_DEFAULTS = ("title", "description", "capacity", "venue_url")
EVENT_FIELDS = (
    "title", "description", "organizer", "section", "capacity", "waitlist_enabled", "walk_ins",
    "venue_url", "materials", "recording_url", "registration_opens_at", "registration_closes_at",
)  # fmt: skip
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def check_organizer(actor: User, organizer: str, section: Section | None) -> None:
    """Staff organise anything; section leaders and deputies only in their section's name."""
    if not access.can_create(actor):
        raise PermissionDenied
    if organizer == Organizer.SECTION and section is None:
        raise ValidationError(_("主催の課を選んでください。"))
    if actor.is_staff_member:
        return
    if organizer != Organizer.SECTION or section not in access.organizing_sections(actor):
        raise ValidationError(_("課長・課長補佐は、自分の課の主催でのみ作成できます。"))


def _set_hosts(
    *, series: EventSeries | None = None, event: Event | None = None, users: Iterable[User]
) -> None:
    owner: dict[str, Any] = {"series": series} if series is not None else {"event": event}
    wanted = {u.pk for u in users}
    EventHost.objects.filter(**owner).exclude(user_id__in=wanted).delete()
    have = set(EventHost.objects.filter(**owner).values_list("user_id", flat=True))
    EventHost.objects.bulk_create([EventHost(user_id=pk, **owner) for pk in wanted - have])


@transaction.atomic
def do_create_series(*, data: dict[str, Any], hosts: Iterable[User], actor: User) -> EventSeries:
    """Staff, or a section's leader or deputy for their section. Generates the sessions of the
    coming weeks at once. Emits events.series.created."""
    check_organizer(actor, data["organizer"], data.get("section"))
    fields = {f: data.get(f) for f in SERIES_FIELDS}
    if fields["organizer"] != Organizer.SECTION:
        fields["section"] = None
    if fields["skip_holidays"] is None:  # callers that do not choose get the default
        del fields["skip_holidays"]
    series = EventSeries.objects.create(created_by=actor, **fields)
    _set_hosts(series=series, users=hosts)
    generate_sessions(series)
    record("events.series.created", actor=actor, target=series, title=series.title)
    return series


@transaction.atomic
def do_update_series(
    series: EventSeries, *, data: dict[str, Any], hosts: Iterable[User], actor: User
) -> EventSeries:
    """Those who manage the series. Future sessions still carrying an old default (title,
    description, capacity, venue) take the new one. When the schedule changes, future sessions
    nobody has registered for are replaced by sessions on the new schedule; sessions with
    registrations stay where they are (move them one by one). Emits events.series.updated."""
    if not access.can_manage_series(actor, series):
        raise PermissionDenied
    if data.get("organizer") != series.organizer or data.get("section") != series.section:
        check_organizer(actor, data["organizer"], data.get("section"))
    fields = {f: data.get(f) for f in SERIES_FIELDS if f in data}
    if fields.get("organizer") != Organizer.SECTION:
        fields["section"] = None
    old = {f: getattr(series, f) for f in fields}
    changed = [f for f, value in fields.items() if old[f] != value]
    for name in changed:
        setattr(series, name, fields[name])
    if changed:
        series.save(update_fields=changed)
    future = Event.objects.filter(
        series=series, starts_at__gt=timezone.now(), status=Event.Status.SCHEDULED
    )
    for name in SESSION_DEFAULTS:
        if name in changed:
            future.filter(**{name: old[name]}).update(**{name: fields[name]})
    if "organizer" in changed or "section" in changed:
        future.update(organizer=series.organizer, section=series.section)
    if any(name in changed for name in SCHEDULE_FIELDS):
        future.exclude(occurrence_date=None).exclude(registrations__isnull=False).exclude(
            questions__isnull=False
        ).delete()
    _set_hosts(series=series, users=hosts)
    generate_sessions(series)
    record("events.series.updated", actor=actor, target=series, changed=changed)
    return series


@transaction.atomic
def do_create_event(
    *,
    data: dict[str, Any],
    starts_at: datetime,
    ends_at: datetime,
    hosts: Iterable[User],
    actor: User,
    series: EventSeries | None = None,
) -> Event:
    """A one-off event (staff, or a section's leader or deputy), or an extra session of a
    series (those who manage it). Emits events.event.created."""
    if series is not None:
        if not access.can_manage_series(actor, series):
            raise PermissionDenied
        data = {**data, "organizer": series.organizer, "section": series.section}
    else:
        check_organizer(actor, data["organizer"], data.get("section"))
    fields = {f: data.get(f) for f in EVENT_FIELDS}
    if fields["organizer"] != Organizer.SECTION:
        fields["section"] = None
    fields["materials"] = fields["materials"] or ""
    fields["recording_url"] = fields["recording_url"] or ""
    fields["waitlist_enabled"] = bool(fields["waitlist_enabled"])
    fields["walk_ins"] = bool(fields["walk_ins"])
    event = Event.objects.create(
        series=series, starts_at=starts_at, ends_at=ends_at, created_by=actor, **fields
    )
    _set_hosts(event=event, users=hosts)
    record("events.event.created", actor=actor, target=event, title=event.title)
    return event


@transaction.atomic
def do_update_event(
    event: Event, *, data: dict[str, Any], hosts: Iterable[User], actor: User
) -> Event:
    """Those who manage the event. More seats promote the waitlist (mailed). The time is changed
    with do_move_event. Emits events.event.updated."""
    if not access.can_manage_event(actor, event):
        raise PermissionDenied
    event = _locked(event)
    fields = {f: data[f] for f in EVENT_FIELDS if f in data and f not in {"organizer", "section"}}
    fields["materials"] = fields.get("materials") or ""
    changed = [f for f, value in fields.items() if getattr(event, f) != value]
    for name in changed:
        setattr(event, name, fields[name])
    if changed:
        event.save(update_fields=[*changed, "updated_at"])
    _set_hosts(event=event, users=hosts)
    if "capacity" in changed or "waitlist_enabled" in changed:
        fill_seats(event, now=timezone.now())
    record("events.event.updated", actor=actor, target=event, changed=changed)
    return event


def _notify_registered(event: Event, template: str, **extra: Any) -> int:
    registrations = Registration.objects.filter(event=event, status__in=ACTIVE).select_related(
        "user"
    )
    count = 0
    for registration in registrations:
        queue_email(
            registration.user.email,
            f"events/email/{template}",
            {**mail_context(event, registration), **extra},
        )
        count += 1
    return count


@transaction.atomic
def do_move_event(
    event: Event, *, starts_at: datetime, ends_at: datetime, reason: str = "", actor: User
) -> Event:
    """Those who manage the event, before it ends. Everyone registered is mailed the new time
    (events/email/moved) and the reminders go again for it. Emits events.event.moved."""
    if not access.can_manage_event(actor, event):
        raise PermissionDenied
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("中止した勉強会の日時は変更できません。"))
    if ends_at <= starts_at:
        raise ValidationError(_("終了日時は開始日時より後にしてください。"))
    if starts_at <= timezone.now():
        raise ValidationError(_("新しい開始日時は、これから先の日時にしてください。"))
    old_start, old_end = event.starts_at, event.ends_at
    if (old_start, old_end) == (starts_at, ends_at):
        return event
    event.starts_at, event.ends_at = starts_at, ends_at
    event.sequence += 1
    event.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
    Registration.objects.filter(event=event).update(reminded_day_at=None, reminded_hour_at=None)
    notified = _notify_registered(event, "moved", old_starts_at=old_start, reason=reason)
    record(
        "events.event.moved", actor=actor, target=event, notified=notified,
        old_starts_at=old_start.isoformat(), new_starts_at=starts_at.isoformat(),
    )  # fmt: skip
    return event


@transaction.atomic
def do_cancel_event(event: Event, *, reason: str, actor: User) -> Event:
    """Those who manage the event, before it ends. Everyone registered is mailed
    (events/email/cancelled); registrations are kept as they were, for the record.
    Emits events.event.cancelled."""
    if not access.can_manage_event(actor, event):
        raise PermissionDenied
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("この勉強会はすでに中止になっています。"))
    if event.has_ended():
        raise ValidationError(_("終了した勉強会は中止にできません。"))
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.cancel_reason = reason
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
    notified = _notify_registered(event, "cancelled")
    record("events.event.cancelled", actor=actor, target=event, notified=notified, reason=reason)
    return event


@transaction.atomic
def do_add_question(
    *,
    data: dict[str, Any],
    actor: User,
    event: Event | None = None,
    series: EventSeries | None = None,
) -> RegistrationQuestion:
    """Those who manage the event (or series). Asked of members who register from now on."""
    allowed = (
        access.can_manage_series(actor, series)
        if series is not None
        else event is not None and access.can_manage_event(actor, event)
    )
    if not allowed:
        raise PermissionDenied
    owner: dict[str, Any] = {"series": series} if series is not None else {"event": event}
    last = RegistrationQuestion.objects.filter(**owner).order_by("-position").first()
    return RegistrationQuestion.objects.create(
        position=(last.position + 1) if last else 0,
        label=data["label"],
        help_text=data.get("help_text") or "",
        kind=data["kind"],
        choices=data.get("choices") or "",
        required=bool(data.get("required")),
        **owner,
    )


@transaction.atomic
def do_delete_question(question: RegistrationQuestion, *, actor: User) -> None:
    """Those who manage its event or series. Answers already given go with it."""
    allowed = (
        access.can_manage_series(actor, question.series)
        if question.series is not None
        else question.event is not None and access.can_manage_event(actor, question.event)
    )
    if not allowed:
        raise PermissionDenied
    question.delete()
