"""The member directory: who else handles this duty, in which office, where."""

from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from cityhall.accounts.requests import SignedInRequest
from cityhall.directory import queries
from cityhall.directory.access import access_duty
from cityhall.directory.forms import DirectorySearchForm
from cityhall.members.models import Duty, Profile
from cityhall.organizations.models import Organization

PAGE_SIZE = 30


def _page(request: SignedInRequest, profiles: QuerySet[Profile]) -> Page:
    """Paginate the bare ids, then load the page's members with everything they show."""
    page = Paginator(profiles.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The template reads the entries where Django's pagination put the ids.
    page.object_list = queries.entries(request.user, list(page.object_list))  # type: ignore[assignment]
    return page


def _query_string(request: SignedInRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def search(request: SignedInRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET, viewer=request.user)
    page = filters = None
    if form.is_valid():
        filters = form.filters()
        page = _page(request, queries.search(request.user, filters))
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "query_string": _query_string(request),
        },
    )


def duties(request: SignedInRequest) -> HttpResponse:
    counts = queries.duty_counts(request.user)
    listed = [(duty, counts.get(duty.pk, 0)) for duty in Duty.objects.active()]
    listed.sort(key=lambda pair: pair[0].category or "\uffff")  # stable: keeps the duty order
    categories = [
        (category, list(group))
        for category, group in groupby(listed, key=lambda pair: pair[0].category)
    ]
    return render(request, "directory/duties.html", {"categories": categories})


def _own_prefecture(request: SignedInRequest) -> Organization | None:
    profile = (
        Profile.objects.select_related("organization__prefecture")
        .filter(user_id=request.user.pk)
        .first()
    )
    return queries.prefecture_of(profile.organization) if profile else None


def duty(request: SignedInRequest, duty_id: int) -> HttpResponse:
    duty = access_duty(request.user, duty_id)
    holders = queries.duty_holders(request.user, duty)
    own = _own_prefecture(request)
    prefecture = None
    code = request.GET.get("prefecture", "")
    if code:
        prefecture = Organization.objects.filter(
            kind=Organization.Kind.PREFECTURE, code__startswith=code[:2]
        ).first()
    everywhere = holders
    if prefecture is not None:
        holders = holders.filter(queries.in_prefecture(prefecture))
    context: dict[str, Any] = {
        "duty": duty,
        "prefecture": prefecture,
        "own_prefecture": own,
        "own_count": everywhere.filter(queries.in_prefecture(own)).count() if own else 0,
        "page_obj": _page(request, holders),
        "query_string": _query_string(request),
    }
    return render(request, "directory/duty.html", context)
