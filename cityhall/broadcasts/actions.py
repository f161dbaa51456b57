"""Changes to programmes, episodes and follows."""

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.broadcasts import signals
from cityhall.broadcasts.access import can_run
from cityhall.broadcasts.context import CACHE_KEY
from cityhall.broadcasts.live import as_message, publish, publish_comment
from cityhall.broadcasts.models import (
    ArchivePlay,
    Episode,
    EpisodeMute,
    LiveComment,
    Programme,
    ProgrammeFollow,
    new_stream_key,
)
from cityhall.core.submissions import earlier_result, once, parse_key
from cityhall.core.throttle import once_per, within_rate

# A follower hears about an episode that went on air at most this late (no stale mail after
# the clock was down for hours).
LIVE_NOTICE_WINDOW = timedelta(minutes=30)


def _refresh_banner() -> None:
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def check_staff(actor: User) -> None:
    """Creating, editing and archiving programmes."""
    if not actor.is_staff_member:
        raise PermissionDenied(_("番組を作成・編集・終了できるのは運営事務局です。"))


def check_run(actor: User, programme: Programme) -> None:
    """Running a programme's episodes, stream key and live comments: staff, and its
    personalities while it is on the timetable (an archived programme exists for staff only)."""
    if not can_run(actor, programme) or (programme.archived_at and not actor.is_staff_member):
        raise PermissionDenied(_("この番組を運営できるのは、運営事務局とパーソナリティです。"))


def check_watch(actor: User, programme: Programme) -> None:
    """Following, playing and commenting: members, on a programme still on the timetable
    (archived ones exist for staff only, as access.access_programme says)."""
    if not actor.is_member or (programme.archived_at and not actor.is_staff_member):
        raise PermissionDenied(_("この番組は利用できません。"))


@transaction.atomic
def do_save_programme(
    programme: Programme, *, personalities: list[User], cover: Any, actor: User
) -> Programme:
    """Staff create or edit a programme and name its personalities."""
    check_staff(actor)
    created = programme.pk is None
    if cover is not None:
        programme.cover = cover
    programme.save()
    programme.personalities.set(personalities)
    record(
        "broadcasts.programme.created" if created else "broadcasts.programme.updated",
        actor=actor,
        target=programme,
        personalities=[p.pk for p in personalities],
    )
    return programme


@transaction.atomic
def do_rotate_stream_key(programme: Programme, *, actor: User) -> None:
    """Personalities and staff replace the programme's stream key (e.g. after a leak)."""
    check_run(actor, programme)
    programme.stream_key = new_stream_key()
    programme.save(update_fields=["stream_key"])
    record("broadcasts.programme.key_rotated", actor=actor, target=programme)


@transaction.atomic
def do_archive_programme(programme: Programme, *, actor: User) -> None:
    """Staff take a programme off the timetable; its past episodes stay for staff."""
    check_staff(actor)
    programme.archived_at = timezone.now()
    programme.save(update_fields=["archived_at"])
    record("broadcasts.programme.archived", actor=actor, target=programme)
    _refresh_banner()


@transaction.atomic
def do_save_episode(episode: Episode, *, actor: User) -> Episode:
    """Personalities (their programme) and staff schedule or edit an episode."""
    check_run(actor, episode.programme)
    created = episode.pk is None
    if created:
        episode.created_by = actor
    episode.save()
    record(
        "broadcasts.episode.created" if created else "broadcasts.episode.updated",
        actor=actor,
        target=episode,
    )
    _refresh_banner()
    return episode


@transaction.atomic
def do_cancel_episode(episode: Episode, *, actor: User) -> None:
    """Personalities and staff cancel an episode that has not ended; it stays on the
    timetable marked as cancelled."""
    check_run(actor, episode.programme)
    if episode.has_ended() or episode.is_cancelled:
        raise ValidationError(_("終了した放送回や中止済みの放送回は中止できません。"))
    episode.cancelled_at = timezone.now()
    episode.save(update_fields=["cancelled_at"])
    record("broadcasts.episode.cancelled", actor=actor, target=episode)
    _refresh_banner()


def do_follow(programme: Programme, *, user: User) -> None:
    """A member follows a programme (twice is harmless)."""
    check_watch(user, programme)
    try:
        with transaction.atomic():
            ProgrammeFollow.objects.create(user=user, programme=programme)
    except IntegrityError:
        pass


def do_record_play(episode: Episode, *, user: User) -> bool:
    """A member started an archive of an episode that has ended; counted once per member and
    episode. True when new."""
    check_watch(user, episode.programme)
    if not episode.has_ended():
        raise ValidationError(_("この放送回はまだ終了していません。"))
    try:
        with transaction.atomic():
            ArchivePlay.objects.create(episode=episode, user=user)
    except IntegrityError:
        return False
    return True


def do_unfollow(programme: Programme, *, user: User) -> None:
    """The follower themselves, whatever their status: removing one's own follow is always
    safe."""
    ProgrammeFollow.objects.filter(user=user, programme=programme).delete()


@transaction.atomic
def do_announce_live_episodes(now: datetime) -> int:
    """Tell each follower once when an episode goes on air: a notification on the site, and a
    mail unless they chose the site only (the notifications app does both, on
    signals.episode_on_air). Returns the episodes announced. Run by the clock every minute."""
    due = (
        Episode.objects.on_air(now)
        .filter(live_notified_at=None, starts_at__gte=now - LIVE_NOTICE_WINDOW)
        .select_related("programme")
        .select_for_update()
    )
    announced = 0
    for episode in due:
        signals.episode_on_air.send(sender=Episode, episode=episode, at=now)
        episode.live_notified_at = now
        episode.save(update_fields=["live_notified_at"])
        announced += 1
    return announced


# --- live comments ----------------------------------------------------------------------

COMMENT_MAX = 300
COMMENT_GAP_SECONDS = 2  # at most one comment every 2 seconds …
COMMENTS_PER_MINUTE = 15  # … and 15 a minute, per member and episode
OPEN_BEFORE_START = timedelta(minutes=15)
CONTROL = {c: " " for c in [*range(32), 127]}  # line breaks and control characters


def clean_comment_body(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValidationError(_("コメントを入力してください。"))
    body = " ".join(raw.translate(CONTROL).split())
    if not body:
        raise ValidationError(_("コメントを入力してください。"))
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            _("コメントは%(max)d文字までです（いま%(n)d文字）。")
            % {"max": COMMENT_MAX, "n": len(body)}
        )
    return body


def comments_open(episode: Episode, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        not episode.is_cancelled and episode.starts_at - OPEN_BEFORE_START <= now < episode.ends_at
    )


def _throttle(episode: Episode, user: User) -> None:
    if not once_per(f"broadcasts:gap:{episode.pk}:{user.pk}", COMMENT_GAP_SECONDS):
        raise ValidationError(_("続けて投稿するには少し間をあけてください。"), code="throttled")
    if not within_rate(f"broadcasts:minute:{episode.pk}:{user.pk}", COMMENTS_PER_MINUTE, 60):
        raise ValidationError(
            _("コメントが多すぎます。1分ほど待ってから投稿してください。"), code="throttled"
        )


def do_post_live_comment(
    episode: Episode, raw_body: Any, *, submission_key: Any = None, actor: User
) -> LiveComment:
    """A member comments on an episode while it is on air (or about to start); every viewer
    receives it at once. Refused with a Japanese message when closed, muted, empty, too long or
    too fast. The checks run before the write, so the write lock is held for the INSERT only.
    The page's script sends a `submission_key` per comment and the same one when it retries:
    a key already used returns its comment, before the speed limit could refuse the retry."""
    check_watch(actor, episode.programme)
    key = parse_key(submission_key)
    earlier = earlier_result(actor, key, LiveComment, episode=episode)
    if earlier is not None:
        return earlier
    body = clean_comment_body(raw_body)
    if not comments_open(episode):
        raise ValidationError(_("この放送回は、いまはコメントを受け付けていません。"))
    if EpisodeMute.objects.filter(episode=episode, user=actor).exists():
        raise ValidationError(_("この放送回では、コメントを投稿できません。"), code="muted")
    _throttle(episode, actor)
    with once(actor, key, LiveComment, episode=episode) as sent:
        if sent.previous is not None:
            return sent.previous
        comment = LiveComment.objects.create(episode=episode, author=actor, body=body)
        comment.episode = episode
        publish_comment(episode.pk, as_message(comment))
        return sent.record(comment)


@transaction.atomic
def do_delete_live_comment(comment: LiveComment, *, actor: User) -> None:
    """Personalities and staff remove a comment; it disappears from every viewer's screen."""
    check_run(actor, comment.episode.programme)
    if comment.deleted_at is not None:
        return
    comment.deleted_at = timezone.now()
    comment.deleted_by = actor
    comment.save(update_fields=["deleted_at", "deleted_by"])
    record(
        "broadcasts.comment.deleted",
        actor=actor,
        target=comment,
        subject_user=comment.author,
        body=comment.body,
    )
    publish(comment.episode_id, {"type": "comment.deleted", "id": comment.pk})


@transaction.atomic
def do_mute(episode: Episode, user: User, *, actor: User) -> bool:
    """Personalities and staff stop a member commenting for the rest of the episode.
    Staff and the programme's personalities cannot be muted. True when newly muted."""
    check_run(actor, episode.programme)
    if user.is_staff_member or can_run(user, episode.programme):
        raise ValidationError(
            _("運営事務局やパーソナリティはミュートできません。"), code="protected"
        )
    created = EpisodeMute.objects.get_or_create(
        episode=episode, user=user, defaults={"muted_by": actor}
    )[1]
    if created:
        record("broadcasts.member.muted", actor=actor, target=episode, subject_user=user)
    return created
