"""What happened in posts, broadcasts and members, turned into notifications: every
notification is created in this module. Those apps send their signals (posts.signals,
broadcasts.signals, members.signals) inside their transaction, after the change is saved; the
receivers at the end (connected in apps.py) call the functions here, in that same transaction.

Rules for every post event: nobody hears about their own action; only active members who may read
the post hear anything (a closed section's post reaches its active members and staff only);
each member gets at most one notification per event, and at most one per post or comment ever.
When one event concerns someone twice (a mention inside a reply to their own post), the most
specific reason wins: a mention, then a reply to their comment, then a comment on their post.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode, ProgrammeFollow
from cityhall.core.mail import queue_email
from cityhall.core.mentions import mentioned_ids
from cityhall.notifications import unread
from cityhall.notifications.models import (
    Delivery,
    Kind,
    Notification,
    Preference,
    SectionMute,
)
from cityhall.notifications.schedule import next_slot
from cityhall.posts.models import Comment, Post
from cityhall.sections.models import SectionMembership, readers_condition

EXCERPT_CHARS = 200


def post_published(post: Post) -> list[Notification]:
    """A new post: the members it mentions, and the followers of its section."""
    wanted: dict[int, str] = {pk: Kind.MENTION for pk in mentioned_ids(post.body)}
    if post.section_id is not None:
        for pk in _followers(post.section_id):
            wanted.setdefault(pk, Kind.SECTION_POST)
    return _notify(wanted, actor=post.author, post=post, comment=None, at=post.created_at)


def comment_posted(comment: Comment) -> list[Notification]:
    """A new comment or reply: whom it mentions, the author of the comment it replies to, and
    the author of the post."""
    post = comment.post
    wanted: dict[int, str] = {pk: Kind.MENTION for pk in mentioned_ids(comment.body)}
    if comment.parent_id is not None:
        parent_author = Comment.objects.filter(pk=comment.parent_id).values("author_id")
        for pk in parent_author.values_list("author_id", flat=True):
            wanted.setdefault(pk, Kind.COMMENT_REPLY)
    wanted.setdefault(post.author_id, Kind.POST_REPLY)
    return _notify(wanted, actor=comment.author, post=post, comment=comment, at=comment.created_at)


def answer_accepted(post: Post, *, actor: User | None = None) -> list[Notification]:
    """A question marked solved: the author of the chosen answer (unmarking tells nobody)."""
    comment = post.accepted_comment
    if comment is None:
        return []
    wanted: dict[int, str] = {comment.author_id: Kind.ANSWER_ACCEPTED}
    return _notify(wanted, actor=actor or post.author, post=post, comment=comment, at=None)


def _previous_body(revisions: Any) -> str:
    """The text before the edit: the newest revision (an edit stores the old text there)."""
    revision = revisions.order_by("-created_at", "-id").first()
    return revision.body if revision is not None else ""


def post_edited(post: Post) -> list[Notification]:
    """An edited post: only the members newly mentioned."""
    return _newly_mentioned(
        post.body,
        _previous_body(post.revisions),
        actor=post.author,
        post=post,
        comment=None,
        at=post.edited_at,
    )


def comment_edited(comment: Comment) -> list[Notification]:
    """An edited comment: only the members newly mentioned."""
    return _newly_mentioned(
        comment.body,
        _previous_body(comment.revisions),
        actor=comment.author,
        post=comment.post,
        comment=comment,
        at=comment.edited_at,
    )


def _newly_mentioned(
    body: str,
    previous: str,
    *,
    actor: User,
    post: Post,
    comment: Comment | None,
    at: datetime | None,
) -> list[Notification]:
    before = set(mentioned_ids(previous))
    wanted: dict[int, str] = {pk: Kind.MENTION for pk in mentioned_ids(body) if pk not in before}
    return _notify(wanted, actor=actor, post=post, comment=comment, at=at)


def _followers(section_id: int) -> list[int]:
    """Active members of the section who have not muted it."""
    muted = SectionMute.objects.filter(section_id=section_id).values("user_id")
    return list(
        SectionMembership.objects.active()
        .filter(section_id=section_id)
        .exclude(user_id__in=muted)
        .values_list("user_id", flat=True)
    )


def _readers(post: Post, ids: list[int]) -> dict[int, User]:
    """Of these people, the active members who may read the post: the rule of
    PostQuerySet.visible_to, for many readers in one query."""
    users = User.objects.filter(pk__in=ids, status=User.Status.MEMBER, is_active=True)
    if post.section is not None:
        users = users.filter(readers_condition(post.section))
    fields = ("pk", "email", "family_name", "given_name", "status", "role")
    return {user.pk: user for user in users.only(*fields)}


def _notify(
    wanted: dict[int, str],
    *,
    actor: User,
    post: Post,
    comment: Comment | None,
    at: datetime | None,
) -> list[Notification]:
    """Notify `wanted` (member id → kind) of what `actor` did `at` (the event's own time)."""
    wanted.pop(actor.pk, None)
    if not wanted or post.is_deleted:
        return []
    readers = _readers(post, list(wanted))
    # Anyone already told about this post or comment is not told again.
    told = set(
        Notification.objects.filter(
            post=post, comment=comment, recipient_id__in=list(readers)
        ).values_list("recipient_id", flat=True)
    )
    now = at or timezone.now()
    rows = [
        Notification(
            recipient=user, kind=wanted[pk], actor=actor, post=post, comment=comment,
            created_at=now,
        )
        for pk, user in readers.items()
        if pk not in told
    ]  # fmt: skip
    if not rows:
        return []
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    _deliver(rows, now)
    unread.forget(row.recipient_id for row in rows)
    return rows


def _deliver(rows: list[Notification], now: datetime) -> None:
    """Mail those who want it now; wake the digest of those who want it later."""
    prefs = Preference.objects.in_bulk([row.recipient_id for row in rows])
    new_prefs: list[Preference] = []
    armed: list[Preference] = []
    for row in rows:
        pref = prefs.get(row.recipient_id) or Preference(user_id=row.recipient_id)
        how = pref.delivery(row.kind)
        if how == Delivery.EMAIL:
            queue_email(row.recipient.email, "notifications/email/notification", _mail(row))
        elif how == Delivery.DIGEST and pref.next_digest_at is None:
            pref.next_digest_at = next_slot(pref, now)
            if pref.next_digest_at is not None:
                (new_prefs if pref._state.adding else armed).append(pref)
                prefs[row.recipient_id] = pref
    Preference.objects.bulk_create(new_prefs, ignore_conflicts=True)
    Preference.objects.bulk_update(armed, ["next_digest_at"])


# --- Broadcasts -----------------------------------------------------------------------------


def episode_on_air(episode: Episode, at: datetime) -> list[Notification]:
    """An episode went on air: each active member following its programme hears of it in the
    bell, and by mail (broadcasts' own template) unless they chose the site only. The
    broadcasts app sends this (broadcasts.signals.episode_on_air) once per episode, inside its
    transaction."""
    followers = [
        follow.user
        for follow in ProgrammeFollow.objects.filter(
            programme=episode.programme, user__status=User.Status.MEMBER, user__is_active=True
        ).select_related("user")
    ]
    if not followers:
        return []
    rows = [
        Notification(recipient=user, kind=Kind.PROGRAMME_ON_AIR, episode=episode, created_at=at)
        for user in followers
    ]
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
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
    return rows


def target_url(notification: Notification) -> str:
    if notification.application_id is not None:
        return reverse("staff_applications:detail", args=[notification.application_id])
    if notification.episode_id is not None:
        return reverse("broadcasts:episode", args=[notification.episode_id])
    url = reverse("posts:detail", args=[notification.post_id])
    return url + (f"#comment-{notification.comment_id}" if notification.comment_id else "")


def excerpt(notification: Notification) -> str:
    if notification.application is not None:
        return notification.application.department
    if notification.episode is not None:
        return notification.episode.title
    assert notification.post is not None
    text = notification.comment.body if notification.comment else notification.post.body
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def _mail(notification: Notification) -> dict[str, Any]:
    return {
        "user": notification.recipient,
        "notification": notification,
        "excerpt": excerpt(notification),
        "url": settings.SITE_URL + target_url(notification),
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
    }


# --- Staff ----------------------------------------------------------------------------------


def application_verified(application: Any) -> list[Notification]:
    """A verified application joins the review queue: every active staff member hears of it
    in the bell, and by mail unless they chose the site only. The members app sends this
    (members.signals.application_verified) inside its transaction."""
    staff = User.objects.filter(
        status=User.Status.MEMBER,
        is_active=True,
        role__in=[User.Role.STAFF, User.Role.ADMIN],
    ).only("pk", "email", "family_name", "given_name", "status", "role")
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=Kind.APPLICATION_PENDING,
            actor=application.user,
            application=application,
            created_at=now,
        )
        for user in staff
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    _deliver(rows, now)
    unread.forget(row.recipient_id for row in rows)
    return rows


# --- Receivers (connected in apps.py) -------------------------------------------------------


def on_post_published(sender: Any, *, post: Post, **kwargs: Any) -> None:
    post_published(post)


def on_post_edited(sender: Any, *, post: Post, **kwargs: Any) -> None:
    post_edited(post)


def on_comment_posted(sender: Any, *, comment: Comment, **kwargs: Any) -> None:
    comment_posted(comment)


def on_comment_edited(sender: Any, *, comment: Comment, **kwargs: Any) -> None:
    comment_edited(comment)


def on_answer_accepted(sender: Any, *, post: Post, actor: User, **kwargs: Any) -> None:
    answer_accepted(post, actor=actor)


def on_episode_on_air(sender: Any, *, episode: Episode, at: datetime, **kwargs: Any) -> None:
    episode_on_air(episode, at)


def on_application_verified(sender: Any, application: Any, **kwargs: Any) -> None:
    application_verified(application)
