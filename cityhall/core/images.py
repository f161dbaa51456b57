"""Uploaded images, made safe: identified by content, decoded once, re-encoded without metadata.

Nothing a member uploads is stored as sent. The file is opened with Pillow (never trusted by
its name or Content-Type), limited in bytes and pixels before it is decoded, turned upright
from its EXIF orientation, and written out as a fresh JPEG, so GPS positions, camera serial
numbers and anything smuggled into the file are gone.
"""

import io
import warnings
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# Far above any camera photo (a 48-megapixel phone is ~48 M), far below what exhausts memory.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
PHOTO_SIDE = 512

MESSAGES = {
    "invalid": _("画像ファイル（JPEG・PNG・WebP）を選んでください。"),
    "empty": _("ファイルが空です。画像ファイルを選んでください。"),
    "too_large": _("ファイルが大きすぎます（%(limit)sMBまで）。"),
    "too_many_pixels": _("画像の縦横のサイズが大きすぎます。縮小してから選んでください。"),
    "broken": _(
        "画像ファイルが壊れているか、最後まで読み込めませんでした。別のファイルを選んでください。"
    ),
}


def _error(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _read_limited(uploaded_file: Any, max_bytes: int) -> bytes:
    """Read the file, refusing it by its declared size first and never reading past the limit."""
    limit_mb = max(1, max_bytes // (1024 * 1024))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _error("too_large", limit=limit_mb)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _error("too_large", limit=limit_mb)
    if not data:
        raise _error("empty")
    return data


def _open(stream: IO[bytes], max_pixels: int) -> Image.Image:
    """Identify the format by content and decode the first frame, within the pixel budget."""
    image = Image.open(stream, formats=sorted(ALLOWED_FORMATS))
    if image.format not in ALLOWED_FORMATS:  # pragma: no cover - formats= already limits this
        raise _error("invalid")
    width, height = image.size
    if width < 1 or height < 1:
        raise _error("broken")
    if width * height > max_pixels:
        raise _error("too_many_pixels")
    if image.format == "JPEG":
        # Decode large photos at a reduced scale straight away; saves time and memory.
        image.draft("RGB", (PHOTO_SIDE * 2, PHOTO_SIDE * 2))
    image.seek(0)  # animated GIF/WebP: the first frame only
    image.load()
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on a white background (transparent PNG/GIF areas would otherwise turn black)."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a photo with unreadable EXIF is kept as it is drawn."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # damaged EXIF must not cost the member their photo
        return image


def _redraw(image: Image.Image, max_side: int) -> Image.Image:
    """A brand-new RGB image: no EXIF, XMP, ICC profile or comments survive from the upload."""
    rgb = _flatten(image)
    rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def clean_image(
    uploaded_file: Any,
    *,
    max_bytes: int | None = None,
    max_side: int = PHOTO_SIDE,
    max_pixels: int = MAX_PIXELS,
) -> ContentFile:
    """Return a clean JPEG (fitting max_side × max_side) or raise ValidationError in Japanese.

    Accepts JPEG, PNG, WebP and GIF (first frame). Refuses anything else (SVG, HTML, a text
    file renamed .jpg), files over max_bytes (default settings.PHOTO_MAX_BYTES), images over
    max_pixels, decompression bombs and truncated files.
    """
    max_bytes = settings.PHOTO_MAX_BYTES if max_bytes is None else max_bytes
    data = _read_limited(uploaded_file, max_bytes)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open(io.BytesIO(data), max_pixels)
        clean = _redraw(_upright(image), max_side)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _error("too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise _error("invalid") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated or corrupt data, or a pixel format we cannot convert.
        raise _error("broken") from error
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def clean_form_image(upload: Any, *, max_side: int) -> ContentFile | None:
    """A form's optional image field: None when nothing was chosen, else clean_image's result;
    a refusal also asks to choose the file again (browsers cannot keep a file on a form that
    comes back with errors)."""
    if not upload:
        return None
    try:
        return clean_image(upload, max_side=max_side)
    except ValidationError as error:
        raise ValidationError(
            [*error.messages, _("お手数ですが、画像をもう一度選んでください。")]
        ) from error
