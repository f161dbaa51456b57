"""Anonymising a deleted account across every domain, in the caller's transaction.

The account row itself stays, emptied, so that what the community keeps (posts and comments
the member did not ask to delete, attendance counts, staff decisions in the audit log) points
at 「退会した会員」 instead of dangling. Like the data export, this module is the one place that
knows where each domain keeps a member's personal data; a new model holding some must be added
here and to export.py.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User, UserSession
from cityhall.audit.models import AuditEntry
from cityhall.broadcasts.models import ArchivePlay, EpisodeMute, LiveComment, ProgrammeFollow
from cityhall.core.models import Submission
from cityhall.events.models import AgendaItem, AgendaVote, CalendarFeed, EventHost, Registration
from cityhall.feed.models import PostRead, ReadMark
from cityhall.members.models import MembershipApplication, Profile
from cityhall.members.queue import forget_pending_count
from cityhall.notifications.models import Notification, Preference, SectionMute
from cityhall.posts.models import Comment, CommentRevision, Post, PostRevision
from cityhall.search import index
from cityhall.sections.models import SectionMembership

DELETED_NAME = "退会した会員"
# Audit data keys that name or locate the person; the fact of the entry stays.
PERSONAL_AUDIT_KEYS = {
    "email", "old_email", "new_email", "ip", "device", "name", "full_name", "title",
    "reason", "message",
}  # fmt: skip


def pseudonym(user_id: int) -> str:
    """How the audit log names a deleted member: stable, and nothing more."""
    return f"{DELETED_NAME} #{user_id}"


def freed_email(user_id: int) -> str:
    """A placeholder that can never receive mail (.invalid is reserved), so the member's own
    address is free to apply again."""
    return f"deleted-{user_id}@deleted.invalid"


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


def _scrub_audit(user: User) -> None:
    entries = AuditEntry.objects.filter(
        Q(subject_user=user)
        | Q(actor=user)
        | Q(target_type="accounts.user", target_id=str(user.pk))
    )
    for entry in entries.only("pk", "data"):
        data = {k: v for k, v in (entry.data or {}).items() if k not in PERSONAL_AUDIT_KEYS}
        data["person"] = pseudonym(user.pk)
        AuditEntry.objects.filter(pk=entry.pk).update(data=data)


def erase_account(user: User, *, delete_content: bool) -> None:
    """Remove everything that identifies `user`; call inside one transaction per member."""
    now = timezone.now()
    _erase_profile(user)
    UserSession.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
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
    Submission.objects.filter(user=user).delete()
    user.programmes.clear()  # no longer presents a programme
    post_ids: list[int] = list(Post.objects.filter(author=user).values_list("pk", flat=True))
    comment_ids: list[int] = list(Comment.objects.filter(author=user).values_list("pk", flat=True))
    if delete_content:
        post_ids, comment_ids = _erase_content(user, now)
    _scrub_audit(user)
    user.email = freed_email(user.pk)
    user.email_verified = False
    user.family_name = DELETED_NAME
    user.given_name = ""
    user.family_name_kana = ""
    user.given_name_kana = ""
    user.status = User.Status.DELETED
    user.role = User.Role.MEMBER
    user.is_active = False
    user.is_superuser = False
    user.two_factor_enabled = False
    user.suspension_reason = ""
    user.email_change_nonce = ""
    user.last_login = None
    user.set_unusable_password()
    user.save()
    # The index forgets the member and the organisation their posts were filed under.
    index.refresh("member", [user.pk])
    index.refresh("post", post_ids)
    index.refresh("comment", comment_ids)
    for audience in ("members", "staff"):
        cache.delete(f"directory:duty-counts:{audience}")
