"""Writes of the interface's own use cases: a member's data export."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.submissions import once, parse_key
from cityhall.interface.export_worker import RUNNING, delete_files_after_commit, hand_to_worker
from cityhall.interface.models import DataExport


def check_request_data_export(actor: User) -> None:
    if not actor.is_member or not actor.is_active:
        raise PermissionDenied(_("データの書き出しは会員だけが行えます。"))


def do_request_data_export(*, submission_key: Any = None, actor: User) -> tuple[DataExport, bool]:
    """A member asks for their own data. Returns the export and whether it was already queued
    or building, in which case that one is returned and nothing new starts.

    A new export replaces the member's finished ones (their files go after commit) and is
    handed to the worker after commit; the member gets a mail when it is ready. The form's
    `submission_key` makes a double submit return the same export. ValidationError for a
    malformed key."""
    check_request_data_export(actor)
    key = parse_key(submission_key)
    with once(actor, key, DataExport) as sent:
        if sent.previous is not None:
            return sent.previous, False
        running = DataExport.objects.filter(user=actor, status__in=RUNNING).first()
        if running is not None:
            return sent.record(running), True
        finished = DataExport.objects.filter(user=actor)
        delete_files_after_commit(finished.values_list("file", flat=True))
        finished.delete()
        try:
            with transaction.atomic():  # a savepoint: a twin request may have won the race
                export = DataExport.objects.create(user=actor)
        except IntegrityError:
            running = DataExport.objects.get(user=actor, status__in=RUNNING)
            return sent.record(running), True
        hand_to_worker(export.pk)
        return sent.record(export), False


def latest_data_export(user: User) -> DataExport | None:
    """The member's export to show on the settings page; one past its date counts as none."""
    export = DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()
    if export and export.expires_at and export.expires_at <= timezone.now():
        return None
    return export


def access_data_export(user: User, export_id: int) -> DataExport:
    """The member's own export, ready and within its date; 404 for anyone else, staff too."""
    export = DataExport.objects.filter(
        pk=export_id, user=user, status=DataExport.Status.READY, expires_at__gt=timezone.now()
    ).first()
    if export is None or not export.file:
        raise Http404
    return export
