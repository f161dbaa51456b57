"""Fetching profiles and deciding which of their fields a viewer may see."""

from django.db.models import QuerySet
from django.http import Http404

from cityhall.accounts.models import User
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS, Profile, Visibility


def _profiles() -> QuerySet[Profile]:
    return Profile.objects.select_related("user", "organization__prefecture")


def access_profile(viewer: User, user_id: int) -> Profile:
    """The profile of user_id, or 404.

    Members see the profiles of members only: applicants, rejected and suspended people do not
    exist for them. Staff see everyone's.
    """
    if not viewer.is_member:
        raise Http404
    profiles = _profiles()
    if not viewer.is_staff_member:
        profiles = profiles.filter(user__status=User.Status.MEMBER)
    profile = profiles.filter(user_id=user_id).first()
    if profile is None:
        raise Http404
    return profile


def access_own_profile(viewer: User) -> Profile:
    """The signed-in member's own profile (404 for an account without one)."""
    profile = _profiles().filter(user_id=viewer.pk).first()
    if profile is None:
        raise Http404
    return profile


def sees_everything(viewer: User, profile: Profile) -> bool:
    """The member themself and staff see every field, whatever its visibility."""
    return viewer.pk == profile.user_id or viewer.is_staff_member


def can_see(viewer: User, profile: Profile, field: str) -> bool:
    if field not in OPTIONAL_PROFILE_FIELDS:
        return True
    return sees_everything(viewer, profile) or profile.visibility_of(field) == Visibility.MEMBERS


def hidden_from_members(profile: Profile) -> set[str]:
    """Optional fields the member has limited to staff."""
    return {f for f in OPTIONAL_PROFILE_FIELDS if profile.visibility_of(f) != Visibility.MEMBERS}
