"""Signed links sent by mail, and secrets derived from SECRET_KEY for one purpose each.

A link's token is django.core.signing's (payload, timestamp, signature), salted per purpose: a
link mailed before a change of this code still opens after it, as long as the salt is kept.
"""

import hmac
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.core import signing


class LinkInvalid(Exception):
    """Tampered with, cut short, or signed for another purpose (another salt)."""


class LinkExpired(LinkInvalid):
    """Signed here, but older than its max_age. `data` is what it carries, so a page can say
    whose link it was (and offer a fresh one). Catch it before LinkInvalid."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__("expired")
        self.data = data


def sign_link(data: dict[str, Any], *, salt: str) -> str:
    """A URL-safe token carrying `data`, readable by read_link with the same salt."""
    return signing.dumps(data, salt=salt)


def read_link(token: str, *, salt: str, max_age: int) -> dict[str, Any]:
    """The data of a token made by sign_link with this salt at most `max_age` seconds ago;
    LinkExpired when it is older, LinkInvalid when it is not one of ours (or not a dict)."""
    expired = False
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        data = signing.loads(token, salt=salt)  # the signature is good, only the age is not
        expired = True
    except signing.BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(data, dict):
        raise LinkInvalid
    if expired:
        raise LinkExpired(data)
    return data


def broadcast_callback_secret() -> str:
    """The shared secret in nginx's RTMP callback URLs; derived from SECRET_KEY unless
    configured. The deployment config and the broadcasts app both need it."""
    if settings.BROADCAST_CALLBACK_SECRET:
        return settings.BROADCAST_CALLBACK_SECRET
    return hmac.new(settings.SECRET_KEY.encode(), b"broadcast-callbacks", sha256).hexdigest()[:32]
