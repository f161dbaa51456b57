"""When the site cannot save: a full disk or a read-only database is a clear 503, and files
written for a change that was not committed are removed.

A member who posts while the disk is full sees 「ただいま保存できません」 and keeps the page
they typed on (the browser's back button); nothing half-saved is left behind.
"""

import contextvars
import errno
import logging
from collections.abc import Callable
from typing import Any

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cityhall.core.limits import wants_json

logger = logging.getLogger(__name__)

# Database messages that mean "cannot write now", not "this change is wrong".
_CANNOT_WRITE = (
    "database or disk is full",  # SQLite
    "attempt to write a readonly database",  # SQLite
    "disk i/o error",  # SQLite
    "no space left on device",  # PostgreSQL
    "could not extend file",  # PostgreSQL
    "read-only transaction",  # PostgreSQL hot standby or default_transaction_read_only
    "database is locked",  # SQLite, after the busy timeout
)
_CANNOT_WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT}
RETRY_AFTER = 60

# Names of files this request saved whose transaction has not committed yet.
_unconfirmed: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "unconfirmed_uploads", default=None
)


def cannot_write(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno in _CANNOT_WRITE_ERRNOS:
        return True
    if isinstance(error, DatabaseError):
        text = str(error).lower()
        return any(phrase in text for phrase in _CANNOT_WRITE)
    return False


class MediaStorage(FileSystemStorage):
    """Uploaded files, remembered until the transaction that stores them commits."""

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        name = super().save(name, content, max_length=max_length)
        pending = _unconfirmed.get()
        if pending is not None:
            pending.add(name)
            transaction.on_commit(lambda: pending.discard(name))
        return name


def unavailable(request: HttpRequest) -> HttpResponse:
    """HTTP 503, rendered without the database (which may be what failed)."""
    message = _(
        "ただいま保存できません。サーバーの空き容量などの問題で、書き込みを一時的に受け付けられません。"
        "入力した内容はこのページを戻ると残っている場合があります。しばらくしてからもう一度お試しください。"
    )
    if wants_json(request):
        response: HttpResponse = JsonResponse({"error": message}, status=503)
    else:
        html = render_to_string("503_unavailable.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class SavingFailureMiddleware:
    """Turns "cannot write" failures into a 503 page and removes the files of changes that
    did not commit. Placed outermost among the app's own middleware, so it sees the error
    after every transaction of the request has ended."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pending: set[str] = set()
        token = _unconfirmed.set(pending)
        try:
            return self.get_response(request)
        finally:
            _unconfirmed.reset(token)
            # Inside an enclosing transaction (a test's) its outcome is not known yet.
            if pending and not connection.in_atomic_block:
                _remove(pending)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not cannot_write(exception):
            return None
        logger.error("cannot save: %s", exception)
        return unavailable(request)


def _remove(names: set[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not remove the unsaved upload %s", name)
