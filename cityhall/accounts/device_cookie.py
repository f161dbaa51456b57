"""A signed cookie naming the accounts that have signed in on this browser.

Sign-in limits aimed at an account spare the devices its owner already uses: someone guessing
the password from elsewhere cannot keep the member out of their own phone or office PC. The
cookie holds a random device id and up to five account ids; it grants nothing else.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from cityhall.accounts.models import User

COOKIE = "cityhall_device"
SALT = "cityhall.accounts.device-cookie"
MAX_AGE = 60 * 60 * 24 * 365  # renewed at each sign-in
MAX_ACCOUNTS = 5


def _read(request: HttpRequest) -> tuple[str, list[int]]:
    raw = request.COOKIES.get(COOKIE)
    if raw:
        try:
            data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
            return str(data["d"]), [int(pk) for pk in data["u"]]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            pass
    return "", []


def known_device(request: HttpRequest, email: str) -> str | None:
    """This browser's device id if the account with this address has signed in on it before."""
    device, accounts = _read(request)
    if not device or not accounts:
        return None
    known = User.objects.filter(email__iexact=email.strip(), pk__in=accounts).exists()
    return device if known else None


def remember_device(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """Called on the response to a successful sign-in."""
    device, accounts = _read(request)
    accounts = [user.pk, *(pk for pk in accounts if pk != user.pk)][:MAX_ACCOUNTS]
    value = signing.dumps({"d": device or secrets.token_urlsafe(16), "u": accounts}, salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
