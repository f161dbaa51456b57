"""Finding members in the directory, with each member's visibility choices respected.

A field a member limited to staff is neither shown to other members nor usable to find them:
every filter on an optional field carries the visibility condition of that field.
"""

from dataclasses import dataclass, field
from typing import cast

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from cityhall.accounts.models import User
from cityhall.core.text import is_kana, to_katakana
from cityhall.directory.access import membership_visible
from cityhall.members.models import Duty, Profile, Visibility
from cityhall.members.profile_access import can_see
from cityhall.organizations.models import Organization
from cityhall.sections.models import Section, SectionMembership

COUNTS_SECONDS = 300
ORDERING = ["user__family_name_kana", "user__given_name_kana", "user__id"]


def visible(viewer: User, field_name: str) -> Q:
    """Profiles whose `field_name` the viewer may see (and so may find them by): the rules of
    members.profile_access.can_see, as SQL. Staff see every field; a member sees fields left
    open to members (no key in `visibility` means open), and all of their own."""
    if viewer.is_staff_member:
        return Q()
    key = f"visibility__{field_name}"
    return Q(**{f"{key}__isnull": True}) | Q(**{key: Visibility.MEMBERS}) | Q(user_id=viewer.pk)


def member_profiles(*, narrowed: bool = False) -> QuerySet[Profile]:
    """Profiles of members (applicants, rejected and suspended people are not in the directory).

    Listing everyone, or by name, is fastest walking the members' (status, kana) index in page
    order, which a join on the member's status invites. When another filter narrows the list
    (a duty, a prefecture), "is a member" as EXISTS leaves the database free to start from that
    filter's index instead: counting one duty's holders at 100,000 members, 250 ms → 10 ms.
    """
    if not narrowed:
        return Profile.objects.filter(user__status=User.Status.MEMBER)
    is_member = Exists(User.objects.filter(pk=OuterRef("user_id"), status=User.Status.MEMBER))
    return Profile.objects.filter(is_member)


def _listing(duty: Duty) -> Q:
    """Profiles that list the duty, as a subquery the duty's index answers."""
    return Q(pk__in=Profile.duties.through.objects.filter(duty=duty).values("profile_id"))


def _prefix(field_name: str, text: str) -> Q:
    # LIKE 'text%': right under any collation. It walks the members' index rather than seeking
    # in it (the family-or-given OR needs a scan anyway): ≈8 ms at 100,000 members.
    return Q(**{f"{field_name}__startswith": text})


def name_matches(query: str) -> Q:
    """A name typed in kanji or kana (hiragana or katakana, full or half width).

    One word matches the start of the family or the given name; two words ("佐藤 花子",
    "さとう はなこ") the start of the family and of the given name.
    """
    words = query.split()[:2]
    if not words:
        return Q()
    kana = all(is_kana(word) for word in words)
    words = [to_katakana(word) for word in words]  # NFKC too: half width folds to full width
    family, given = (
        ("user__family_name_kana", "user__given_name_kana")
        if kana
        else ("user__family_name", "user__given_name")
    )
    if len(words) == 2:
        return _prefix(family, words[0]) & _prefix(given, words[1])
    return _prefix(family, words[0]) | _prefix(given, words[0])


def in_prefecture(prefecture: Organization) -> Q:
    """Members of the prefecture itself and of its municipalities (the organisation index)."""
    organizations = Organization.objects.filter(Q(pk=prefecture.pk) | Q(prefecture=prefecture))
    return Q(organization__in=organizations.values("pk"))


@dataclass
class Filters:
    """What the search form asks for; each is optional. A new filter is a field here and a
    clause in `search()`."""

    q: str = ""
    prefecture: Organization | None = None
    organization: Organization | None = None
    duty: Duty | None = None
    section: Section | None = None
    extra: list[Q] = field(default_factory=list)  # further conditions, e.g. from another app

    @property
    def any(self) -> bool:
        return bool(
            self.q.strip() or self.prefecture or self.organization or self.duty or self.section
        )


def in_section(viewer: User, section: Section) -> Q:
    """Active members of the section, if the viewer may see its membership (a closed section's:
    its own members and staff only); nobody otherwise. The (section, status) index answers it."""
    memberships = (
        SectionMembership.objects.active()
        .filter(section=section)
        .filter(membership_visible(viewer, prefix="section__"))
    )
    return Q(user_id__in=memberships.values("user_id"))


def search(viewer: User, filters: Filters) -> QuerySet[Profile]:
    narrowed = bool(
        filters.prefecture or filters.organization or filters.duty or filters.section
        or filters.extra
    )  # fmt: skip
    profiles = member_profiles(narrowed=narrowed)
    if filters.q.strip():
        profiles = profiles.filter(name_matches(filters.q))
    if filters.prefecture is not None:
        profiles = profiles.filter(in_prefecture(filters.prefecture))
    if filters.organization is not None:
        profiles = profiles.filter(organization=filters.organization)
    if filters.duty is not None:
        profiles = profiles.filter(_listing(filters.duty) & visible(viewer, "duties"))
    if filters.section is not None:
        profiles = profiles.filter(in_section(viewer, filters.section))
    for condition in filters.extra:
        profiles = profiles.filter(condition)
    return profiles.order_by(*ORDERING)


@dataclass
class Entry:
    """One member as the viewer may see them: hidden fields are already left out."""

    profile: Profile
    show_photo: bool
    department: str
    title: str
    duties: list[Duty]

    @property
    def person(self) -> User:
        return self.profile.user

    @property
    def organization(self) -> Organization:
        return self.profile.organization

    @property
    def prefecture(self) -> Organization | None:
        return prefecture_of(self.profile.organization)


def entries(viewer: User, profile_ids: list[int]) -> list[Entry]:
    """The page's members, in the given order: two queries whatever the page size."""
    profiles = (
        Profile.objects.filter(pk__in=profile_ids)
        .select_related("user", "organization__prefecture")
        .prefetch_related("duties")
    )
    by_id = {profile.pk: profile for profile in profiles}
    result = []
    for pk in profile_ids:
        profile = by_id[pk]
        result.append(
            Entry(
                profile=profile,
                show_photo=bool(profile.photo) and can_see(viewer, profile, "photo"),
                department=profile.department if can_see(viewer, profile, "department") else "",
                title=profile.title if can_see(viewer, profile, "title") else "",
                duties=list(profile.duties.all()) if can_see(viewer, profile, "duties") else [],
            )
        )
    return result


def duty_holders(viewer: User, duty: Duty) -> QuerySet[Profile]:
    """Members who list the duty (where the viewer may see it), prefecture by prefecture in JIS
    order (the first two digits of every local government's code), national bodies last."""
    return (
        member_profiles(narrowed=True)
        .filter(_listing(duty) & visible(viewer, "duties"))
        .annotate(prefecture_code=Substr("organization__code", 1, 2))
        .order_by(F("prefecture_code").asc(nulls_last=True), *ORDERING)
    )


def prefecture_of(organization: Organization) -> Organization | None:
    if organization.kind == Organization.Kind.PREFECTURE:
        return organization
    return organization.prefecture if organization.prefecture_id else None


def duty_counts(viewer: User) -> dict[int, int]:
    """How many members list each duty, counting only those who show their duties to members
    (staff: everyone). An aggregate over every member's duties (≈300 ms at 100,000 members),
    so kept for a few minutes per audience; a count a few minutes old misleads nobody."""
    audience = "staff" if viewer.is_staff_member else "members"

    def count() -> dict[int, int]:
        listed = Profile.duties.through.objects.filter(profile__user__status=User.Status.MEMBER)
        if audience == "members":
            listed = listed.filter(
                Q(profile__visibility__duties__isnull=True)
                | Q(profile__visibility__duties=Visibility.MEMBERS)
            )
        return dict(listed.values_list("duty_id").annotate(n=Count("pk")).order_by())

    return cast(
        dict[int, int], cache.get_or_set(f"directory:duty-counts:{audience}", count, COUNTS_SECONDS)
    )
