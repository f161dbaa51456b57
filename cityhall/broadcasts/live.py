"""Live comments travelling to viewers: the group each episode's viewers join, the message
each comment becomes, and the viewer count.

Comments are pushed whole (as JSON the page renders with textContent, never as HTML), so 3,000
viewers cost one group message per comment rather than 3,000 page requests. A client that
reconnects, or polls because WebSockets are blocked, asks for what came after the last id it saw.
"""

import json
import logging
from typing import Any

from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from cityhall.broadcasts.models import Episode, LiveComment
from cityhall.core.throttle import once_per
from cityhall.realtime.send import group_send, send_on_commit, sender_loop

logger = logging.getLogger(__name__)
CATCH_UP_LIMIT = 200  # a reconnecting viewer gets at most the last 200 comments
VIEWERS_TTL = 6 * 3600


def episode_group(episode_id: int) -> str:
    return f"episode.{episode_id}"


def as_message(comment: LiveComment) -> dict[str, Any]:
    author = comment.author
    organization = getattr(getattr(author, "profile", None), "organization", None)
    return {
        "id": comment.pk,
        "author": author.full_name,
        "author_id": author.pk,
        "organization": organization.name if organization else "",
        "body": comment.body,
        "at": comment.created_at.isoformat(),
        "offset": (
            offset := max(int((comment.created_at - comment.episode.starts_at).total_seconds()), 0)
        ),
        "clock": f"{offset // 60}:{offset % 60:02d}",
    }


def comments_after(episode_id: int, after: int) -> list[dict[str, Any]]:
    rows = (
        LiveComment.objects.filter(episode_id=episode_id, pk__gt=after, deleted_at=None)
        .select_related("author__profile__organization", "episode")
        .order_by("-pk")[:CATCH_UP_LIMIT]
    )
    return [as_message(c) for c in reversed(rows)]


def publish(episode_id: int, event: dict[str, Any]) -> None:
    """Send to every viewer after the transaction commits (nothing for a rolled-back write)."""
    send_on_commit(episode_group(episode_id), event)


# Comments travel in small batches: at 50 comments a second to 3,000 viewers, one message per
# comment and viewer is 150,000 sends a second; a batch every quarter second is 12,000. Each
# process gathers the comments its pages accepted and sends them together.
BATCH_SECONDS = 0.25
_batches: dict[int, list[dict[str, Any]]] = {}
_batch_viewers: dict[int, int] = {}


def comments_event(comments: list[dict[str, Any]], count: int | None) -> dict[str, Any]:
    """The group event for a batch: the viewers' message encoded once here, not once per
    viewer in each consumer."""
    message: dict[str, Any] = {"type": "comments", "comments": comments}
    if count is not None:
        message["viewers"] = count
    return {"type": "comments.batch", "text": json.dumps(message, ensure_ascii=False)}


def publish_comment(episode_id: int, comment: dict[str, Any]) -> None:
    """After commit: into this process's batch for the episode, or straight out where sends
    run at once (the in-process layer outside the server: tests, commands)."""

    def send() -> None:
        loop = sender_loop()
        count = viewers(episode_id)
        if loop is None:
            group_send(episode_group(episode_id), comments_event([comment], count))
            return
        loop.call_soon_threadsafe(_add_to_batch, loop, episode_id, comment, count)

    transaction.on_commit(send)


def _add_to_batch(loop: Any, episode_id: int, comment: dict[str, Any], count: int) -> None:
    """On the server's loop: the first comment of a batch schedules its sending."""
    batch = _batches.setdefault(episode_id, [])
    batch.append(comment)
    _batch_viewers[episode_id] = count
    if len(batch) == 1:
        loop.call_later(BATCH_SECONDS, lambda: loop.create_task(_send_batch(episode_id)))


async def _send_batch(episode_id: int) -> None:
    comments = _batches.pop(episode_id, [])
    if not comments:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    event = comments_event(comments, _batch_viewers.pop(episode_id, None))
    try:
        await layer.group_send(episode_group(episode_id), event)
    except Exception:  # the comments are saved; pages catch up on reconnect or by polling
        logger.exception("could not send %s comments of episode %s", len(comments), episode_id)


def _viewers_key(episode_id: int) -> str:
    return f"broadcasts:viewers:{episode_id}"


def change_viewers(episode_id: int, delta: int) -> int:
    """Count a viewer in or out; atomic in Redis and in the in-process cache alike."""
    key = _viewers_key(episode_id)
    cache.add(key, 0, VIEWERS_TTL)
    try:
        count = cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        cache.set(key, max(delta, 0), VIEWERS_TTL)
        count = max(delta, 0)
    return max(count, 0)


def _peak_key(episode_id: int) -> str:
    return f"broadcasts:peak:{episode_id}"


def record_peak(episode_id: int, count: int) -> None:
    """Note the most viewers seen at once in the cache (thousands join within a minute: no
    database write each); the clock writes it to the episode (save_peaks)."""
    key = _peak_key(episode_id)
    if count > int(cache.get(key) or 0):
        cache.set(key, count, VIEWERS_TTL)


def save_peaks(episode_ids: list[int]) -> int:
    """Write the cached peaks of these episodes where they beat the stored one."""
    saved = 0
    for episode_id in episode_ids:
        peak = int(cache.get(_peak_key(episode_id)) or 0)
        if peak:
            saved += Episode.objects.filter(pk=episode_id, peak_viewers__lt=peak).update(
                peak_viewers=peak
            )
    return saved


VIEWERS_ANNOUNCE_EVERY = 5  # seconds


def may_announce_viewers(episode_id: int) -> bool:
    """True at most once per VIEWERS_ANNOUNCE_EVERY seconds per episode (an atomic add)."""
    return once_per(f"broadcasts:viewers-said:{episode_id}", VIEWERS_ANNOUNCE_EVERY)


def viewers(episode_id: int) -> int:
    return max(int(cache.get(_viewers_key(episode_id)) or 0), 0)
