"""The outbox is the truth: every queued mail goes out once, whatever dies when.

A crash right after commit loses the row's task; a worker killed mid-send leaves its claim
behind. The clock's sweep hands both on. Delivery holds no database lock while the mail server
talks, so a hanging server cannot stop members' writes.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from cityhall import testing
from cityhall.core import mail as outbox
from cityhall.core.clock import run_due_jobs
from cityhall.core.models import OutboundEmail

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def queue_one() -> OutboundEmail:
    return outbox.queue_email(
        "member@vill.sarufutsu.lg.jp", "notifications/email/digest", {"notifications": []}
    )


@pytest.fixture
def queued_without_task(db, django_capture_on_commit_callbacks):
    """A mail committed whose task never ran: the process died right after commit."""
    with django_capture_on_commit_callbacks(execute=False) as lost:
        row = queue_one()
    assert lost, "queue_email enqueues its task after commit"
    return row


class WorkerKilled(BaseException):
    """What the process sees of kill -9: nothing after this point runs."""


class DyingBackend(EmailBackend):
    def send_messages(self, messages):
        raise WorkerKilled


def test_it_sends_a_mail_whose_task_was_lost_once_its_grace_has_passed(
    queued_without_task, django_capture_on_commit_callbacks
):
    soon = timezone.now() + timedelta(seconds=30)
    assert outbox.sweep_outbox(soon) == 0, "its own task still has time"
    later = timezone.now() + outbox.TASK_GRACE + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep_outbox(later) == 1
    assert len(mail.outbox) == 1
    queued_without_task.refresh_from_db()
    assert queued_without_task.status == OutboundEmail.Status.SENT


def test_it_hands_on_a_mail_whose_worker_died_mid_send(queued_without_task, settings):
    settings.EMAIL_BACKEND = "cityhall.notifications.tests.test_outbox.DyingBackend"
    with pytest.raises(WorkerKilled):
        outbox.deliver(queued_without_task.pk)
    queued_without_task.refresh_from_db()
    assert queued_without_task.claimed_until is not None
    assert queued_without_task.status == OutboundEmail.Status.QUEUED

    settings.EMAIL_BACKEND = LOCMEM
    later = timezone.now() + outbox.TASK_GRACE + timedelta(seconds=1)
    assert outbox.sweep_outbox(later) == 0, "the dead worker's claim has not run out yet"
    assert outbox.deliver(queued_without_task.pk) is False, "a duplicate task sends nothing"
    assert mail.outbox == []

    after_lease = timezone.now() + outbox.CLAIM_LEASE + timedelta(seconds=1)
    with time_machine.travel(after_lease, tick=False):
        assert outbox.sweep_outbox(after_lease) == 1
        assert outbox.deliver(queued_without_task.pk) is True
    assert len(mail.outbox) == 1
    queued_without_task.refresh_from_db()
    assert queued_without_task.status == OutboundEmail.Status.SENT
    assert queued_without_task.attempts == 2


def test_it_moves_a_swept_row_one_lease_ahead_so_a_dead_worker_gets_one_task_per_lease(
    queued_without_task,
):
    later = timezone.now() + outbox.TASK_GRACE + timedelta(seconds=1)
    assert outbox.sweep_outbox(later) == 1
    assert outbox.sweep_outbox(later + timedelta(minutes=1)) == 0
    assert outbox.sweep_outbox(later + outbox.CLAIM_LEASE + timedelta(seconds=1)) == 1


def test_it_sends_a_sent_mail_never_again(queued_without_task):
    assert outbox.deliver(queued_without_task.pk) is True
    assert outbox.deliver(queued_without_task.pk) is True
    later = timezone.now() + outbox.CLAIM_LEASE + timedelta(minutes=1)
    assert outbox.sweep_outbox(later) == 0
    assert len(mail.outbox) == 1


class ReenteringBackend(EmailBackend):
    """A second worker picks up the same row while the first is talking to the server."""

    second_result: bool | None = None

    def send_messages(self, messages):
        row = OutboundEmail.objects.get()
        ReenteringBackend.second_result = outbox.deliver(row.pk)
        return super().send_messages(messages)


def test_it_lets_only_one_of_two_workers_send_a_row(queued_without_task, settings):
    settings.EMAIL_BACKEND = "cityhall.notifications.tests.test_outbox.ReenteringBackend"
    assert outbox.deliver(queued_without_task.pk) is True
    assert ReenteringBackend.second_result is False
    assert len(mail.outbox) == 1


def test_it_runs_the_sweep_on_the_clock(queued_without_task, django_capture_on_commit_callbacks):
    later = timezone.now() + outbox.TASK_GRACE + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        results = run_due_jobs(later, force=True)
    assert results["core.sweep_outbox"] == 1
    assert len(mail.outbox) == 1


def test_it_reports_what_send_queued_mail_sent(queued_without_task):
    """The manual safety net finds lost rows too (it used to skip rows with no retry time)."""
    OutboundEmail.objects.update(created_at=timezone.now() - outbox.TASK_GRACE * 2)
    assert outbox.retry_due() == 1
    assert len(mail.outbox) == 1


class HangingBackend(EmailBackend):
    """A mail server that accepts the connection and then says nothing."""

    talking = threading.Event()
    release = threading.Event()
    gave_up = False

    def send_messages(self, messages):
        HangingBackend.talking.set()
        # Waits for the test to let it answer; had the member's write been blocked behind it,
        # the wait would run out first.
        HangingBackend.gave_up = not HangingBackend.release.wait(8)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_it_holds_no_database_lock_while_the_mail_server_hangs(settings):
    """On SQLite a write lock held during SMTP blocked every member's write (database is
    locked after the busy timeout). Members keep writing while the server hangs."""
    row = OutboundEmail.objects.create(to="member@vill.sarufutsu.lg.jp", subject="s", body="b")
    settings.EMAIL_BACKEND = "cityhall.notifications.tests.test_outbox.HangingBackend"
    HangingBackend.talking.clear()
    HangingBackend.release.clear()
    results: list[bool] = []

    def worker() -> None:
        try:
            results.append(outbox.deliver(row.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert HangingBackend.talking.wait(10)
        testing.make_user("writer@city.example.lg.jp")  # a member's write, while SMTP hangs
    finally:
        HangingBackend.release.set()
        thread.join(20)
    assert not HangingBackend.gave_up, "the write waited for the mail server"
    assert results == [True]
    assert OutboundEmail.objects.get(pk=row.pk).status == OutboundEmail.Status.SENT
