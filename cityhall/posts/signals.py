"""What happens in posts, for the apps above it to react to (they connect receivers in their
AppConfig.ready(); posts never imports them). They are sent synchronously by posts.actions,
inside the action's transaction after the change is saved (post_viewed: by the post page); the
sender is the model class (Post or Comment).

Also here: an attachment's files leave the disk with its row, however the row goes: removed
while editing, or deleted with its post when a member's data is erased. After commit, so a
rolled-back deletion keeps its files."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from cityhall.posts.models import Attachment

# A new post, with `post`.
post_published = Signal()

# The author changed a post's title, body or case fields, with `post`. The previous title and
# body are its latest PostRevision, saved before this is sent.
post_edited = Signal()

# A new comment or reply, with `comment`.
comment_posted = Signal()

# The author changed a comment's body, with `comment`. The previous body is its latest
# CommentRevision, saved before this is sent.
comment_edited = Signal()

# A question's answer was chosen or unmarked, with `post` (its `accepted_comment` is the
# answer, None when unmarked) and `actor`, who chose it.
answer_accepted = Signal()

# A reader opened the post page, with `post` (possibly deleted: staff see those) and `user`.
# Sent by the view, outside any transaction.
post_viewed = Signal()


@receiver(post_delete, sender=Attachment, dispatch_uid="posts.attachment.files")
def delete_attachment_files(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    files = [f for f in (instance.file, instance.thumbnail) if f]

    def delete_files() -> None:
        for f in files:
            f.storage.delete(f.name)

    transaction.on_commit(delete_files)
