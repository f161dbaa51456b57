"""The home feed, "mark everything read", and a member's posts."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.feed.actions import do_mark_all_read
from cityhall.feed.queries import feed_page, posts_by
from cityhall.members.profile_access import access_profile


def feed(request: SignedInRequest) -> HttpResponse:
    page = feed_page(request.user, request.GET.get("before", ""))
    return render(request, "feed/feed.html", {"feed": page})


@require_POST
def mark_all_read(request: SignedInRequest) -> HttpResponse:
    do_mark_all_read(actor=request.user)
    messages.success(request, _("すべての投稿を既読にしました。"))
    # Back to the page the button was on: the start page or the feed (no open redirect).
    return redirect("home" if request.POST.get("next") == "home" else "feed:feed")


def member_posts(request: SignedInRequest, user_id: int) -> HttpResponse:
    profile = access_profile(request.user, user_id)
    page = posts_by(request.user, profile.user, request.GET.get("before", ""))
    return render(
        request,
        "feed/member_posts.html",
        {"profile": profile, "person": profile.user, "feed": page},
    )
