"""Members for the directory's tests: names, readings, organisation, duties and visibility."""

from typing import Any

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.members.models import Duty


def duty(name: str, category: str = "") -> Duty:
    found, _ = Duty.objects.get_or_create(name=name, defaults={"category": category})
    return found


def person(
    email: str,
    family: str,
    given: str,
    family_kana: str,
    given_kana: str,
    *,
    duties: tuple[Duty, ...] = (),
    code: str = "015113",
    status: str = User.Status.MEMBER,
    **profile: Any,
) -> User:
    user = testing.make_user(
        email,
        family_name=family,
        given_name=given,
        status=status,
        org=testing.organization(code),
        password=None,
        **profile,
    )
    User.objects.filter(pk=user.pk).update(family_name_kana=family_kana, given_name_kana=given_kana)
    user.profile.duties.add(*duties)
    return user


def names(response: Any) -> list[str]:
    """The full names listed, in page order."""
    return [entry.person.full_name for entry in response.context["page_obj"].object_list]
