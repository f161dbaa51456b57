"""Self-hosted episodes: what the app answers nginx's RTMP module, and recordings → archives.

Personalities' software publishes to ``rtmp://HOST/live`` with the stream key
``<programme slug>?key=<secret>``: the stream is named after the programme (so HLS lives at
``/hls/<slug>.m3u8``, behind the members-only check) and the secret travels as an argument.
nginx (config from `manage.py write_nginx_config`, docs/broadcasting.md) calls back:
- on_publish with the name and the key: the app accepts it only for a self-hosted episode of
  that programme that is on air or starts within PUBLISH_EARLY;
- on_publish_done when the software disconnects;
- on_record_done with the recording's path, which becomes the archive: ffmpeg copies the
  streams into an MP4 with its index at the front (fast start), so members can seek at once.
"""

import hmac
import logging
import subprocess
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cityhall.audit.log import record
from cityhall.broadcasts.models import ArchiveStatus, Episode, Programme
from cityhall.core.signing import broadcast_callback_secret

logger = logging.getLogger(__name__)
PUBLISH_EARLY = timedelta(minutes=30)  # personalities may connect and test before the start
REMUX_TIMEOUT = 60 * 60


def valid_secret(given: str) -> bool:
    return hmac.compare_digest(given.encode(), broadcast_callback_secret().encode())


def episode_for_key(slug: str, key: str) -> Episode | None:
    """The self-hosted episode a personality may publish to with this key right now."""
    if not slug or not key:
        return None
    programme = Programme.objects.active().filter(slug=slug).first()
    if programme is None or not hmac.compare_digest(programme.stream_key.encode(), key.encode()):
        return None
    now = timezone.now()
    return (
        programme.episodes.scheduled()
        .filter(
            source=Episode.Source.SELF_HOSTED,
            starts_at__lte=now + PUBLISH_EARLY,
            ends_at__gt=now,
        )
        .order_by("starts_at")
        .first()
    )


def streamed_episode(slug: str) -> Episode | None:
    """The programme's episode that most recently started streaming."""
    return (
        Episode.objects.filter(
            programme__slug=slug,
            source=Episode.Source.SELF_HOSTED,
            stream_started_at__isnull=False,
        )
        .order_by("-stream_started_at")
        .first()
    )


@transaction.atomic
def do_start_stream(episode: Episode) -> None:
    episode.stream_started_at = timezone.now()
    episode.stream_ended_at = None
    episode.save(update_fields=["stream_started_at", "stream_ended_at"])
    record("broadcasts.stream.started", actor=None, target=episode)


@transaction.atomic
def do_end_stream(episode: Episode) -> None:
    episode.stream_ended_at = timezone.now()
    episode.save(update_fields=["stream_ended_at"])
    record("broadcasts.stream.ended", actor=None, target=episode)


def recording_path(raw: str) -> Path | None:
    """A recording nginx reports, only if it really lies in the recordings folder."""
    folder = settings.BROADCAST_RECORDINGS_DIR.resolve()
    try:
        path = Path(raw).resolve()
    except (OSError, ValueError):
        return None
    if folder not in path.parents or not path.is_file():
        return None
    return path


@transaction.atomic
def do_queue_archive(episode: Episode, recording: Path) -> None:
    episode.archive_status = ArchiveStatus.PROCESSING
    episode.archive_error = ""
    episode.save(update_fields=["archive_status", "archive_error"])
    transaction.on_commit(lambda: make_archive.enqueue(episode.pk, str(recording)))


@task()
def make_archive(episode_id: int, recording: str) -> str:
    """Remux a recording into a streamable MP4 and attach it to the episode, with its sound
    alone beside it when the recording has any."""
    episode = Episode.objects.get(pk=episode_id)
    source = Path(recording)
    target, audio = source.with_suffix(".mp4"), source.with_suffix(".m4a")
    try:
        _remux(source, target, ["-c", "copy"])
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        logger.exception("archive of episode %s failed", episode_id)
        Episode.objects.filter(pk=episode_id).update(
            archive_status=ArchiveStatus.FAILED,
            archive_error=(str(error) + "\n" + detail.decode(errors="replace"))[:2000],
        )
        return ArchiveStatus.FAILED
    try:
        _remux(source, audio, ["-vn", "-c:a", "copy"])
    except (OSError, subprocess.SubprocessError):  # no sound track: the video alone will do
        logger.warning("episode %s: no audio-only archive", episode_id, exc_info=True)
        audio.unlink(missing_ok=True)
    with target.open("rb") as handle:
        episode.archive_file.save(f"episode-{episode.pk}.mp4", File(handle), save=False)
    if audio.is_file():
        with audio.open("rb") as handle:
            episode.archive_audio.save(f"episode-{episode.pk}.m4a", File(handle), save=False)
    episode.archive_status = ArchiveStatus.READY
    episode.save(update_fields=["archive_file", "archive_audio", "archive_status"])
    for done in (target, audio, source):
        done.unlink(missing_ok=True)
    record("broadcasts.archive.ready", actor=None, target=episode)
    return ArchiveStatus.READY


def _remux(source: Path, target: Path, streams: list[str]) -> None:
    """Copy streams into an MP4 with its index at the front (no re-encoding)."""
    command = [settings.FFMPEG, "-nostdin", "-y", "-loglevel", "error", "-i", str(source)]
    command += [*streams, "-movflags", "+faststart", str(target)]
    subprocess.run(command, check=True, capture_output=True, timeout=REMUX_TIMEOUT)  # noqa: S603
