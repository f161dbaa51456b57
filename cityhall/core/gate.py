"""Who may open which page. Every view is members-only unless it says otherwise.

Views declare a wider or narrower audience with the decorators below; the middleware enforces
it before the view runs, so a view that forgets to declare anything is safe by default.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any account: applicants, rejected and suspended people too
MEMBER = "member"  # the default
STAFF = "staff"
ADMIN = "admin"

View = TypeVar("View", bound=Callable[..., Any])


def _audience(level: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.audience = level  # type: ignore[attr-defined]
        return view

    return decorate


public = _audience(PUBLIC)
signed_in = _audience(SIGNED_IN)
staff_only = _audience(STAFF)
admin_only = _audience(ADMIN)


def audience_of(view: Callable[..., Any], path: str) -> str:
    if path.startswith("/admin/"):
        return STAFF
    return str(
        getattr(view, "audience", None)
        or getattr(getattr(view, "view_class", None), "audience", MEMBER)
    )


def second_factor_required(user: Any) -> bool:
    """Staff always (unless relaxed for the local demo); members who turned it on."""
    if user.is_staff_member:
        return not settings.STAFF_2FA_RELAXED
    return user.is_member and user.two_factor_enabled


def needs_second_factor(user: Any) -> bool:
    """TOTP is required and has not been passed in this session."""
    return second_factor_required(user) and not user.is_verified()


def _send_to(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect to the page that must come first. A fragment htmx asked for (the bell) gets
    nothing instead: the sign-in or two-factor page swapped into the header would load a bell
    of its own, which would load the page again, and so on."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return HttpResponseRedirect(url)


def _login_redirect(request: HttpRequest) -> HttpResponse:
    url = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
    return _send_to(request, url)


class AccessGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        level = audience_of(view, request.path)
        if level == PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            return _login_redirect(request)
        if level == SIGNED_IN:
            return None
        if not user.is_member:
            return _send_to(request, reverse("members:status"))
        if needs_second_factor(user):
            return _send_to(
                request,
                reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()}),
            )
        if level == STAFF and not user.is_staff_member:
            raise PermissionDenied
        if level == ADMIN and not user.is_admin:
            raise PermissionDenied
        return None
