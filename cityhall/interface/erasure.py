"""What each domain keeps of a deleted member, removed when the account is erased.

accounts.erasure empties the account row and sends `account_erased` inside the same
transaction; this receiver is the one place that knows where each domain keeps a member's
personal data (with export.py beside it: a new model holding some is added to both).
"""

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction

from cityhall.accounts.erasure import DELETED_NAME
from cityhall.accounts.models import User
from cityhall.broadcasts.models import ArchivePlay, EpisodeMute, LiveComment, ProgrammeFollow
from cityhall.events.models import AgendaItem, AgendaVote, CalendarFeed, EventHost, Registration
from cityhall.feed.models import PostRead, ReadMark
from cityhall.interface.export_worker import forget_data_exports
from cityhall.members.models import MembershipApplication, Profile
from cityhall.members.queue import forget_pending_count
from cityhall.notifications.models import Notification, Preference, SectionMute
from cityhall.posts.models import Comment, CommentRevision, Post, PostRevision
from cityhall.search import index
from cityhall.sections.models import SectionMembership


def _delete_files_after_commit(files: list[object]) -> None:
    def delete() -> None:
        for field_file in files:
            field_file.delete(save=False)  # type: ignore[attr-defined]

    transaction.on_commit(delete)


def _erase_profile(user: User) -> None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.photo:
        _delete_files_after_commit([profile.photo])
    profile.delete()


def _erase_content(user: User, now: object) -> tuple[list[int], list[int]]:
    """Soft-delete the member's posts and comments and blank their text; the others' replies
    under a deleted post stay attached to the placeholder. Returns the ids to reindex."""
    post_ids = list(Post.objects.filter(author=user).values_list("pk", flat=True))
    comment_ids = list(Comment.objects.filter(author=user).values_list("pk", flat=True))
    Post.objects.filter(pk__in=post_ids, deleted_at__isnull=True).update(deleted_at=now)
    Post.objects.filter(pk__in=post_ids).update(
        title=DELETED_NAME, body="", case_period="", case_what="", case_cost="",
        case_outcome="", case_contact="",
    )  # fmt: skip
    PostRevision.objects.filter(post_id__in=post_ids).delete()
    Comment.objects.filter(pk__in=comment_ids, deleted_at__isnull=True).update(deleted_at=now)
    Comment.objects.filter(pk__in=comment_ids).update(body="")
    CommentRevision.objects.filter(comment_id__in=comment_ids).delete()
    Post.objects.filter(accepted_comment_id__in=comment_ids).update(accepted_comment=None)
    LiveComment.objects.filter(author=user).delete()
    AgendaItem.objects.filter(author=user).delete()
    return post_ids, comment_ids


def erase_member_data(
    sender: Any, *, user: User, delete_content: bool, now: datetime, **kwargs: Any
) -> None:
    """Receiver of accounts.erasure.account_erased (connected in InterfaceConfig.ready)."""
    _erase_profile(user)
    MembershipApplication.objects.filter(user=user).delete()
    forget_pending_count()
    Registration.objects.filter(user=user).delete()
    AgendaVote.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    EventHost.objects.filter(user=user).delete()
    SectionMembership.objects.filter(user=user).delete()
    ProgrammeFollow.objects.filter(user=user).delete()
    EpisodeMute.objects.filter(user=user).delete()
    ArchivePlay.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    SectionMute.objects.filter(user=user).delete()
    ReadMark.objects.filter(user=user).delete()
    PostRead.objects.filter(user=user).delete()
    forget_data_exports(user)  # and their files, after commit
    user.programmes.clear()  # no longer presents a programme
    post_ids: list[int] = list(Post.objects.filter(author=user).values_list("pk", flat=True))
    comment_ids: list[int] = list(Comment.objects.filter(author=user).values_list("pk", flat=True))
    if delete_content:
        post_ids, comment_ids = _erase_content(user, now)
    # The index forgets the member and the organisation their posts were filed under.
    index.refresh("member", [user.pk])
    index.refresh("post", post_ids)
    index.refresh("comment", comment_ids)
    for audience in ("members", "staff"):
        cache.delete(f"directory:duty-counts:{audience}")
