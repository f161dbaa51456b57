"""Every page carries a Content-Security-Policy that allows the site's own scripts and styles
only, frames from the broadcasts' video players only, and the site's own WebSocket; uploaded
files keep their own sandbox policy; no template or HTML built in Python has inline code."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from cityhall.broadcasts.models import Episode
from cityhall.broadcasts.players import PLAYER_ORIGINS
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.core.gate import public
from cityhall.core.tests.test_images import image_bytes

FIXED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-src": list(PLAYER_ORIGINS),
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response: HttpResponseBase) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";")]
    return {name: sources for name, *sources in directives}


def assert_site_policy(response: HttpResponseBase) -> dict[str, list[str]]:
    directives = policy(response)
    assert {name: directives.get(name) for name in FIXED} == FIXED
    assert directives["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
    assert directives["media-src"] == ["'self'", "blob:"]
    assert directives["worker-src"] == ["'self'", "blob:"]  # hls.js's transmuxing worker
    return directives


def test_it_sends_the_policy_with_the_landing_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert_site_policy(response)


def test_it_sends_the_policy_with_a_member_page(as_user, member):
    response = as_user(member).get(reverse("posts:lobby"))
    assert response.status_code == 200
    assert_site_policy(response)


def test_it_lets_an_episode_page_frame_exactly_the_allowed_players(as_user, member):
    programme = make_programme()
    episode = make_episode(programme, stream_url="https://youtu.be/abc123")
    response = as_user(member).get(reverse("broadcasts:episode", args=[episode.pk]))
    assert response.status_code == 200
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc123"' in response.text
    assert policy(response)["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert_site_policy(response)


def test_it_allows_the_hls_origin_when_streams_come_from_another_host(as_user, member, settings):
    settings.BROADCAST_HLS_URL = "https://stream.example.lg.jp/hls/"
    programme = make_programme()
    episode = make_episode(
        programme, source=Episode.Source.SELF_HOSTED, stream_started_at=timezone.now()
    )
    response = as_user(member).get(reverse("broadcasts:episode", args=[episode.pk]))
    assert 'data-hls="https://stream.example.lg.jp/hls/photo.m3u8"' in response.text
    directives = policy(response)
    assert directives["media-src"] == ["'self'", "blob:", "https://stream.example.lg.jp"]
    assert directives["connect-src"][-1] == "https://stream.example.lg.jp"


def test_it_names_only_the_secure_websocket_over_https(client, db):
    response = client.get("/", secure=True)
    assert policy(response)["connect-src"] == ["'self'", "wss://testserver"]


def test_it_sends_the_policy_with_the_admin(as_user, admin_user):
    response = as_user(admin_user).get("/admin/")
    assert response.status_code == 200
    assert_site_policy(response)


def test_it_sends_the_policy_with_a_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_policy(response)


def test_it_sends_the_policy_with_the_csrf_failure_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"email": "a@example.jp", "password": "x"})
    assert response.status_code == 403
    assert "ページの有効期限が切れました" in response.text
    assert_site_policy(response)


@public
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken)]


def test_it_sends_the_policy_with_the_500_page(client, db, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "エラーが発生しました" in response.text
    assert_site_policy(response)


def test_it_sends_a_policy_without_websocket_origins_for_a_bad_host(client, db):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]


def test_uploaded_files_keep_their_sandbox_policy(as_user, member, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    member.profile.photo.save("photo.jpg", ContentFile(image_bytes("JPEG", (32, 32))))
    response = as_user(member).get(reverse("profiles:photo", args=[member.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
    response.close()


def test_an_episode_that_ended_frames_its_archive_from_an_allowed_player(as_user, member):
    programme = make_programme()
    episode = make_episode(
        programme,
        starts=timezone.now() - timedelta(hours=2),
        archive_url="https://vimeo.com/12345",
    )
    response = as_user(member).get(reverse("broadcasts:episode", args=[episode.pk]))
    frames = re.findall(r'<iframe src="([^"]+)"', response.text)
    assert frames == ["https://player.vimeo.com/video/12345"]
    assert all(frame.startswith(tuple(policy(response)["frame-src"])) for frame in frames)


# --- No inline code: the policy would block it, so none may be written. ---

TEMPLATE_DIRS = [
    settings.BASE_DIR / "templates",
    *sorted(settings.BASE_DIR.glob("cityhall/**/templates")),
]
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
# An attribute inside a tag: on...= event handlers, style= (style-src 'self'), htmx's hx-on
# (evaluated as code).
HANDLER = re.compile(r"<[a-z][^>]*?\s(on[a-z]+|style|hx-on[:-][\w:-]*)\s*=", re.S | re.I)
STYLE_TAG = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)


def inline_code(text: str) -> list[str]:
    found = []
    for attributes, body in SCRIPT.findall(text):
        if re.search(r"\bsrc\s*=", attributes):
            if body.strip():
                found.append("a <script src> with code inside")
        elif not re.search(r"""\btype\s*=\s*["']application/json["']""", attributes):
            found.append("an inline <script>")
    found += [f"an inline {match.group(1)}= attribute" for match in HANDLER.finditer(text)]
    found += ["a <style> element"] * len(STYLE_TAG.findall(text))
    found += ["a javascript: URL"] * len(JS_URL.findall(text))
    return found


def test_no_template_has_inline_script_handlers_or_styles():
    problems = [
        f"{template.relative_to(settings.BASE_DIR)}: {problem}"
        for directory in TEMPLATE_DIRS
        for template in sorted(directory.rglob("*.html"))
        for problem in inline_code(template.read_text())
    ]
    assert problems == []


def test_no_html_built_in_python_has_inline_script_handlers_or_styles():
    problems = [
        f"{module.relative_to(settings.BASE_DIR)}: {problem}"
        for module in sorted((settings.BASE_DIR / "cityhall").rglob("*.py"))
        if "tests" not in module.parts and "migrations" not in module.parts
        for problem in inline_code(module.read_text())
    ]
    assert problems == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x"</script>',
        '<script src="/static/x.js">alert(1)</script>',
        '<button type="button" onclick="go()">',
        '<a href="#"\n   onmouseover="go()">',
        '<form hx-on:submit="go()">',
        '<p style="color:red">',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">',
    ],
)
def test_the_scan_finds_inline_code(html):
    assert inline_code(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/x.js" defer></script>',
        '<script type="application/json" id="data">{"a": 1}</script>',
        '<form data-once class="stack">',
        '<div data-online="1" data-on-air>',
        '<link rel="stylesheet" href="/static/css/app.css">',
    ],
)
def test_the_scan_leaves_ordinary_markup_alone(html):
    assert not inline_code(html)
