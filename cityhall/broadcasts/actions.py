"""Changes to programmes, episodes and follows."""

from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
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
from cityhall.notifications import unread
from cityhall.notifications.mail import queue_email
from cityhall.notifications.models import Delivery, Kind, Notification, Preference

# A follower hears about an episode that went on air at most this late (no stale mail after
# the clock was down for hours).
LIVE_NOTICE_WINDOW = timedelta(minutes=30)


def _refresh_banner() -> None:
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@transaction.atomic
def do_save_programme(
    programme: Programme, *, personalities: list[Any], cover: Any, actor: Any
) -> Programme:
    """Staff create or edit a programme and name its personalities."""
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
def do_rotate_stream_key(programme: Programme, *, actor: Any) -> None:
    """Personalities and staff replace the programme's stream key (e.g. after a leak)."""
    programme.stream_key = new_stream_key()
    programme.save(update_fields=["stream_key"])
    record("broadcasts.programme.key_rotated", actor=actor, target=programme)


@transaction.atomic
def do_archive_programme(programme: Programme, *, actor: Any) -> None:
    """Staff take a programme off the timetable; its past episodes stay for staff."""
    programme.archived_at = timezone.now()
    programme.save(update_fields=["archived_at"])
    record("broadcasts.programme.archived", actor=actor, target=programme)
    _refresh_banner()


@transaction.atomic
def do_save_episode(episode: Episode, *, actor: Any) -> Episode:
    """Personalities (their programme) and staff schedule or edit an episode."""
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
def do_cancel_episode(episode: Episode, *, actor: Any) -> None:
    """Personalities and staff cancel an episode that has not ended; it stays on the
    timetable marked as cancelled."""
    episode.cancelled_at = timezone.now()
    episode.save(update_fields=["cancelled_at"])
    record("broadcasts.episode.cancelled", actor=actor, target=episode)
    _refresh_banner()


def do_follow(programme: Programme, *, user: Any) -> None:
    """A member follows a programme (twice is harmless)."""
    try:
        with transaction.atomic():
            ProgrammeFollow.objects.create(user=user, programme=programme)
    except IntegrityError:
        pass


def do_record_play(episode: Episode, *, user: Any) -> bool:
    """A member started an archive; counted once per member and episode. True when new."""
    try:
        with transaction.atomic():
            ArchivePlay.objects.create(episode=episode, user=user)
    except IntegrityError:
        return False
    return True


def do_unfollow(programme: Programme, *, user: Any) -> None:
    ProgrammeFollow.objects.filter(user=user, programme=programme).delete()


@transaction.atomic
def do_announce_live_episodes(now: datetime) -> int:
    """Tell each follower once when an episode goes on air: a notification on the site, and a
    mail unless they chose the site only. Returns the episodes announced. Run by the clock
    every minute."""
    due = (
        Episode.objects.on_air(now)
        .filter(live_notified_at=None, starts_at__gte=now - LIVE_NOTICE_WINDOW)
        .select_related("programme")
        .select_for_update()
    )
    announced = 0
    for episode in due:
        _notify_followers(episode, now)
        episode.live_notified_at = now
        episode.save(update_fields=["live_notified_at"])
        announced += 1
    return announced


def _notify_followers(episode: Episode, now: datetime) -> None:
    followers = [
        follow.user
        for follow in ProgrammeFollow.objects.filter(
            programme=episode.programme, user__status=User.Status.MEMBER, user__is_active=True
        ).select_related("user")
    ]
    if not followers:
        return
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=Kind.PROGRAMME_ON_AIR, episode=episode, created_at=now
            )
            for user in followers
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    prefs = Preference.objects.in_bulk([user.pk for user in followers])
    for user in followers:
        pref = prefs.get(user.pk) or Preference(user_id=user.pk)
        if pref.delivery(Kind.PROGRAMME_ON_AIR) == Delivery.EMAIL:
            queue_email(
                user.email,
                "broadcasts/email/on_air",
                {"episode": episode, "programme": episode.programme, "user": user},
            )
    unread.forget(user.pk for user in followers)


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


def _throttle(episode: Episode, user: Any) -> None:
    gap_key = f"broadcasts:gap:{episode.pk}:{user.pk}"
    if not cache.add(gap_key, 1, COMMENT_GAP_SECONDS):
        raise ValidationError(_("続けて投稿するには少し間をあけてください。"), code="throttled")
    minute_key = f"broadcasts:minute:{episode.pk}:{user.pk}:{int(timezone.now().timestamp() // 60)}"
    cache.add(minute_key, 0, 120)
    if cache.incr(minute_key) > COMMENTS_PER_MINUTE:
        raise ValidationError(
            _("コメントが多すぎます。1分ほど待ってから投稿してください。"), code="throttled"
        )


def do_post_live_comment(
    episode: Episode, raw_body: Any, *, submission_key: Any = None, actor: Any
) -> LiveComment:
    """A member comments on an episode while it is on air (or about to start); every viewer
    receives it at once. Refused with a Japanese message when closed, muted, empty, too long or
    too fast. The checks run before the write, so the write lock is held for the INSERT only.
    The page's script sends a `submission_key` per comment and the same one when it retries:
    a key already used returns its comment, before the speed limit could refuse the retry."""
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
def do_delete_live_comment(comment: LiveComment, *, actor: Any) -> None:
    """Personalities and staff remove a comment; it disappears from every viewer's screen."""
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
def do_mute(episode: Episode, user: Any, *, actor: Any) -> bool:
    """Personalities and staff stop a member commenting for the rest of the episode.
    Staff and the programme's personalities cannot be muted. True when newly muted."""
    _, created = EpisodeMute.objects.get_or_create(
        episode=episode, user=user, defaults={"muted_by": actor}
    )
    if created:
        record("broadcasts.member.muted", actor=actor, target=episode, subject_user=user)
    return created
