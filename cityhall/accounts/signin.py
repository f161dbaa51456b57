"""Password sign-in with throttling, and where to go afterwards."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cityhall.accounts.actions import do_record_login_throttled
from cityhall.accounts.device_cookie import known_device
from cityhall.accounts.models import User
from cityhall.accounts.two_factor import session_verified
from cityhall.core.client import client_ip
from cityhall.core.errors import retry_when
from cityhall.core.gate import second_factor_required
from cityhall.core.throttle import Backoff, Counter, first_blocked


def _pair(email: str, ip: str, device: str | None) -> Counter:
    """Failures for this address from this client: the known device, else the IP address."""
    client = f"device:{device}" if device else ip
    return Counter(
        "login-account-client",
        f"{email}|{client}",
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=settings.LOGIN_FAILURE_WINDOW,
    )


def _account(email: str) -> Backoff:
    """Failures for this address from anywhere: slows guessing down, never locks."""
    return Backoff(
        "login-account",
        email,
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=settings.LOGIN_FAILURE_WINDOW,
        max_delay=settings.LOGIN_FAILURE_MAX_DELAY,
    )


def _client(ip: str) -> Counter:
    """Failures from one IP address across accounts: a high safety net."""
    return Counter(
        "login-ip",
        ip,
        limit=settings.LOGIN_FAILURE_IP_LIMIT,
        window=settings.LOGIN_FAILURE_WINDOW,
    )


def retry_message(until: datetime) -> str:
    """The same words whether or not the address exists, and whichever limit applied."""
    return _(
        "ログインの失敗が続いたため、安全のため少しお待ちいただいています。"
        "%(when)sにもう一度お試しください。"
        "すぐにログインしたい場合は、メールで届くログイン用リンクをお使いください。"
    ) % {"when": retry_when(until)}


@dataclass
class SignInResult:
    user: User | None = None
    error: str = ""
    retry_at: datetime | None = None  # set when a limit refused the attempt


def sign_in_with_password(request: HttpRequest, email: str, password: str) -> SignInResult:
    """Check the password unless a limit says to wait; sign in on success.

    Three limits (docs/decisions.md): failures for the address from this client, which then
    waits out the window; failures for the address from anywhere, which only space attempts
    out, and not for a device the account has signed in on before; failures from the client's
    IP address across accounts, a high safety net (not for a known device either).
    """
    ip = client_ip(request)
    device = known_device(request, email)
    pair, account = _pair(email, ip, device), _account(email)
    counters = [pair] if device else [pair, _client(ip)]
    blocked = first_blocked(counters)
    if blocked is None and device is None and (turn := account.take_turn()) is not None:
        blocked = (account, turn)
    if blocked is None:
        user = authenticate(request, email=email, password=password)
        if user is not None:
            # Only this client's count: others may still be guessing at the account.
            pair.reset()
            login(request, user)
            return SignInResult(user=user)
        for counter in [*counters, account]:
            counter.fail()
        blocked = first_blocked(counters)
        if blocked is None:
            return SignInResult(error=_("メールアドレスまたはパスワードが正しくありません。"))
    counter, until = blocked
    if counter.first_block():
        do_record_login_throttled(email, ip=ip, limit=counter.kind)
    return SignInResult(error=retry_message(until), retry_at=until)


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
