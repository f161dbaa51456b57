"""Building a member's data export in the background, and forgetting it afterwards.

A request (actions.do_request_data_export) creates a queued `DataExport` and hands it to the
worker after commit. The worker claims it for a lease, builds the zip (export.export_zip),
stores it in the media folder, which is never served from a public URL, marks it ready and
mails the member. The row is the truth: the clock hands on an export whose task was lost or
whose worker died (`sweep_data_exports`), and deletes files past their date
(`expire_data_exports`); both run from jobs.py.
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from cityhall.accounts.models import User
from cityhall.core.mail import queue_email
from cityhall.interface.export import export_zip
from cityhall.interface.models import DataExport

logger = logging.getLogger(__name__)
Status = DataExport.Status
RUNNING = (Status.QUEUED, Status.BUILDING)
# How long a worker may hold one export, and how long a queued one waits for a worker before
# the clock hands it on again: far beyond what the largest account takes to pack.
LEASE = timedelta(minutes=10)
# How long a finished export (ready or failed) is kept.
KEEP_FOR = timedelta(days=7)
# A zip that fails this often (or kills its worker this often) is reported as failed.
MAX_ATTEMPTS = 3
FOLDER = "exports"
SWEEP_BATCH = 100


def hand_to_worker(export_id: int) -> None:
    """Start building after the current transaction commits (the task must find the row)."""
    transaction.on_commit(partial(build_data_export.enqueue, export_id))


def delete_files_after_commit(names: Iterable[str]) -> None:
    """Delete stored files once the rows naming them are gone for good."""
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # already gone, or the disk refuses: the expiry job tries again
                logger.warning("data export file %s not deleted", name, exc_info=True)

    transaction.on_commit(delete)


def forget_data_exports(user: User) -> int:
    """Delete every export of `user` and its file (account erasure). A worker building one
    right now finds its row gone when it finishes and deletes what it wrote."""
    exports = DataExport.objects.filter(user=user)
    delete_files_after_commit(exports.values_list("file", flat=True))
    return exports.delete()[0]


def build(export_id: int) -> str:
    """Build one export; returns what became of it ("ready", "retry", "failed", "dropped", or
    "skipped" when another worker holds it or it is gone).

    The claim is committed before the zip is built, and the result recorded after, so no
    lock is held while the member's data is read and packed. The lease is also the worker's
    proof of ownership: if the clock handed the export to another worker meanwhile, or the
    account was erased, the final update finds nothing and the file written is deleted.
    """
    now = timezone.now()
    lease = now + LEASE
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    claimed = DataExport.objects.filter(free, pk=export_id, status__in=RUNNING).update(
        status=Status.BUILDING, claimed_until=lease, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    if not user.is_member:
        # Erased (or suspended) since the request: nothing of theirs is packed.
        DataExport.objects.filter(pk=export_id).delete()
        return "dropped"
    try:
        content = export_zip(user)
        name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.zip", ContentFile(content))
    except Exception:  # any failure: the row records it, the member can ask again
        logger.exception("data export %s failed (attempt %s)", export_id, export.attempts)
        return _after_failure(export, lease)
    with transaction.atomic():
        finished = timezone.now()
        done = DataExport.objects.filter(
            pk=export_id, status=Status.BUILDING, claimed_until=lease
        ).update(
            status=Status.READY,
            file=name,
            size=len(content),
            finished_at=finished,
            expires_at=finished + KEEP_FOR,
            claimed_until=None,
        )
        if not done:
            delete_files_after_commit([name])
            return "dropped"
        export.refresh_from_db()
        _mail(export, "interface/email/export_ready")
    return "ready"


@task()
def build_data_export(export_id: int) -> str:
    """The worker's job: build one member's data export."""
    return build(export_id)


def _after_failure(export: DataExport, lease: datetime) -> str:
    """Leave the export for the clock to hand on later, or report it failed after the last
    attempt."""
    now = timezone.now()
    mine = DataExport.objects.filter(pk=export.pk, status=Status.BUILDING, claimed_until=lease)
    if export.attempts < MAX_ATTEMPTS:
        mine.update(status=Status.QUEUED, claimed_until=None, queued_at=now)
        return "retry"
    with transaction.atomic():
        if mine.update(
            status=Status.FAILED, claimed_until=None, finished_at=now, expires_at=now + KEEP_FOR
        ):
            _mail(export, "interface/email/export_failed")
    return "failed"


def _mail(export: DataExport, template: str) -> None:
    context = {
        "person": export.user,
        "export": export,
        "download_url": reverse("export_data_download", args=[export.pk]),
        "page_url": reverse("export_data"),
    }
    queue_email(export.user.email, template, context)


def stale_exports(now: datetime) -> Q:
    """Queued with no worker taking it for a lease (a task lost in a crash, or a retry that
    is due), or building past its lease (the worker died)."""
    return Q(status=Status.QUEUED, queued_at__lte=now - LEASE) | Q(
        status=Status.BUILDING, claimed_until__lt=now
    )


def sweep_data_exports(now: datetime) -> int:
    """Hand stale exports to the worker again, or report them failed after the last attempt.
    Each update is conditional on the row as read, so a worker that moved on meanwhile wins."""
    handed = 0
    stale = DataExport.objects.filter(stale_exports(now)).select_related("user")
    for export in stale.order_by("pk")[:SWEEP_BATCH]:
        as_read = DataExport.objects.filter(
            pk=export.pk, status=export.status, claimed_until=export.claimed_until
        )
        with transaction.atomic():
            if export.attempts >= MAX_ATTEMPTS:
                if as_read.update(
                    status=Status.FAILED,
                    claimed_until=None,
                    finished_at=now,
                    expires_at=now + KEEP_FOR,
                ):
                    _mail(export, "interface/email/export_failed")
                continue
            if as_read.update(status=Status.QUEUED, claimed_until=None, queued_at=now):
                hand_to_worker(export.pk)
                handed += 1
    return handed


def expire_data_exports(now: datetime) -> int:
    """Delete exports past their date with their files, and files no row names any more (a
    worker that died between writing the file and recording it) once they are as old."""
    expired = DataExport.objects.filter(expires_at__lte=now)
    delete_files_after_commit(expired.values_list("file", flat=True))
    count = expired.delete()[0]
    known = set(DataExport.objects.exclude(file="").values_list("file", flat=True))
    delete_files_after_commit(
        name for name in _stored_files() if name not in known and _older(name, now - KEEP_FOR)
    )
    return count


def _stored_files() -> list[str]:
    if not default_storage.exists(FOLDER):
        return []
    return [f"{FOLDER}/{name}" for name in default_storage.listdir(FOLDER)[1]]


def _older(name: str, than: datetime) -> bool:
    try:
        return default_storage.get_modified_time(name) < than
    except OSError:
        return False
