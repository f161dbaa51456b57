"""Every write a member makes to their notifications and preferences, and the digest."""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode
from cityhall.core.mail import queue_email
from cityhall.notifications import unread
from cityhall.notifications.events import excerpt, target_url
from cityhall.notifications.models import Delivery, Frequency, Notification, Preference, SectionMute
from cityhall.notifications.schedule import latest_slot, next_slot
from cityhall.posts.models import Post
from cityhall.sections.models import Section, SectionMembership

logger = logging.getLogger(__name__)
DIGEST_ITEMS = 50


def preference_of(user: User) -> Preference:
    """The member's preferences; an unsaved row with the defaults when they never chose."""
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user_id=user.pk)


@transaction.atomic
def do_mark_read(notification: Notification, *, actor: User) -> Notification:
    """The recipient only (views fetch it with access_notification)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        unread.forget([actor.pk])
    return notification


def do_mark_notifications_read(
    *, actor: User, post: Post | None = None, episode: Episode | None = None
) -> int:
    """The reader opened the post or the episode: what it notified them of is read (their own
    notifications only, so no further rule). A member
    with nothing unread (the bell's cached count) writes nothing: thousands open a live
    episode at once, and each UPDATE would queue for SQLite's write lock."""
    if not unread.unread_count(actor):
        return 0
    target: dict[str, Post | Episode | None] = (
        {"post": post} if post is not None else {"episode": episode}
    )
    count = Notification.objects.filter(recipient=actor, read_at=None, **target).update(
        read_at=timezone.now()
    )
    if count:
        unread.forget([actor.pk])
    return count


def on_post_viewed(sender: Any, *, post: Post, user: User, **kwargs: Any) -> None:
    """posts.signals.post_viewed."""
    do_mark_notifications_read(actor=user, post=post)


def on_episode_viewed(sender: Any, *, episode: Episode, user: User, **kwargs: Any) -> None:
    """broadcasts.signals.episode_viewed."""
    do_mark_notifications_read(actor=user, episode=episode)


@transaction.atomic
def do_mark_all_read(*, actor: User) -> int:
    """Any member, for their own notifications (no further rule: nobody else's are touched).
    Returns how many were unread."""
    count = Notification.objects.filter(recipient=actor, read_at=None).update(
        read_at=timezone.now()
    )
    unread.forget([actor.pk])
    return count


@transaction.atomic
def do_save_preferences(
    pref: Preference,
    *,
    data: dict[str, Any],
    sections: list[Section],
    followed: set[int],
    actor: User,
) -> Preference:
    """The member themselves. `sections` are the member's active sections, `followed` the ids
    among them whose new posts they want to hear about. Moves the next digest to fit the new
    rhythm (never a second digest in a period that had one)."""
    if pref.user_id != actor.pk:
        raise PermissionDenied
    for field, value in data.items():
        setattr(pref, field, value)
    pref.next_digest_at = next_slot(pref, timezone.now())
    pref.save()
    # Only sections the actor actively belongs to: whatever the caller passed.
    ids = set(
        SectionMembership.objects.of(actor)
        .active()
        .filter(section__in=sections)
        .values_list("section_id", flat=True)
    )
    SectionMute.objects.filter(user=actor, section_id__in=followed & ids).delete()
    muted = set(
        SectionMute.objects.filter(user=actor, section_id__in=ids).values_list(
            "section_id", flat=True
        )
    )
    SectionMute.objects.bulk_create(
        [SectionMute(user=actor, section_id=pk) for pk in ids - followed - muted],
        ignore_conflicts=True,
    )
    return pref


def do_send_digests(*, now: datetime | None = None) -> int:
    """The periodic job: each member whose digest evening has come gets one mail with what is
    new since their last digest. Each member in their own savepoint, so one failure does not
    hold back the rest (it stays due and is retried at the next tick). Returns mails queued."""
    now = now or timezone.now()
    sent = 0
    due = Preference.objects.filter(next_digest_at__lte=now).select_related("user")
    for pref in due.order_by("next_digest_at").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                sent += _send_digest(pref, now)
        except Exception:  # logged; the member stays due
            logger.exception("digest for %s failed", pref.user_id)
    return sent


def _send_digest(pref: Preference, now: datetime) -> bool:
    user = pref.user
    if not (user.is_member and user.is_active):
        pref.next_digest_at = None  # woken again by their next notification, if they return
        pref.save(update_fields=["next_digest_at"])
        return False
    slot = latest_slot(pref, now)
    if slot is None or (pref.last_digest_period and slot.date() <= pref.last_digest_period):
        pref.next_digest_at = next_slot(pref, now)  # this period already had its digest
        pref.save(update_fields=["next_digest_at"])
        return False
    items = (
        Notification.objects.for_recipient(user)
        .unread()
        .filter(kind__in=pref.kinds_by(Delivery.DIGEST), created_at__lte=now)
        .select_related("actor", "post__section", "comment", "episode__programme")
        .order_by("-created_at", "-id")
    )
    if pref.last_digest_at is not None:
        items = items.filter(created_at__gt=pref.last_digest_at)
    shown = list(items[: DIGEST_ITEMS + 1])
    if shown:
        more = items.count() - DIGEST_ITEMS if len(shown) > DIGEST_ITEMS else 0
        shown = shown[:DIGEST_ITEMS]
        for notification in shown:
            notification.url = settings.SITE_URL + target_url(notification)  # type: ignore[attr-defined]
            notification.excerpt = excerpt(notification)  # type: ignore[attr-defined]
        queue_email(
            user.email,
            "notifications/email/digest",
            {
                "user": user,
                "items": shown,
                "more": more,
                "weekly": pref.digest_frequency == Frequency.WEEKLY,
                "list_url": settings.SITE_URL + reverse("notifications:list"),
                "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
            },
        )
    # The period counts as done even when there was nothing to send: what arrives later
    # waits for the next evening.
    pref.last_digest_at = now
    pref.last_digest_period = slot.date()
    pref.next_digest_at = None
    pref.save(update_fields=["last_digest_at", "last_digest_period", "next_digest_at"])
    return bool(shown)
