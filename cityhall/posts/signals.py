"""An attachment's files leave the disk with its row, however the row goes: removed while
editing, or deleted with its post when a member's data is erased. After commit, so a rolled-back
deletion keeps its files."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from cityhall.posts.models import Attachment


@receiver(post_delete, sender=Attachment, dispatch_uid="posts.attachment.files")
def delete_attachment_files(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    files = [f for f in (instance.file, instance.thumbnail) if f]

    def delete_files() -> None:
        for f in files:
            f.storage.delete(f.name)

    transaction.on_commit(delete_files)
