"""Every write to posts, comments and reactions.

Refusals a member can fix raise ValidationError with a Japanese message; things the actor may
never do raise PermissionDenied (views turn it into a 404, so nothing is revealed).
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.submissions import once
from cityhall.posts import access, live, signals
from cityhall.posts.models import (
    Attachment,
    Comment,
    CommentRevision,
    Post,
    PostRevision,
    Reaction,
)
from cityhall.posts.uploads import CleanUpload, max_files
from cityhall.sections.models import Section

CASE_FIELDS = (
    "case_organization",
    "case_period",
    "case_what",
    "case_cost",
    "case_outcome",
    "case_contact",
)
EDITABLE_FIELDS = ("title", "body", *CASE_FIELDS)


def _require_member(actor: User) -> None:
    if not actor.is_member:
        raise PermissionDenied


def check_read_post(actor: User, post: Post) -> None:
    """Acting on a post at all: a member who may read it (not a suspended author, nor someone
    who has left its closed section). Deleted posts are each action's own business."""
    if not access.can_read_post(actor, post):
        raise PermissionDenied


def _attach(post: Post, files: Sequence[CleanUpload], actor: User) -> None:
    """Store files already checked by uploads.clean_uploads, under generated names."""
    for upload in files:
        attachment = Attachment(
            post=post,
            kind=upload.kind,
            name=upload.name,
            size=upload.size,
            width=upload.width,
            height=upload.height,
            thumbnail_width=upload.thumbnail_width,
            thumbnail_height=upload.thumbnail_height,
            uploaded_by=actor,
        )
        attachment.file.save("upload", upload.content, save=False)
        if upload.thumbnail is not None:
            attachment.thumbnail.save("thumbnail", upload.thumbnail, save=False)
        attachment.save()


def _detach(post: Post, attachments: Iterable[Attachment]) -> None:
    """Remove attachments; their files go once the removal is committed (posts.signals)."""
    doomed = list(attachments)
    if any(a.post_id != post.pk for a in doomed):
        raise PermissionDenied
    Attachment.objects.filter(pk__in=[a.pk for a in doomed]).delete()


def _check_attachment_count(count: int) -> None:
    if count > max_files():
        raise ValidationError(
            _("添付できるファイルは1件の投稿につき%(limit)s件までです（いま%(count)s件）。")
            % {"limit": max_files(), "count": count}
        )


@transaction.atomic
def do_create_post(
    *,
    section: Section | None,
    kind: str,
    data: dict[str, Any],
    attachments: Sequence[CleanUpload] = (),
    submission_key: uuid.UUID | None = None,
    actor: User,
) -> Post:
    """Members, into the lobby or a section they actively belong to (staff: anywhere).
    Announcements only by staff or the section's leaders and deputies. `attachments` are
    files checked by uploads.clean_uploads. The same `submission_key` again returns the post
    it created the first time (core.submissions)."""
    _require_member(actor)
    if not access.can_post_in(actor, section):
        raise PermissionDenied
    with once(actor, submission_key, Post) as sent:
        if sent.previous is not None:
            return sent.previous
        return sent.record(
            _create_post(
                section=section, kind=kind, data=data, attachments=attachments, actor=actor
            )
        )


def _create_post(
    *,
    section: Section | None,
    kind: str,
    data: dict[str, Any],
    attachments: Sequence[CleanUpload],
    actor: User,
) -> Post:
    if section is not None and section.is_archived:
        raise ValidationError(_("この課はアーカイブされているため、投稿できません。"))
    if kind == Post.Kind.ANNOUNCEMENT and not access.can_announce(actor, section):
        raise ValidationError(_("お知らせを投稿できるのは、運営事務局と課長・課長補佐です。"))
    fields = {f: data.get(f) or "" for f in EDITABLE_FIELDS if f != "case_organization"}
    if kind != Post.Kind.CASE_STUDY:
        fields.update({f: "" for f in CASE_FIELDS if f != "case_organization"})
    _check_attachment_count(len(attachments))
    now = timezone.now()
    post = Post.objects.create(
        author=actor,
        section=section,
        kind=kind,
        case_organization=data.get("case_organization") if kind == Post.Kind.CASE_STUDY else None,
        created_at=now,
        last_activity_at=now,
        **fields,
    )
    _attach(post, attachments, actor)
    signals.post_published.send(sender=Post, post=post)
    return post


@transaction.atomic
def do_edit_post(
    post: Post,
    *,
    data: dict[str, Any],
    attachments: Sequence[CleanUpload] = (),
    remove: Sequence[Attachment] = (),
    actor: User,
) -> Post:
    """The author only. The previous title and body are kept as a PostRevision. Attachments
    in `remove` are deleted and checked files in `attachments` added (no revision for files)."""
    check_read_post(actor, post)
    if post.author_id != actor.pk or post.is_deleted:
        raise PermissionDenied
    if attachments or remove:
        kept = post.attachments.exclude(pk__in=[a.pk for a in remove]).count()
        _check_attachment_count(kept + len(attachments))
        _detach(post, remove)
        _attach(post, attachments, actor)
    fields = [f for f in EDITABLE_FIELDS if f in data]
    if post.kind != Post.Kind.CASE_STUDY:
        fields = [f for f in fields if f not in CASE_FIELDS]
    # Empty text is stored as "", an empty organisation as NULL.
    values = {f: data[f] or (None if f == "case_organization" else "") for f in fields}
    changed = [f for f, value in values.items() if getattr(post, f) != value]
    if not changed:
        return post
    PostRevision.objects.create(post=post, title=post.title, body=post.body, edited_by=actor)
    for f in changed:
        setattr(post, f, values[f])
    post.edited_at = timezone.now()
    post.save(update_fields=[*changed, "edited_at"])
    signals.post_edited.send(sender=Post, post=post)
    return post


@transaction.atomic
def do_delete_post(post: Post, *, actor: User) -> Post:
    """The author, the section's leader or deputy, or staff. Soft: staff can restore it.
    Emits posts.post.deleted when someone removes another member's post."""
    check_read_post(actor, post)
    if not access.can_delete_post(actor, post):
        raise PermissionDenied
    if post.deleted_at is None:
        post.deleted_at = timezone.now()
        post.deleted_by = actor
        post.save(update_fields=["deleted_at", "deleted_by"])
        if post.author_id != actor.pk:
            record(
                "posts.post.deleted", actor=actor, target=post, subject_user=post.author,
                title=post.title,
            )  # fmt: skip
    return post


@transaction.atomic
def do_restore_post(post: Post, *, actor: User) -> Post:
    """Staff only. Emits posts.post.restored."""
    if not actor.is_staff_member:
        raise PermissionDenied
    if post.deleted_at is not None:
        post.deleted_at = None
        post.deleted_by = None
        post.save(update_fields=["deleted_at", "deleted_by"])
        record("posts.post.restored", actor=actor, target=post, subject_user=post.author)
    return post


@transaction.atomic
def do_pin_post(post: Post, *, pinned: bool, actor: User) -> Post:
    """Staff, or the section's leader or deputy. Emits posts.post.pinned / unpinned."""
    _require_member(actor)  # a suspended leader keeps an active membership row
    if not access.runs_section(actor, post.section) or post.is_deleted:
        raise PermissionDenied
    if post.is_pinned != pinned:
        post.is_pinned = pinned
        post.save(update_fields=["is_pinned"])
        code = "posts.post.pinned" if pinned else "posts.post.unpinned"
        record(code, actor=actor, target=post, subject_user=post.author)
    return post


@transaction.atomic
def do_add_comment(
    post: Post,
    *,
    body: str,
    parent: Comment | None = None,
    submission_key: uuid.UUID | None = None,
    actor: User,
) -> Comment:
    """Any member who can read the post. A reply
    answers a top-level comment: there is one level of replies only. The same
    `submission_key` again returns the comment it created the first time (core.submissions)."""
    check_read_post(actor, post)
    if post.is_deleted:
        raise PermissionDenied
    with once(actor, submission_key, Comment, post=post) as sent:
        if sent.previous is not None:
            return sent.previous
        return sent.record(_add_comment(post, body=body, parent=parent, actor=actor))


def _add_comment(post: Post, *, body: str, parent: Comment | None, actor: User) -> Comment:
    if parent is not None:
        if parent.post_id != post.pk or parent.is_deleted:
            raise PermissionDenied
        if parent.parent_id is not None:
            raise ValidationError(_("返信には返信できません。元のコメントに返信してください。"))
    if not body.strip():
        raise ValidationError(_("コメントを入力してください。"))
    now = timezone.now()
    comment = Comment.objects.create(
        post=post, author=actor, parent=parent, body=body, created_at=now
    )
    live.announce_comment(comment)
    Post.objects.filter(pk=post.pk).update(
        last_activity_at=now, comment_count=F("comment_count") + 1
    )
    signals.comment_posted.send(sender=Comment, comment=comment)
    return comment


@transaction.atomic
def do_edit_comment(comment: Comment, *, body: str, actor: User) -> Comment:
    """The comment's author only (leaders and staff delete instead). The previous text is kept
    as a CommentRevision, which anyone who can read the post can read."""
    check_read_post(actor, comment.post)
    if comment.author_id != actor.pk or comment.is_deleted or comment.post.is_deleted:
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("コメントを入力してください。"))
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body, edited_by=actor)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    signals.comment_edited.send(sender=Comment, comment=comment)
    return comment


@transaction.atomic
def do_delete_comment(comment: Comment, *, actor: User) -> Comment:
    """The author, the section's leader or deputy, or staff. Soft: the text disappears and a
    placeholder keeps the replies in place. Emits posts.comment.deleted for someone else's."""
    check_read_post(actor, comment.post)
    if not access.can_delete_comment(actor, comment):
        raise PermissionDenied
    if comment.deleted_at is None:
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        Post.objects.filter(pk=comment.post_id, accepted_comment=comment).update(
            accepted_comment=None
        )
        if comment.author_id != actor.pk:
            record(
                "posts.comment.deleted", actor=actor, target=comment,
                subject_user=comment.author,
            )  # fmt: skip
    return comment


@transaction.atomic
def do_restore_comment(comment: Comment, *, actor: User) -> Comment:
    """Staff only (moderators bringing back a comment). Emits posts.comment.restored."""
    if not actor.is_staff_member:
        raise PermissionDenied
    if comment.deleted_at is not None:
        comment.deleted_at = None
        comment.save(update_fields=["deleted_at"])
        record("posts.comment.restored", actor=actor, target=comment, subject_user=comment.author)
    return comment


@transaction.atomic
def do_accept_answer(post: Post, comment: Comment | None, *, actor: User) -> Post:
    """The question's author, or the section's leader or deputy, or staff. Marks the question
    solved with this comment as the answer (None unmarks it)."""
    check_read_post(actor, post)
    if post.is_deleted or not access.can_accept(actor, post):
        raise PermissionDenied
    if comment is not None and (comment.post_id != post.pk or comment.is_deleted):
        raise PermissionDenied
    post.accepted_comment = comment
    post.save(update_fields=["accepted_comment"])
    signals.answer_accepted.send(sender=Post, post=post, actor=actor)
    return post


@transaction.atomic
def do_toggle_reaction(
    *, kind: str, post: Post | None = None, comment: Comment | None = None, actor: User
) -> bool:
    """Any member who can read the target. Adds the reaction, or takes it back if it was
    there; returns whether it is now on. Not on a deleted post or comment."""
    if post is not None and comment is None:
        thread, gone = post, post.is_deleted
    elif comment is not None and post is None:
        thread, gone = comment.post, comment.is_deleted or comment.post.is_deleted
    else:
        raise PermissionDenied
    check_read_post(actor, thread)
    if gone or kind not in Reaction.Kind.values:
        raise PermissionDenied
    target: dict[str, Any] = {"post": post} if post is not None else {"comment": comment}
    existing = Reaction.objects.filter(user=actor, kind=kind, **target)
    if existing.exists():
        existing.delete()
        return False
    Reaction.objects.create(user=actor, kind=kind, **target)
    return True
