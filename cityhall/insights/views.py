"""The community's numbers for members: coverage of Japan, one prefecture, my colleagues."""

from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.figures import feature_counts
from cityhall.events.briefing import next_briefing_time
from cityhall.insights import figures
from cityhall.insights.access import access_prefecture
from cityhall.members.models import Profile
from cityhall.members.profile_access import access_own_profile
from cityhall.organizations.models import Organization

PAGE_SIZE = 50
ORIENTATION_CACHE = 5 * 60


def landing_context() -> dict[str, Any]:
    """What the public landing page shows: aggregate numbers only, never a name. Like the
    figures, the next 説明会 is cached for a few minutes: the page is the site's busiest."""
    orientation = cache.get("landing:orientation")
    if orientation is None:
        orientation = next_briefing_time() or (None, None)
        cache.set("landing:orientation", orientation, ORIENTATION_CACHE)
    start, end = orientation
    return {
        "headline": figures.headline(),
        "feature_counts": feature_counts(),
        "orientation_start": start,
        "orientation_end": end,
    }


def coverage(request: HttpRequest) -> HttpResponse:
    """How much of Japan the community reaches: map and tables by prefecture and by kind."""
    return render(
        request,
        "insights/coverage.html",
        {
            "headline": figures.headline(),
            "feature_counts": feature_counts(),
            "by_prefecture": figures.coverage_by_prefecture(),
            "by_kind": figures.coverage_by_kind(),
        },
    )


def _member_profiles() -> QuerySet[Profile]:
    # Name, reading and organisation only: members always see those, whatever they hide.
    # "Is a member" as EXISTS lets the database start from the organisations' index rather
    # than from every member: Tokyo's first page at 100,000 members, 380 ms → 30 ms.
    is_member = Exists(User.objects.filter(pk=OuterRef("user_id"), status=User.Status.MEMBER))
    return (
        Profile.objects.filter(is_member)
        .select_related("user", "organization")
        .only(
            "user__id",
            "user__family_name",
            "user__given_name",
            "user__family_name_kana",
            "user__given_name_kana",
            "organization__id",
            "organization__name",
            "organization__kind",
            "organization__sort_key",
        )
    )


def _coverage_of(prefecture: Organization | None) -> figures.PrefectureCoverage | None:
    if prefecture is None:
        return None
    return next((r for r in figures.coverage_by_prefecture() if r.code == prefecture.code), None)


def prefecture(request: SignedInRequest, code: str) -> HttpResponse:
    """Members from one prefecture by organisation, and its local governments with none yet."""
    place = access_prefecture(request.user, code)
    organizations = Organization.objects.filter(Q(pk=place.pk) | Q(prefecture=place))
    members = _member_profiles().filter(organization__in=organizations)
    members = members.order_by(
        "organization__sort_key", "user__family_name_kana", "user__given_name_kana", "user_id"
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/prefecture.html",
        {
            "prefecture": place,
            "coverage": _coverage_of(place),
            "page_obj": page,
            "uncovered": list(figures.uncovered(place.code)),
            "query_string": "",
        },
    )


def mine(request: SignedInRequest) -> HttpResponse:
    """Shortcut to the members of my organisation and of my prefecture."""
    me = request.user
    profile = access_own_profile(me)
    organization = profile.organization
    colleagues = (
        _member_profiles()
        .filter(organization=organization)
        .exclude(user_id=me.pk)
        .order_by("user__family_name_kana", "user__given_name_kana", "user_id")
    )
    page = Paginator(colleagues, PAGE_SIZE).get_page(request.GET.get("page"))
    if organization.kind == Organization.Kind.PREFECTURE:
        home_prefecture: Organization | None = organization
    else:
        home_prefecture = organization.prefecture  # None for national bodies
    return render(
        request,
        "insights/mine.html",
        {
            "organization": organization,
            "prefecture": home_prefecture,
            "coverage": _coverage_of(home_prefecture),
            "page_obj": page,
            "query_string": "",
            "invite_url": request.build_absolute_uri(reverse("home")),
        },
    )
