"""Signed links sent by mail: sign in without a password, and confirm a new email address.

Each token carries a fingerprint of the account state it was issued for, so it stops working
once used: signing in changes last_login; confirming an email change clears the nonce.
"""

from enum import Enum

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from cityhall.accounts.models import User
from cityhall.core.signing import LinkExpired, LinkInvalid, read_link, sign_link

SIGN_IN_SALT = "cityhall.accounts.sign-in-link"
EMAIL_CHANGE_SALT = "cityhall.accounts.email-change"


class LinkProblem(Enum):
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered, unknown account, or already used
    USED = "used"
    SUPERSEDED = "superseded"


class LinkError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _sign_in_state(user: User) -> str:
    last_login = user.last_login.isoformat() if user.last_login else ""
    value = f"{user.pk}|{last_login}|{user.password}|{user.email.lower()}|{user.is_active}"
    return salted_hmac(SIGN_IN_SALT, value).hexdigest()[:20]


def make_sign_in_token(user: User) -> str:
    return sign_link({"u": user.pk, "s": _sign_in_state(user)}, salt=SIGN_IN_SALT)


def sign_in_url(user: User) -> str:
    """Absolute URL of a single-use sign-in link (for mail)."""
    token = make_sign_in_token(user)
    return settings.SITE_URL + reverse("accounts:login_link_use", args=[token])


def check_sign_in_token(token: str) -> User:
    """The account the link signs in to, or LinkError."""
    try:
        data = read_link(token, salt=SIGN_IN_SALT, max_age=settings.SIGN_IN_LINK_MAX_AGE)
    except LinkExpired as error:
        raise LinkError(LinkProblem.EXPIRED) from error
    except LinkInvalid as error:
        raise LinkError(LinkProblem.INVALID) from error
    user = User.objects.filter(pk=data.get("u", 0), is_active=True).first()  # 0: no one
    if user is None:
        raise LinkError(LinkProblem.INVALID)
    if data.get("s") != _sign_in_state(user):
        raise LinkError(LinkProblem.USED)
    return user


def make_email_change_token(user: User, new_email: str) -> str:
    data = {"u": user.pk, "e": new_email, "n": user.email_change_nonce}
    return sign_link(data, salt=EMAIL_CHANGE_SALT)


def check_email_change_token(token: str) -> tuple[User, str]:
    """The account and its new address, or LinkError."""
    try:
        data = read_link(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE)
    except LinkExpired as error:
        raise LinkError(LinkProblem.EXPIRED) from error
    except LinkInvalid as error:
        raise LinkError(LinkProblem.INVALID) from error
    user = User.objects.filter(pk=data.get("u", 0), is_active=True).first()  # 0: no one
    new_email = str(data.get("e", ""))
    if user is None or not new_email:
        raise LinkError(LinkProblem.INVALID)
    if not user.email_change_nonce or data.get("n") != user.email_change_nonce:
        if user.email.lower() == new_email.lower():
            raise LinkError(LinkProblem.USED)
        raise LinkError(LinkProblem.SUPERSEDED)
    return user, new_email
