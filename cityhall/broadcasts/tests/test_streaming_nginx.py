"""A real broadcast through nginx's RTMP module: a few seconds of test pattern from ffmpeg,
HLS for members only, a wrong key refused, and the archive made when publishing stops.

Needs Debian's nginx, libnginx-mod-rtmp and ffmpeg (installed by .ci/run). On a machine without
them the test says so and is skipped, except in CI, where their absence is a failure.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cityhall import testing
from cityhall.broadcasts.models import ArchiveStatus, Episode
from cityhall.broadcasts.tests.conftest import make_programme
from cityhall.core.management.commands.write_nginx_config import RTMP_MODULE, write_config

pytestmark = [pytest.mark.streaming, pytest.mark.django_db(transaction=True)]


def require_tools() -> None:
    missing = [t for t in ("nginx", "ffmpeg") if shutil.which(t) is None]
    if not Path(RTMP_MODULE).exists():
        missing.append("libnginx-mod-rtmp")
    if missing:
        message = f"needs {', '.join(missing)} (apt-get install nginx libnginx-mod-rtmp ffmpeg)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Fetched:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, session: str = "", **headers: str) -> Fetched:
    request = urllib.request.Request(url, headers=headers)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=5) as response:
            return Fetched(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.read(), dict(error.headers))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    return check()


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    require_tools()
    settings.BROADCAST_HLS_DIR = tmp_path / "hls"
    settings.BROADCAST_RECORDINGS_DIR = tmp_path / "recordings"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BROADCAST_CALLBACK_SECRET = "test-callback-secret"
    http_port, rtmp_port = free_port(), free_port()
    config = write_config(
        tmp_path / "nginx" / "nginx.conf",
        app_url=live_server.url,
        http_port=http_port,
        rtmp=True,
        rtmp_port=rtmp_port,
        user="root" if os.geteuid() == 0 else "",
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(config), "-p", str(config.parent), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", rtmp_port), timeout=0.5).close()
            return True
        except OSError:
            return False

    assert wait_until(listening, 10), process.stderr.read().decode() if process.poll() else ""
    yield {"http": f"http://127.0.0.1:{http_port}", "rtmp": f"rtmp://127.0.0.1:{rtmp_port}/live"}
    process.terminate()
    process.wait(10)


def publish(url: str, seconds: int) -> subprocess.Popen:
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re"]
    command += ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=15"]
    command += ["-f", "lavfi", "-i", "sine=frequency=440", "-t", str(seconds)]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15"]
    command += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "44100", "-f", "flv", url]
    return subprocess.Popen(command, stderr=subprocess.PIPE)


def test_a_broadcast_reaches_members_only_and_becomes_an_archive(nginx, live_server):
    programme = make_programme(slug="photo")
    now = timezone.now()
    episode = Episode.objects.create(
        programme=programme,
        title="自前配信",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(minutes=30),
        source=Episode.Source.SELF_HOSTED,
    )
    member = testing.make_user("viewer@city.example.lg.jp")
    session = testing.sign_in(Client(), member).cookies["sessionid"].value
    playlist = f"{nginx['http']}/hls/photo.m3u8"

    wrong = publish(f"{nginx['rtmp']}/photo?key=not-the-key", 2)
    assert wrong.wait(20) != 0  # nginx drops a publisher the app refused

    streaming = publish(f"{nginx['rtmp']}/photo?key={programme.stream_key}", 8)
    fetched = wait_until(lambda: (r := get(playlist, session)).status == 200 and r)
    assert fetched, "the member never got the playlist"
    assert "#EXTM3U" in fetched.text
    segment = next(line for line in fetched.text.splitlines() if line.endswith(".ts"))
    media = get(f"{nginx['http']}/hls/{segment}", session)
    assert media.status == 200 and len(media.body) > 1000
    assert get(playlist).status == 401
    assert get(f"{nginx['http']}/hls/{segment}").status == 401
    assert programme.stream_key not in fetched.text

    assert streaming.stderr is not None
    assert streaming.wait(30) == 0, streaming.stderr.read().decode()
    episode.refresh_from_db()
    assert episode.stream_started_at is not None

    def archived() -> bool:
        episode.refresh_from_db()
        return episode.archive_status == ArchiveStatus.READY

    assert wait_until(archived, 30), episode.archive_error
    assert episode.stream_ended_at is not None
    archive = f"{live_server.url}/broadcasts/episodes/{episode.pk}/archive/"
    part = get(archive, session, Range="bytes=0-99")
    assert part.status == 206 and len(part.body) == 100
    assert part.headers["Content-Type"] == "video/mp4"
    assert get(archive).status == 302  # anonymous: sent to sign in
    sound = get(f"{archive}audio/", session)
    assert sound.status == 200 and sound.headers["Content-Type"] == "audio/mp4"
    assert 1000 < len(sound.body) < len(get(archive, session).body) / 2  # far less to download
    assert get(f"{archive}audio/").status == 302
