"""Sending uploaded files. Media is never served from a public URL: a view checks access
first, then hands the file to serve_file()."""

import mimetypes
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

# Browsers may keep a copy for the signed-in person only; shared caches never store it.
CACHE_CONTROL = "private, max-age=3600"
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _secure(response: HttpResponseBase, content_type: str, filename: str, inline: bool) -> None:
    response["Content-Type"] = content_type
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    # Should a file ever be opened as a document, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    disposition = content_disposition_header(not inline, filename)
    if disposition:
        response["Content-Disposition"] = disposition


def serve_file(
    request: HttpRequest, field_file: FieldFile, *, filename: str | None = None, inline: bool = True
) -> HttpResponseBase:
    """Send an uploaded file to someone the caller has already allowed to see it.

    The content type comes from the stored name (uploads are re-encoded or renamed on the
    way in, so the name is ours, not the uploader's). With settings.MEDIA_ACCEL_REDIRECT set
    (an nginx `internal` location aliased to MEDIA_ROOT), nginx sends the bytes instead.
    A missing file is a 404.
    """
    name = field_file.name if field_file else ""
    if not name or not field_file.storage.exists(name):
        raise Http404
    filename = filename or name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"

    accel = settings.MEDIA_ACCEL_REDIRECT
    response: HttpResponseBase
    if accel:
        response = HttpResponse()
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = field_file.storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = _ranged(handle, field_file.storage.size(name), request.headers.get("Range"))
    _secure(response, content_type, filename, inline)
    return response


def _ranged(handle: IO[bytes], size: int, header: str | None) -> HttpResponseBase:
    """The whole file, or the one byte range asked for (206), so that audio and video can
    seek; a range beyond the end is a 416. (nginx does this itself with X-Accel-Redirect.)"""
    match = RANGE.match(header or "")
    if not match or not any(match.groups()):
        response: HttpResponseBase = FileResponse(handle)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle.seek(start)
    response = StreamingHttpResponse(_read(handle, end - start + 1), status=206)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(handle: IO[bytes], remaining: int) -> Iterator[bytes]:
    with handle:
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk
