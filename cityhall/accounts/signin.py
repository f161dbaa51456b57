"""Password sign-in with throttling, and where to go afterwards."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cityhall.accounts.actions import do_record_login_throttled
from cityhall.accounts.gate import second_factor_required
from cityhall.accounts.models import User
from cityhall.accounts.throttle import Counter, first_blocked
from cityhall.accounts.two_factor import session_verified
from cityhall.lib.jst import to_jst


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _counters(email: str, ip: str) -> list[Counter]:
    window = settings.LOGIN_FAILURE_WINDOW
    return [
        Counter("login-email", email, limit=settings.LOGIN_FAILURE_LIMIT, window=window),
        Counter("login-ip", ip, limit=settings.LOGIN_FAILURE_IP_LIMIT, window=window),
    ]


def retry_message(until: datetime) -> str:
    """The same words whether or not the address exists."""
    when = date_format(to_jst(until), _("n月j日 H:i"))
    return _(
        "ログインに続けて失敗したため、安全のため一時的にログインを止めています。"
        "%(when)s 以降にもう一度お試しください。パスワードを忘れた場合は再設定できます。"
    ) % {"when": when}


@dataclass
class SignInResult:
    user: User | None = None
    error: str = ""


def sign_in_with_password(request: HttpRequest, email: str, password: str) -> SignInResult:
    """Check the password unless this address or IP is throttled; sign in on success."""
    ip = client_ip(request)
    counters = _counters(email, ip)
    blocked = first_blocked(counters)
    if blocked is None:
        user = authenticate(request, email=email, password=password)
        if user is not None:
            counters[0].reset()  # the IP counter stays: others may be guessing from there
            login(request, user)
            return SignInResult(user=user)
        for counter in counters:
            counter.fail()
        blocked = first_blocked(counters)
        if blocked is None:
            return SignInResult(error=_("メールアドレスまたはパスワードが正しくありません。"))
    counter, until = blocked
    if counter.first_block():
        do_record_login_throttled(email, ip=ip, limit=counter.kind)
    return SignInResult(error=retry_message(until))


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` parameter when it points inside this site, else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL) if default is None else default


def after_sign_in_url(request: HttpRequest, user: User) -> str:
    """Non-members go to their status page; those who owe a code to the code page; members
    to `next`."""
    if not user.is_member:
        return reverse("members:status")
    target = safe_next(request)
    if second_factor_required(user) and not session_verified(user):
        return reverse("accounts:two_factor") + "?" + urlencode({"next": target})
    return target
