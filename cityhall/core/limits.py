"""How large a request body each page accepts, refused before a byte of it is read.

Django reads a form's whole body into memory to parse it, so one anonymous 9 MB post to the
sign-in page once cost a worker hundreds of MB. Each view accepts what its forms can hold:
public pages (sign-in, the application) a few dozen KB, members' pages 1 MB, and the pages that
take files what their files may weigh (`@body_limit`). Uploaded files themselves are streamed
to temporary files on disk (FILE_UPLOAD_MAX_MEMORY_SIZE), never held whole in memory.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cityhall.core.gate import PUBLIC

View = TypeVar("View", bound=Callable[..., Any])
KB = 1024
MB = 1024 * KB


def body_limit(size: int | Callable[[], int]) -> Callable[[View], View]:
    """Accept bodies up to `size` bytes (or a function of the settings, read per request)."""

    def decorate(view: View) -> View:
        view.body_limit = size  # type: ignore[attr-defined]
        return view

    return decorate


def limit_for(view: Callable[..., Any]) -> int:
    size = getattr(view, "body_limit", None)
    if size is None:
        public = getattr(view, "audience", None) == PUBLIC  # set by core.gate.public
        return settings.PUBLIC_BODY_LIMIT if public else settings.MEMBER_BODY_LIMIT
    return int(size() if callable(size) else size)


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("HX-Request")
    )


def body_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _(
        "送信された内容が大きすぎます（このページで送れるのは %(size)s までです）。"
        "添付ファイルを小さくするか、数を減らしてもう一度お試しください。"
    ) % {"size": _size(limit)}
    if wants_json(request):
        return JsonResponse({"error": message}, status=413)
    response = render(request, "413.html", {"message": message}, status=413)
    response["Connection"] = "close"  # the unread body is not worth reading to keep the socket
    return response


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{max(1, limit // KB)} KB"


class BodyLimitMiddleware:
    """Before CSRF's check, which is the first to read a form's body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing from a body whose length it cannot read
        limit = limit_for(view)
        if length > limit:
            return body_too_large(request, limit)
        return None


def attachments_limit() -> int:
    """A post with every file it may carry, plus its text."""
    return settings.POST_ATTACHMENT_MAX_FILES * settings.POST_ATTACHMENT_MAX_BYTES + MB


def image_limit() -> int:
    """A form with one photo or cover image."""
    return settings.PHOTO_MAX_BYTES + MB
