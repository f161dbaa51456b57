"""Changing a member's profile."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS, Profile, Visibility

USER_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")
PROFILE_FIELDS = ("department", "title", "interests", "bio")


def _delete_file_after_commit(storage: Any, name: str) -> None:
    # Only once the new state is saved: a rolled-back change must still find its old photo.
    transaction.on_commit(lambda: storage.delete(name))


def _identity(user: User, profile: Profile) -> dict[str, str]:
    """What staff checked at approval, as the audit log should show it."""
    return {
        "name": f"{user.full_name}（{user.full_name_kana}）",
        "organization": profile.organization.display_name,
    }


def check_update_profile(user: User, *, actor: User) -> None:
    """Raises PermissionDenied unless `actor` may edit `user`'s profile: the member themself
    (the edit page is for members only), or staff on their behalf."""
    if not actor.is_member:
        raise PermissionDenied(_("プロフィールを編集できるのは会員だけです。"))
    if actor.pk != user.pk and not actor.is_staff_member:
        raise PermissionDenied(_("ご自身のプロフィールだけを編集できます。"))


@transaction.atomic
def do_update_profile(
    user: User, *, actor: User, data: dict[str, Any], photo: File | bool | None = None
) -> Profile:
    """Save a member's profile (the member themself, or staff on their behalf).

    `data` holds the cleaned fields of ProfileForm.profile_data(); `photo` is a cleaned image
    (cityhall.core.images.clean_image) to store, False to remove the current photo, or None to
    keep it. A replaced or removed photo file is deleted after commit.
    Emits an audit entry `members.profile.identity_changed` when the name or organisation
    changes (what staff verified at approval) or when staff edit someone else's profile.
    No mail.
    """
    check_update_profile(user, actor=actor)
    profile = Profile.objects.select_for_update().get(user=user)
    before = _identity(user, profile)

    for field in USER_FIELDS:
        setattr(user, field, data[field])
    user.save(update_fields=list(USER_FIELDS))

    for field in PROFILE_FIELDS:
        setattr(profile, field, data[field])
    profile.organization = data["organization"]
    profile.visibility = {
        field: data.get("visibility", {}).get(field, Visibility.MEMBERS)
        for field in OPTIONAL_PROFILE_FIELDS
    }
    update_fields = [*PROFILE_FIELDS, "organization", "visibility", "updated_at"]

    old_photo = profile.photo.name
    if photo is False:
        profile.photo = ""
    elif photo:
        profile.photo.save("photo.jpg", photo, save=False)
    if photo is not None and old_photo and old_photo != profile.photo.name:
        _delete_file_after_commit(profile.photo.storage, old_photo)
    update_fields.append("photo")
    profile.save(update_fields=update_fields)
    profile.duties.set(data["duties"])

    after = _identity(user, profile)
    if after != before or actor.pk != user.pk:
        record(
            "members.profile.identity_changed" if after != before else "members.profile.updated",
            actor=actor,
            target=profile,
            subject_user=user,
            before=before,
            after=after,
        )
    return profile
