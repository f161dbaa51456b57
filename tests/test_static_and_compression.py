"""Static files and pages travel as production sends them: hashed names cached for a year,
precompressed files, and compressed HTML — under `make run` as behind nginx."""

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, override_settings

from cityhall.core.compression import CompressionMiddleware

STATIC_STORAGE = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "cityhall.core.staticfiles.StaticStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic with the production storage, as `serve` and the deployment guide run it."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=STATIC_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected: Path):
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES=STATIC_STORAGE,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        yield collected


def test_it_collects_every_static_file_with_a_hashed_and_a_compressed_copy(collected):
    assert list(collected.glob("css/app.*.css")), "no hashed stylesheet"
    assert list(collected.glob("vendor/hls/hls.light.min.*.js.gz")), "no compressed hls.js"
    manifest = (collected / "staticfiles.json").read_text(encoding="utf-8")
    assert "vendor/hls/hls.light.min.js" in manifest


def test_it_vendors_no_file_that_points_to_a_missing_source_map():
    for path in Path(settings.BASE_DIR, "static").rglob("*.js"):
        for match in re.finditer(r"sourceMappingURL=(\S+)", path.read_text(encoding="utf-8")):
            assert (path.parent / match.group(1)).exists(), f"{path} points to a missing map"


def test_it_links_pages_to_hashed_static_files_even_in_the_local_demo(db, production_static):
    with override_settings(DEBUG=True):
        html = Client().get("/").content.decode()
    assert re.search(r'href="/static/css/app\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js"', html)


def test_it_serves_hashed_static_files_compressed_and_cached_for_a_year(db, production_static):
    client = Client()
    html = client.get("/").content.decode()
    link = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html)
    assert link is not None
    response = client.get(link.group(1), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    cache_control = re.search(r"max-age=(\d+)", response["Cache-Control"])
    assert cache_control is not None
    max_age = int(cache_control.group(1))
    assert max_age >= 365 * 24 * 60 * 60
    assert isinstance(response, StreamingHttpResponse)
    # WhiteNoise streams a file synchronously.
    body = gzip.decompress(b"".join(cast(Iterator[bytes], response.streaming_content)))
    assert b"--" in body  # the stylesheet itself, with its custom properties


def test_it_compresses_pages_for_browsers_that_accept_gzip(db):
    response = Client().get("/", headers={"accept-encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "参加を申請する" in gzip.decompress(response.content).decode()


def test_it_sends_pages_plain_to_clients_that_do_not_accept_gzip(db):
    response = Client().get("/")
    assert not response.has_header("Content-Encoding")
    assert "参加を申請する" in response.content.decode()


def test_it_leaves_streamed_and_binary_responses_uncompressed(rf):
    """Uploads and archives keep their byte ranges; images are compressed already."""
    request = rf.get("/", headers={"accept-encoding": "gzip"})
    streamed = StreamingHttpResponse(iter([b"<p>x</p>" * 100]), content_type="text/html")
    image = HttpResponse(b"\x89PNG" + b"0" * 1000, content_type="image/png")
    # A synchronous get_response makes a synchronous middleware.
    answer = CompressionMiddleware(lambda request: streamed)(request)
    assert isinstance(answer, HttpResponseBase)
    assert not answer.has_header("Content-Encoding")
    answer = CompressionMiddleware(lambda request: image)(request)
    assert isinstance(answer, HttpResponseBase)
    assert not answer.has_header("Content-Encoding")
