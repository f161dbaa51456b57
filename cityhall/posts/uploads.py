"""Files attached to posts, checked by what they contain, never by their name or the
Content-Type the browser sent.

Images (JPEG, PNG, WebP, GIF) are decoded and re-encoded as clean JPEGs without metadata by
cityhall.core.images, with a smaller thumbnail for the post page. PDFs are kept as sent, but only
when they start with the PDF signature and end with its end-of-file marker; they are always
downloaded, never opened inside the site. Anything else (HTML, SVG, scripts renamed .png or
.pdf) is refused. What the uploader called the file is cleaned and kept for display only: the
stored name is generated (Attachment.file's upload_to).
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from cityhall.core.images import clean_image

IMAGE_SIDE = 1600  # enough to read a scanned notice on a phone or a laptop
THUMBNAIL_SIDE = 480
NAME_LENGTH = 100  # characters of the display name before its suffix
PDF_SIGNATURE = re.compile(rb"%PDF-\d\.\d")
PDF_TAIL = 1024  # the end-of-file marker must be within this many bytes of the end


@dataclass(frozen=True)
class CleanUpload:
    """A file that passed the checks, ready for do_create_post / do_edit_post."""

    kind: str  # Attachment.Kind
    name: str
    content: ContentFile
    size: int
    width: int | None = None
    height: int | None = None
    thumbnail: ContentFile | None = None
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None


def max_files() -> int:
    return int(settings.POST_ATTACHMENT_MAX_FILES)


def max_bytes() -> int:
    return int(settings.POST_ATTACHMENT_MAX_BYTES)


def limit_mb() -> int:
    return max(1, max_bytes() // (1024 * 1024))


def _split(raw: str | None) -> tuple[str, str]:
    """The cleaned stem and suffix of an uploaded file's name: no folders, no control or
    direction-changing characters, whitespace collapsed, not too long."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    # Category C: control, format (e.g. U+202E, which shows "fdp.exe" as "exe.pdf"), unassigned.
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = " ".join(stem.split()).strip(" .")[:NAME_LENGTH].strip(" .")
    suffix = re.sub(r"[^0-9A-Za-z]", "", suffix)[:10]
    return stem or _("添付ファイル"), suffix


def display_name(raw: str | None, suffix: str) -> str:
    """The name to show for a stored file: the uploader's cleaned name with the suffix of what
    the file really is now (.jpg or .pdf)."""
    return _split(raw)[0] + suffix


def shown_name(raw: str | None) -> str:
    """The uploader's cleaned name as they chose it, for messages about a refused file."""
    stem, suffix = _split(raw)
    return f"{stem}.{suffix}" if suffix else stem


def _refuse(name: str, message: str) -> ValidationError:
    return ValidationError(
        _("「%(name)s」: %(message)s") % {"name": name, "message": message}, code="attachment"
    )


def _read(upload: Any, shown: str) -> bytes:
    """The whole file, refused by its declared size first and never read past the limit."""
    size = getattr(upload, "size", None)
    too_large = _("ファイルが大きすぎます（1件%(limit)sMBまで）。") % {"limit": limit_mb()}
    if size is not None and size > max_bytes():
        raise _refuse(shown, too_large)
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise _refuse(shown, too_large)
    if not data:
        raise _refuse(shown, _("ファイルが空です。"))
    return bytes(data)


def _clean_pdf(data: bytes, raw_name: str) -> CleanUpload:
    shown = display_name(raw_name, ".pdf")
    if b"%%EOF" not in data[-PDF_TAIL:]:
        raise _refuse(
            shown_name(raw_name),
            _(
                "PDFファイルが壊れているか、最後まで読み込めませんでした。別のファイルを選んでください。"
            ),
        )
    return CleanUpload(
        kind="pdf", name=shown, content=ContentFile(data, name="file.pdf"), size=len(data)
    )


def _dimensions(content: ContentFile) -> tuple[int, int]:
    content.seek(0)
    with Image.open(content) as image:
        size = image.size
    content.seek(0)
    return size


def _clean_image(data: bytes, raw_name: str) -> CleanUpload:
    shown = display_name(raw_name, ".jpg")
    try:
        full = clean_image(ContentFile(data), max_bytes=max_bytes(), max_side=IMAGE_SIDE)
    except ValidationError as error:
        if error.code == "invalid":
            message = _("添付できるのは画像（JPEG・PNG・WebP・GIF）とPDFだけです。")
        else:
            message = " ".join(error.messages)
        raise _refuse(shown_name(raw_name), message) from error
    # The thumbnail is drawn from our own clean JPEG, never from the upload again.
    thumbnail = clean_image(full, max_bytes=max_bytes(), max_side=THUMBNAIL_SIDE)
    width, height = _dimensions(full)
    thumbnail_width, thumbnail_height = _dimensions(thumbnail)
    return CleanUpload(
        kind="image",
        name=shown,
        content=full,
        size=full.size,
        width=width,
        height=height,
        thumbnail=thumbnail,
        thumbnail_width=thumbnail_width,
        thumbnail_height=thumbnail_height,
    )


def clean_upload(upload: Any) -> CleanUpload:
    """Check one uploaded file; raise ValidationError in Japanese naming the file."""
    raw_name = getattr(upload, "name", "") or ""
    data = _read(upload, shown_name(raw_name))
    if PDF_SIGNATURE.match(data):
        return _clean_pdf(data, raw_name)
    return _clean_image(data, raw_name)


def clean_uploads(uploads: list[Any], *, kept: int = 0) -> list[CleanUpload]:
    """Check every file and the count (kept = attachments the post keeps). All errors are
    reported together, one per file, so the member knows exactly which files to change."""
    if kept + len(uploads) > max_files():
        raise ValidationError(
            _("添付できるファイルは1件の投稿につき%(limit)s件までです（いま%(count)s件）。")
            % {"limit": max_files(), "count": kept + len(uploads)},
            code="too_many",
        )
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_upload(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return cleaned


def pick_files(files: Any, field: str) -> list[Any]:
    """The files sent in one input with `multiple`, leaving out empty file inputs."""
    return [f for f in files.getlist(field) if getattr(f, "name", "")]
