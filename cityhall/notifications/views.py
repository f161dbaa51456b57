"""Members' notifications: the bell, the list, preferences, and the mention type-ahead."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.mentions import mention_token
from cityhall.directory.queries import ORDERING, member_profiles, name_matches
from cityhall.notifications.access import access_notification
from cityhall.notifications.actions import (
    do_mark_all_read,
    do_mark_read,
    do_save_preferences,
    preference_of,
)
from cityhall.notifications.events import target_url
from cityhall.notifications.forms import PreferenceForm
from cityhall.notifications.models import Notification, SectionMute
from cityhall.notifications.unread import unread_count
from cityhall.sections.models import Section

PER_PAGE = 30
SUGGESTIONS = 8


def notification_list(request: SignedInRequest) -> HttpResponse:
    notifications = (
        Notification.objects.for_recipient(request.user)
        .select_related("actor", "post__section", "episode__programme", "application__organization")
        .defer("post__body", "post__case_what", "post__case_outcome")
        .order_by("-created_at", "-id")
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "unread": unread_count(request.user), "query_string": ""},
    )


def bell(request: SignedInRequest) -> HttpResponse:
    """The header's bell with the unread count, loaded after the page (so pages themselves
    spend no query on it)."""
    return render(request, "notifications/bell.html", {"unread": unread_count(request.user)})


@require_POST
def open_notification(request: SignedInRequest, notification_id: int) -> HttpResponse:
    notification = access_notification(request.user, notification_id)
    do_mark_read(notification, actor=request.user)
    return redirect(target_url(notification))


@require_POST
def read_all(request: SignedInRequest) -> HttpResponse:
    do_mark_all_read(actor=request.user)
    messages.success(request, _("すべての通知を既読にしました。"))
    return redirect("notifications:list")


def _my_sections(user: User) -> list[Section]:
    return list(Section.objects.active().joined_by(user).order_by("kind", "name"))


def preferences(request: SignedInRequest) -> HttpResponse:
    user = request.user
    pref = preference_of(user)
    sections = _my_sections(user)
    muted = set(SectionMute.objects.filter(user=user).values_list("section_id", flat=True))
    followed = {s.pk for s in sections if s.pk not in muted}
    form = PreferenceForm(
        request.POST or None,
        instance=pref,
        sections=sections,
        followed=followed,
        staff=user.is_staff_member,
    )
    if request.method == "POST" and form.is_valid():
        do_save_preferences(
            pref,
            data=form.preference_data(),
            sections=sections,
            followed=form.followed_sections(),
            actor=user,
        )
        messages.success(request, _("通知の設定を保存しました。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def mention_search(request: SignedInRequest) -> JsonResponse:
    """Members whose name starts with what was typed after "@", for the type-ahead in post
    and comment forms. Name and organisation only: the fields no member can hide."""
    query = request.GET.get("q", "").strip()[:40]
    if not query:
        return JsonResponse({"results": []})
    profiles = (
        member_profiles()
        .filter(name_matches(query))
        .select_related("user", "organization")
        .order_by(*ORDERING)[:SUGGESTIONS]
    )
    results = [
        {
            "id": profile.user_id,
            "name": profile.user.full_name,
            "organization": profile.organization.name,
            "token": mention_token(profile.user),
        }
        for profile in profiles
    ]
    return JsonResponse({"results": results})
