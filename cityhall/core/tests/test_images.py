import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cityhall.core.images import clean_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (800, 600),
    *,
    mode: str = "RGB",
    color: float | tuple[float, ...] | str | None = (200, 30, 30),
    exif: Image.Exif | None = None,
    **save,
) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, color)
    if exif is not None:
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(cleaned) -> Image.Image:
    return Image.open(io.BytesIO(cleaned.read()))


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[ORIENTATION] = 1
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (43.0, 3.0, 0.0), 3: "E", 4: (141.0, 21.0, 0.0)})
    return exif


def codes(excinfo: pytest.ExceptionInfo) -> set[str]:
    return {e.code for e in excinfo.value.error_list}


def test_it_reencodes_a_jpeg_to_fit_the_photo_box():
    cleaned = clean_image(upload(image_bytes("JPEG", (2000, 1000))))
    image = reopen(cleaned)
    assert image.format == "JPEG"
    assert image.size == (512, 256)
    assert cleaned.name is not None
    assert cleaned.name.endswith(".jpg")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_it_accepts_png_webp_and_gif_and_returns_jpeg(fmt):
    cleaned = clean_image(upload(image_bytes(fmt, (300, 200)), name=f"a.{fmt.lower()}"))
    image = reopen(cleaned)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (300, 200)


def test_it_puts_transparent_areas_on_white():
    cleaned = clean_image(upload(image_bytes("PNG", (10, 10), mode="RGBA", color=(0, 0, 0, 0))))
    pixel = reopen(cleaned).getpixel((5, 5))
    assert isinstance(pixel, tuple)
    assert pixel >= (250, 250, 250)


def test_it_strips_exif_including_gps_location():
    data = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the upload has a location
    cleaned = clean_image(upload(data)).read()
    assert b"ExampleCam" not in cleaned
    image = Image.open(io.BytesIO(cleaned))
    assert not image.getexif()
    assert "exif" not in image.info


def test_it_strips_png_text_chunks_and_icc_profiles():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret place")
    data = image_bytes("PNG", pnginfo=info, icc_profile=b"\0" * 128)
    cleaned = clean_image(upload(data, "a.png", "image/png")).read()
    assert b"secret place" not in cleaned
    assert "icc_profile" not in Image.open(io.BytesIO(cleaned)).info


def test_it_turns_the_photo_upright_from_exif_orientation():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotate 90° clockwise when displayed
    image = reopen(clean_image(upload(image_bytes("JPEG", (400, 200), exif=exif))))
    assert image.size == (200, 400)


def test_it_refuses_a_text_file_renamed_jpg():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(b"This is not an image at all.\n" * 10, "photo.jpg"))
    assert codes(excinfo) == {"invalid"}
    assert "画像ファイル（JPEG・PNG・WebP）を選んでください" in excinfo.value.messages[0]


def test_it_refuses_svg_even_when_it_claims_to_be_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(svg, "face.png", "image/png"))
    assert codes(excinfo) == {"invalid"}


def test_it_refuses_html_and_other_image_formats():
    for data in (b"<!doctype html><html><body>hi</body></html>", image_bytes("BMP", (10, 10))):
        with pytest.raises(ValidationError) as excinfo:
            clean_image(upload(data))
        assert codes(excinfo) == {"invalid"}


def test_it_refuses_an_oversized_file_by_its_declared_size_without_reading_it():
    class Huge:
        size = 6 * 1024 * 1024

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read before the size check")

    with pytest.raises(ValidationError) as excinfo:
        clean_image(Huge())
    assert codes(excinfo) == {"too_large"}
    assert "ファイルが大きすぎます（5MBまで）" in excinfo.value.messages[0]


def test_it_refuses_a_file_longer_than_the_limit_even_if_its_size_says_otherwise():
    data = image_bytes("PNG", (50, 50))
    upload_file = upload(data)
    upload_file.size = 10  # a lying size must not let a large file through
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload_file, max_bytes=len(data) - 1)
    assert codes(excinfo) == {"too_large"}


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(b""))
    assert codes(excinfo) == {"empty"}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_it_refuses_a_truncated_file(fmt):
    noisy = Image.effect_noise((600, 600), 80).convert("RGB")  # incompressible, so long
    out = io.BytesIO()
    noisy.save(out, format=fmt)
    data = out.getvalue()
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(data[: len(data) // 2]))
    assert codes(excinfo) == {"broken"}


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims a huge canvas: a decompression bomb."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def test_it_refuses_a_decompression_bomb():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(_png_claiming(100_000, 100_000), "bomb.png", "image/png"))
    assert codes(excinfo) == {"too_many_pixels"}


def test_it_refuses_images_over_the_pixel_budget():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(image_bytes("PNG", (200, 200))), max_pixels=100 * 100)
    assert codes(excinfo) == {"too_many_pixels"}


def test_it_treats_pillows_bomb_warning_as_a_refusal(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(image_bytes("PNG", (150, 100))))  # between the limit and twice it
    assert codes(excinfo) == {"too_many_pixels"}
