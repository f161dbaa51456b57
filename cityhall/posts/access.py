"""Fetching posts and comments, and deciding what a viewer may do with them.

A post of a closed section exists only for the section's active members and staff: everyone
else gets a 404, exactly as for a post that never existed.
"""

from django.http import Http404

from cityhall.accounts.models import User
from cityhall.posts.models import Attachment, Comment, Post
from cityhall.sections.access import active_membership, reads_section
from cityhall.sections.access import runs_section as runs_section  # staff, or the 課's officers
from cityhall.sections.models import Section, SectionMembership


def access_post(user: User, post_id: int | str, *, include_deleted: bool = False) -> Post:
    """A post the viewer may read, or 404. Deleted posts exist for staff only (to restore
    them), and only when asked for."""
    try:
        pk = int(post_id)
    except (TypeError, ValueError):
        raise Http404 from None
    post = (
        Post.objects.visible_to(user)
        .select_related("author__profile__organization", "section", "case_organization")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    if post.is_deleted and not (include_deleted and user.is_staff_member):
        raise Http404
    return post


def access_comment(user: User, comment_id: int | str) -> Comment:
    """A live comment on a post the viewer may read, or 404."""
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    comment = Comment.objects.filter(pk=pk, deleted_at=None).select_related("author").first()
    if comment is None:
        raise Http404
    comment.post = access_post(user, comment.post_id)
    return comment


def access_attachment(user: User, post_id: int | str, attachment_id: int | str) -> Attachment:
    """A file of a post the viewer may read, or 404: the same rule as the post itself (a closed
    section's files exist for its members and staff only; a deleted post's for staff only)."""
    post = access_post(user, post_id, include_deleted=True)
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    attachment = Attachment.objects.filter(pk=pk, post=post).first()
    if attachment is None:
        raise Http404
    attachment.post = post
    return attachment


def section_membership(user: User, section: Section | None) -> SectionMembership | None:
    return active_membership(user, section) if section is not None else None


def can_read_post(user: User, post: Post) -> bool:
    """PostQuerySet.visible_to for one post already fetched: members, except in closed
    sections they are not an active member of; staff everywhere."""
    if not user.is_member:
        return False
    return post.section is None or reads_section(user, post.section)


def can_post_in(user: User, section: Section | None) -> bool:
    """Members post in the lobby and in sections they actively belong to; staff anywhere."""
    if not user.is_member:
        return False
    if section is None or user.is_staff_member:
        return True
    return section_membership(user, section) is not None


def can_announce(user: User, section: Section | None) -> bool:
    """Announcements: staff anywhere, leaders and deputies in their own section."""
    return runs_section(user, section) if section is not None else user.is_staff_member


def can_delete_post(user: User, post: Post) -> bool:
    return post.author_id == user.pk or runs_section(user, post.section)


def can_accept(user: User, post: Post) -> bool:
    if post.kind != Post.Kind.QUESTION:
        return False
    return post.author_id == user.pk or runs_section(user, post.section)


def can_delete_comment(user: User, comment: Comment) -> bool:
    return comment.author_id == user.pk or runs_section(user, comment.post.section)
