"""A recording made into an archive by ffmpeg: the video, and the sound alone for listening
like the radio. Needs ffmpeg (installed by .ci/run); skipped without it, except in CI."""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cityhall.broadcasts.models import ArchiveStatus, Episode
from cityhall.broadcasts.streaming import make_archive
from cityhall.broadcasts.tests.conftest import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def recordings(settings, tmp_path) -> Path:
    if shutil.which("ffmpeg") is None:
        if os.environ.get("CI"):
            pytest.fail("needs ffmpeg (apt-get install ffmpeg)")
        pytest.skip("needs ffmpeg (apt-get install ffmpeg)")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BROADCAST_RECORDINGS_DIR = tmp_path / "recordings"
    settings.BROADCAST_RECORDINGS_DIR.mkdir()
    return settings.BROADCAST_RECORDINGS_DIR


def record_flv(folder: Path, *, sound: bool) -> Path:
    """Two seconds of test pattern, as nginx's RTMP module records it (FLV, H.264 + AAC)."""
    path = folder / ("with-sound.flv" if sound else "silent.flv")
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=2"]
    if sound:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(command, check=True, timeout=60)
    return path


def ended_episode(programme) -> Episode:
    return make_episode(
        programme,
        starts=timezone.now() - timedelta(hours=2),
        source=Episode.Source.SELF_HOSTED,
        stream_url="",
    )


def test_an_archive_plays_as_video_or_as_sound_alone_to_members_only(
    recordings, programme, as_user, member
):
    episode = ended_episode(programme)
    assert make_archive.call(episode.pk, str(record_flv(recordings, sound=True))) == "ready"
    episode.refresh_from_db()
    assert episode.archive_status == ArchiveStatus.READY
    assert not list(recordings.iterdir())  # the recording and the remuxes are cleaned up
    member_client = as_user(member)
    page = member_client.get(f"/broadcasts/episodes/{episode.pk}/").content.decode()
    assert f'data-audio-src="/broadcasts/episodes/{episode.pk}/archive/audio/"' in page
    audio_url = f"/broadcasts/episodes/{episode.pk}/archive/audio/"
    part = member_client.get(audio_url, headers={"range": "bytes=0-99"})
    assert part.status_code == 206 and part["Content-Type"] == "audio/mp4"
    assert len(b"".join(part.streaming_content)) == 100
    video = member_client.get(f"/broadcasts/episodes/{episode.pk}/archive/")
    assert int(member_client.get(audio_url)["Content-Length"]) < int(video["Content-Length"])
    assert Client().get(audio_url).status_code == 302  # not signed in


def test_a_recording_without_sound_still_becomes_a_video_archive(
    recordings, programme, as_user, member
):
    episode = ended_episode(programme)
    make_archive.call(episode.pk, str(record_flv(recordings, sound=False)))
    episode.refresh_from_db()
    assert episode.archive_status == ArchiveStatus.READY and not episode.archive_audio
    member_client = as_user(member)
    page = member_client.get(f"/broadcasts/episodes/{episode.pk}/").content.decode()
    assert "data-archive" in page and "data-audio-src" not in page
    assert member_client.get(f"/broadcasts/episodes/{episode.pk}/archive/audio/").status_code == 404
