"""Sending mail: queue it with the change, deliver it from the background worker."""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override
from django_tasks import task

from cityhall.core.masking import contains_secret, mask_secrets
from cityhall.core.models import OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status
MAX_ATTEMPTS = 8
# How long one worker may spend on one mail before another may take it over: well beyond
# EMAIL_TIMEOUT for each step of an SMTP conversation.
CLAIM_LEASE = timedelta(minutes=5)
# A new row's own task normally sends it within seconds; the sweep waits this long first.
TASK_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500
MAIL_ID_HEADER = "X-Outbox-Id"


def queue_email(
    to: str, template: str, context: dict[str, Any], *, carries_secret: bool = False
) -> OutboundEmail:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and queue the mail.

    Call inside the action's transaction; delivery starts after commit. A mail with a link
    that acts for its recipient (sign in, set a password, confirm an address) says so with
    `carries_secret`; one that forgets is marked anyway when the link is recognised.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with override("ja"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    subject = subject[:200]
    secret = carries_secret or contains_secret(subject) or contains_secret(body)
    mail = OutboundEmail.objects.create(to=to, subject=subject, body=body, carries_secret=secret)
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, delay: timedelta | None = None) -> None:
    job = deliver_email
    if delay is not None:
        if not job.get_backend().supports_defer:
            return  # left for `send_queued_mail`, which picks up due retries
        job = job.using(run_after=timezone.now() + delay)
    job.enqueue(mail_id)


def deliver(mail_id: int) -> bool:
    """Send one queued mail; on failure, schedule a retry with backoff. True when it is sent
    (or was already).

    The row is claimed and committed before the mail server is contacted, and the result is
    recorded after: no database lock is held while SMTP talks (a hanging server must not stop
    members' writes on SQLite), and two workers never send the same row. A worker that dies
    mid-send leaves a claim that expires; `sweep_outbox` then hands the row on. The one window
    left is a crash between the server accepting the mail and the row being marked sent: that
    mail goes out twice rather than never.
    """
    now = timezone.now()
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claimed = OutboundEmail.objects.filter(unclaimed, pk=mail_id, status=Status.QUEUED).update(
        claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return OutboundEmail.objects.filter(pk=mail_id, status=Status.SENT).exists() or (
            not OutboundEmail.objects.filter(pk=mail_id).exists()
        )
    mail = OutboundEmail.objects.get(pk=mail_id)
    try:
        # The row's number travels with the mail, so a duplicate (the one window above) can be
        # recognised by whoever reads the mail server's log.
        headers = {MAIL_ID_HEADER: str(mail.pk)}
        EmailMessage(
            mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to], headers=headers
        ).send()
    except Exception as error:  # any transport error: keep the mail and retry later
        logger.warning("mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
        delay = timedelta(minutes=min(2**mail.attempts, 240))
        status = Status.FAILED if mail.attempts >= MAX_ATTEMPTS else Status.QUEUED
        OutboundEmail.objects.filter(pk=mail_id).update(
            status=status,
            last_error=str(error)[:1000],
            next_attempt_at=timezone.now() + delay,
            claimed_until=None,
            **(_without_secret(mail) if status == Status.FAILED else {}),
        )
        if status == Status.QUEUED:
            _enqueue(mail_id, delay)
        return False
    OutboundEmail.objects.filter(pk=mail_id).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
        **_without_secret(mail),
    )
    return True


@task()
def deliver_email(mail_id: int) -> bool:
    """The worker's job: send one queued mail (retries are scheduled by `deliver`)."""
    return deliver(mail_id)


def _without_secret(mail: OutboundEmail) -> dict[str, str]:
    """Once a mail with a secret link is sent (or given up), its row keeps the record of it but
    not the link, so nobody with the database or a backup of it can use the link."""
    if not mail.carries_secret:
        return {}
    return {
        "subject": mask_secrets(mail.subject, strict=True),
        "body": mask_secrets(mail.body, strict=True),
    }


def due_mail(now: datetime) -> QuerySet[OutboundEmail]:
    """Queued rows nobody is sending whose time has come: retries that are due, and rows whose
    task was lost (a crash right after commit, a worker killed mid-send)."""
    return OutboundEmail.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - TASK_GRACE),
        status=Status.QUEUED,
    )


def sweep_outbox(now: datetime) -> int:
    """Hand every due row to the worker again (run by the clock every minute). The row's next
    attempt moves one lease ahead, so a dead worker gets one new task per row per lease, not
    one a minute; claims keep a row from being sent twice whichever task runs."""
    ids = list(due_mail(now).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    OutboundEmail.objects.filter(pk__in=ids).update(next_attempt_at=now + CLAIM_LEASE)
    for mail_id in ids:
        transaction.on_commit(partial(_enqueue, mail_id))
    return len(ids)


def retry_due() -> int:
    """Send every due mail from this process (`manage.py send_queued_mail`, by hand)."""
    ids = list(due_mail(timezone.now()).order_by("pk").values_list("pk", flat=True))
    return sum(deliver(pk) for pk in ids)
