"""Where a member is signed in, and signing out other devices."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts import actions
from cityhall.accounts.access import access_session, live_sessions, session_public_id
from cityhall.accounts.devices import describe
from cityhall.accounts.requests import SignedInRequest


@dataclass
class SessionRow:
    id: str
    device: str
    ip_address: str | None
    started: datetime
    last_active: datetime
    is_current: bool


def sessions(request: SignedInRequest) -> HttpResponse:
    current = request.session.session_key
    rows = [
        SessionRow(
            id=session_public_id(s.session_key),
            device=describe(s.user_agent),
            ip_address=s.ip_address,
            started=s.created_at,
            last_active=s.last_seen_at,
            is_current=s.session_key == current,
        )
        for s in live_sessions(request.user)
    ]
    rows.sort(key=lambda row: not row.is_current)  # this device first
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "others": sum(not row.is_current for row in rows)},
    )


@require_POST
def session_end(request: SignedInRequest, session_id: str) -> HttpResponse:
    session = access_session(request.user, session_id)
    if session.session_key == request.session.session_key:
        messages.error(
            request, _("この端末からログアウトするには、画面上部の「ログアウト」を押してください。")
        )
        return redirect("accounts:sessions")
    actions.do_sign_out_session(request.user, session, actor=request.user)
    messages.success(request, _("選んだ端末からログアウトしました。"))
    return redirect("accounts:sessions")


@require_POST
def sessions_end_others(request: SignedInRequest) -> HttpResponse:
    count = actions.do_sign_out_everywhere(
        request.user, actor=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request, _("ほかの %(count)d 台の端末からログアウトしました。") % {"count": count}
    )
    return redirect("accounts:sessions")
