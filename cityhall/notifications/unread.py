"""The bell's unread count: one indexed query, cached briefly per member and forgotten
whenever their notifications change."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.notifications.models import Notification

SECONDS = 120


def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    key = _key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.for_recipient(user).unread().count()
        cache.set(key, count, SECONDS)
    return int(count)


def forget(user_ids: Iterable[int]) -> None:
    """Drop the cached counts now and again after commit, so a page read in between cannot
    put the old count back."""
    keys = [_key(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
