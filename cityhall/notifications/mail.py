"""Sending mail: queue it with the change, deliver it from the background worker."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from cityhall.notifications.models import OutboundEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def queue_email(to: str, template: str, context: dict[str, Any]) -> OutboundEmail:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and queue the mail.

    Call inside the action's transaction; delivery starts after commit.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with override("ja"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    mail = OutboundEmail.objects.create(to=to, subject=subject[:200], body=body)
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, delay: timedelta | None = None) -> None:
    from cityhall.notifications.tasks import deliver_email

    task = deliver_email
    if delay is not None:
        if not task.get_backend().supports_defer:
            return  # left for `send_queued_mail`, which picks up due retries
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(mail_id)


def deliver(mail_id: int) -> bool:
    """Send one queued mail. On failure, schedule a retry with backoff. True when sent."""
    with transaction.atomic():
        mail = OutboundEmail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == OutboundEmail.Status.SENT:
            return True
        mail.attempts += 1
        try:
            EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]).send()
        except Exception as error:  # any transport error: keep the mail and retry later
            logger.warning("mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
            delay = timedelta(minutes=min(2**mail.attempts, 240))
            mail.last_error = str(error)[:1000]
            mail.status = (
                OutboundEmail.Status.FAILED
                if mail.attempts >= MAX_ATTEMPTS
                else OutboundEmail.Status.QUEUED
            )
            mail.next_attempt_at = timezone.now() + delay
            mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if mail.status == OutboundEmail.Status.QUEUED:
                transaction.on_commit(lambda: _enqueue(mail_id, delay))
            return False
        mail.status = OutboundEmail.Status.SENT
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def retry_due() -> int:
    """Send every queued mail whose retry time has come (run by `manage.py send_queued_mail`)."""
    due = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(due))
