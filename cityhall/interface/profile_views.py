"""Member profiles: read one, fetch its photo, edit your own."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.files import serve_file
from cityhall.core.limits import body_limit, image_limit
from cityhall.interface.profile import profile_activity
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS
from cityhall.members.profile_access import (
    access_own_profile,
    access_profile,
    can_see,
    hidden_from_members,
    sees_everything,
)
from cityhall.members.profile_actions import do_update_profile
from cityhall.members.profile_forms import ProfileForm


def detail(request: SignedInRequest, user_id: int) -> HttpResponse:
    profile = access_profile(request.user, user_id)
    visible = {f: can_see(request.user, profile, f) for f in OPTIONAL_PROFILE_FIELDS}
    duties = list(profile.duties.all()) if visible["duties"] else []
    return render(
        request,
        "members/profile_detail.html",
        {
            "profile": profile,
            "person": profile.user,
            "visible": visible,
            "duties": duties,
            "is_owner": request.user.pk == profile.user_id,
            # Their sections and latest posts, as far as the viewer may see them.
            **profile_activity(request.user, profile.user),
            # Badges for the fields members cannot see, shown to whoever sees them anyway.
            "hidden": hidden_from_members(profile)
            if sees_everything(request.user, profile)
            else set(),
        },
    )


def photo(request: SignedInRequest, user_id: int) -> HttpResponseBase:
    profile = access_profile(request.user, user_id)
    if not profile.photo or not can_see(request.user, profile, "photo"):
        raise Http404
    return serve_file(request, profile.photo, filename=f"{profile.user_id}.jpg")


@body_limit(image_limit)
def edit(request: SignedInRequest) -> HttpResponse:
    member = request.user
    profile = access_own_profile(member)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, profile=profile)
        if form.is_valid():
            do_update_profile(
                profile.user,
                actor=member,
                data=form.profile_data(),
                photo=form.photo_change(),
            )
            messages.success(request, _("プロフィールを保存しました。"))
            return redirect("profiles:detail", user_id=profile.user_id)
    else:
        form = ProfileForm(profile=profile)
    return render(request, "members/profile_edit.html", {"form": form, "profile": profile})
