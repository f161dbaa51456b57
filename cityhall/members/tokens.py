"""Signed links sent by mail: email verification and account activation.

A link is either valid, expired (signed by us but too old), or invalid (tampered or made for
another purpose). Views show a different page for each, so they are told apart here.
"""

import enum
from typing import Any

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from cityhall.accounts.models import User
from cityhall.core.signing import LinkExpired, LinkInvalid, read_link, sign_link

VERIFY_SALT = "cityhall.members.verify-email"
ACTIVATE_SALT = "cityhall.members.activate"


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


def _read(token: str, salt: str, max_age: int) -> tuple[LinkState, dict[str, Any] | None]:
    try:
        return LinkState.VALID, read_link(token, salt=salt, max_age=max_age)
    except LinkExpired as expired:
        return LinkState.EXPIRED, expired.data
    except LinkInvalid:
        return LinkState.INVALID, None


def _email_fingerprint(email: str) -> str:
    # The link names the address it was sent to without showing it (links end up in logs).
    return salted_hmac(VERIFY_SALT, email.strip().lower()).hexdigest()[:20]


def verification_token(application: Any) -> str:
    return sign_link(
        {"a": application.pk, "e": _email_fingerprint(application.email)}, salt=VERIFY_SALT
    )


def read_verification_token(token: str) -> tuple[LinkState, int | None, str]:
    """(state, application id, email fingerprint) of a verification link."""
    state, data = _read(token, VERIFY_SALT, settings.EMAIL_VERIFICATION_MAX_AGE)
    if data is None or not isinstance(data.get("a"), int):
        return LinkState.INVALID, None, ""
    return state, data["a"], str(data.get("e", ""))


def verification_is_for(application: Any, fingerprint: str) -> bool:
    """The link was made for the address the application still has."""
    return constant_time_compare(fingerprint, _email_fingerprint(application.email))


def _password_fingerprint(user: User) -> str:
    # Changes as soon as a password is set, which makes the activation link single use.
    return salted_hmac(ACTIVATE_SALT, user.password).hexdigest()[:20]


def activation_token(user: User) -> str:
    return sign_link({"u": user.pk, "p": _password_fingerprint(user)}, salt=ACTIVATE_SALT)


def read_activation_token(token: str) -> tuple[LinkState, int | None, str]:
    """(state, user id, password fingerprint) of an activation link."""
    state, data = _read(token, ACTIVATE_SALT, settings.ACTIVATION_MAX_AGE)
    if data is None or not isinstance(data.get("u"), int):
        return LinkState.INVALID, None, ""
    return state, data["u"], str(data.get("p", ""))


def activation_still_unused(user: User, fingerprint: str) -> bool:
    return not user.has_usable_password() and constant_time_compare(
        fingerprint, _password_fingerprint(user)
    )
