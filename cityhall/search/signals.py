"""Keeping the index current: every save or delete of a source re-indexes it, in the same
transaction as the write. Other apps' kinds connect their models the same way (docs/search.md)."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from cityhall.accounts.models import User
from cityhall.members.models import Profile
from cityhall.posts.models import Comment, Post
from cityhall.search.index import refresh_quietly
from cityhall.sections.models import Section

# A login or a password change saves the user too; only these fields show in the index.
USER_FIELDS = {"status", "family_name", "given_name", "family_name_kana", "given_name_kana"}


def connect(kind_name: str, model: type, *, cascade: bool = False) -> None:
    """Re-index an object of `model` (the kind's own model) whenever it is saved or deleted."""

    def saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw:  # fixtures load before the rest of the data they refer to
            refresh_quietly(kind_name, [instance.pk], cascade=cascade)

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        refresh_quietly(kind_name, [instance.pk], cascade=cascade)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"search-{kind_name}-save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"search-{kind_name}-del")


connect("comment", Comment)
connect("section", Section)


@receiver(post_save, sender=Post, dispatch_uid="search-post-save")
def post_saved(sender: Any, instance: Post, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    fields = kwargs.get("update_fields")
    # Deleting or restoring a post hides or shows its comments too.
    refresh_quietly("post", [instance.pk], cascade=fields is None or "deleted_at" in fields)


@receiver(post_delete, sender=Post, dispatch_uid="search-post-delete")
def post_deleted(sender: Any, instance: Post, **kwargs: Any) -> None:
    refresh_quietly("post", [instance.pk], cascade=True)


@receiver(post_save, sender=User, dispatch_uid="search-user-save")
def user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if not raw and (fields is None or USER_FIELDS & set(fields)):
        refresh_quietly("member", [instance.pk])


@receiver(post_delete, sender=User, dispatch_uid="search-user-delete")
def user_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    refresh_quietly("member", [instance.pk])


@receiver(post_save, sender=Profile, dispatch_uid="search-profile-save")
def profile_saved(sender: Any, instance: Profile, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_quietly("member", [instance.user_id])


@receiver(m2m_changed, sender=Profile.duties.through, dispatch_uid="search-profile-duties")
def duties_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Profile):
        refresh_quietly("member", [instance.user_id])
