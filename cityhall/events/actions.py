"""Members' writes: registering, cancelling, the waitlist, reminders and the calendar feed.

Writes that change an event take the event's row lock first (``_locked``): on PostgreSQL a
``SELECT … FOR UPDATE``; on SQLite every transaction begins IMMEDIATE (settings.py), which takes
the database's write lock at once, so two registrations never count the same free seat.
Refusals a member should understand raise ValidationError with a Japanese message.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.jst import to_jst
from cityhall.core.mail import queue_email
from cityhall.core.submissions import once
from cityhall.events import access
from cityhall.events.models import (
    CalendarFeed,
    Event,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    new_feed_token,
)

Status = Registration.Status
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def mail_context(event: Event, registration: Registration | None = None) -> dict[str, Any]:
    confirmed = registration is not None and registration.is_confirmed
    return {
        "event": event,
        "registration": registration,
        "event_url": settings.SITE_URL + reverse("events:detail", args=[event.pk]),
        # The venue goes by mail to confirmed registrants only, as on the page.
        "venue_url": event.venue_url if confirmed and not event.is_cancelled else "",
    }


def _when(value: datetime) -> str:
    return formats.date_format(to_jst(value), _("Y年n月j日 H:i"))


def questions_for(event: Event) -> list[RegistrationQuestion]:
    """The series' questions, then the session's own."""
    where = Q(event=event)
    if event.series_id:
        where |= Q(series_id=event.series_id)
    return list(RegistrationQuestion.objects.filter(where).order_by("series_id", "position", "id"))


def check_registration_open(event: Event, now: datetime) -> None:
    """Raise ValidationError saying why registration is not possible right now."""
    if event.is_cancelled:
        raise ValidationError(_("この勉強会は中止になったため、申し込みできません。"), "cancelled")
    if event.has_ended(now):
        raise ValidationError(_("この勉強会はすでに終了しています。"), "past")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            _("申し込みの受付は %(when)s からです。")
            % {"when": _when(event.registration_opens_at)},
            "not_open",
        )
    if now >= event.closes_at:
        raise ValidationError(_("申し込みの受付は締め切りました。"), "closed")


def check_see_event(actor: User, event: Event) -> None:
    """Registering or cancelling: a member who can see the event (access.visible_events: not
    a closed section's session for those outside it)."""
    if not access.can_see_event(actor, event):
        raise PermissionDenied


def _next_position(event: Event) -> int:
    top = Registration.objects.filter(event=event).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def do_register(
    event: Event,
    *,
    answers: dict[int, str],
    submission_key: uuid.UUID | None = None,
    actor: User,
    now: datetime | None = None,
) -> Registration:
    """A member who can see the event (check_see_event). Confirms a seat if one is free,
    otherwise joins the waitlist (or is refused when the event keeps none). Queues a
    confirmation mail (events/email/registered or waitlisted). The same `submission_key`
    again returns the registration it made, with no second mail."""
    check_see_event(actor, event)
    with once(actor, submission_key, Registration, event=event) as sent:
        if sent.previous is not None:
            return sent.previous
        return sent.record(_register(event, answers=answers, actor=actor, now=now))


def _register(
    event: Event, *, answers: dict[int, str], actor: User, now: datetime | None
) -> Registration:
    now = now or timezone.now()
    event = _locked(event)
    check_registration_open(event, now)
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is not None and registration.status == Status.CONFIRMED:
        raise ValidationError(_("すでにこの勉強会に申し込んでいます。"), "duplicate")
    if registration is not None and registration.status == Status.WAITLISTED:
        raise ValidationError(_("すでにキャンセル待ちに登録しています。"), "duplicate")
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
    if event.capacity is None or confirmed < event.capacity:
        status = Status.CONFIRMED
    elif event.waitlist_enabled:
        status = Status.WAITLISTED
    else:
        raise ValidationError(_("満席のため、申し込みを締め切りました。"), "full")
    fields = {
        "status": status,
        "position": _next_position(event),
        "registered_at": now,
        "confirmed_at": now if status == Status.CONFIRMED else None,
        "cancelled_at": None,
        "reminded_day_at": None,
        "reminded_hour_at": None,
    }
    if registration is None:
        registration = Registration.objects.create(event=event, user=actor, **fields)
    else:  # registering again after cancelling: back of the queue
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.save(update_fields=list(fields))
        registration.answers.all().delete()
    allowed = {q.pk for q in questions_for(event)}
    RegistrationAnswer.objects.bulk_create(
        [
            RegistrationAnswer(registration=registration, question_id=qid, answer=text)
            for qid, text in answers.items()
            if qid in allowed and text
        ]
    )
    template = "registered" if status == Status.CONFIRMED else "waitlisted"
    context = mail_context(event, registration)
    context["waitlist_number"] = waitlist_number(registration)
    queue_email(actor.email, f"events/email/{template}", context)
    return registration


def waitlist_number(registration: Registration) -> int | None:
    """1 for the first in line; None when not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Status.WAITLISTED,
            position__lt=registration.position,
        ).count()
        + 1
    )


@transaction.atomic
def do_cancel_registration(
    registration: Registration, *, actor: User, now: datetime | None = None
) -> Registration:
    """The registrant, while they can see the event, before the session starts. A freed seat
    goes to the first on the waitlist, who is mailed (events/email/promoted)."""
    if registration.user_id != actor.pk:
        raise PermissionDenied
    check_see_event(actor, registration.event)
    now = now or timezone.now()
    event = _locked(registration.event)
    registration.refresh_from_db()
    if registration.status == Status.CANCELLED:
        raise ValidationError(_("この申し込みはすでに取り消されています。"), "cancelled")
    if event.has_started(now):
        raise ValidationError(_("開始後は申し込みを取り消せません。"), "started")
    was_confirmed = registration.is_confirmed
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        fill_seats(event, now=now)
    return registration


def fill_seats(event: Event, *, now: datetime) -> list[Registration]:
    """Promote the waitlist, first come first served, while seats are free. Call with the
    event locked, inside the action's transaction. Mails each promoted member."""
    if event.is_cancelled or event.has_started(now):
        return []
    waiting = (
        Registration.objects.filter(event=event, status=Status.WAITLISTED)
        .select_related("user")
        .order_by("position")
    )
    if event.capacity is not None:
        confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
        free = event.capacity - confirmed
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        queue_email(
            registration.user.email, "events/email/promoted", mail_context(event, registration)
        )
    return promoted


def do_send_due_reminders(*, now: datetime) -> int:
    """Run by the periodic job. The day-before and hour-before reminders go to members who
    were confirmed before that moment came, once each (the sent time is stored, and the update
    is conditional so two ticks never both send), and only until the session starts: after
    downtime the missed ones still go if the session is still ahead. Returns how many."""
    sent = 0
    kinds = (
        ("reminded_day_at", DAY_BEFORE, HOUR_BEFORE, "reminder_day"),
        ("reminded_hour_at", HOUR_BEFORE, timedelta(0), "reminder_hour"),
    )
    for field, before, until, template in kinds:
        due = Registration.objects.filter(
            status=Status.CONFIRMED,
            event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=now + until,
            event__starts_at__lte=now + before,
            **{f"{field}__isnull": True},
        ).select_related("event", "user")
        for registration in due:
            claimed = Registration.objects.filter(
                pk=registration.pk, status=Status.CONFIRMED, **{f"{field}__isnull": True}
            ).update(**{field: now})
            moment = registration.event.starts_at - before
            # Confirmed after the moment came: the confirmation mail already said it all.
            late = registration.confirmed_at is not None and registration.confirmed_at > moment
            if claimed and not late:
                queue_email(
                    registration.user.email,
                    f"events/email/{template}",
                    mail_context(registration.event, registration),
                )
                sent += 1
    return sent


@transaction.atomic
def do_regenerate_calendar_feed(*, actor: User) -> CalendarFeed:
    """The member themselves. A new secret URL; the previous one stops working at once.
    Emits events.feed.regenerated."""
    if not actor.is_member:  # the feed answers members only
        raise PermissionDenied
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    record("events.feed.regenerated", actor=actor, target=feed, subject_user=actor)
    return feed


@transaction.atomic
def do_revoke_calendar_feed(*, actor: User) -> None:
    """The member themselves, whatever their status (taking a URL away is always safe). The
    secret URL answers 404 from now on. Emits events.feed.revoked."""
    deleted, _rows = CalendarFeed.objects.filter(user=actor).delete()
    if deleted:
        record("events.feed.revoked", actor=actor, subject_user=actor)
