"""Secrets in outgoing mail: links that let whoever holds them sign in, set a password, confirm
an address or delete an account. Only the person the mail was sent to may ever read them.

The code that builds such a mail marks its row (`OutboundEmail.carries_secret`); these
patterns are the second line of defence. They find the secret in the text itself, so a mail
someone forgot to mark is marked anyway and a page that shows mail shows the secret masked.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django.urls import Resolver404, resolve

MASK = "••••"
# A route's path parameter with this name is a secret, whichever route it is.
SECRET_PARAMETERS = frozenset({"token"})
_URL = re.compile(r"https?://[^\s<>\"'、。「」（）]+")
# The tokens themselves, wherever they appear (a link folded across lines, a route renamed):
# django.core.signing values (payload:timestamp:signature) and password reset tokens
# (timestamp-hash).
_SIGNED_VALUE = re.compile(r"\.?[A-Za-z0-9_-]{8,}:[A-Za-z0-9]{4,}:[A-Za-z0-9_-]{20,}")
_RESET_TOKEN = re.compile(r"\b[0-9a-z]{1,13}-[0-9a-f]{20,}\b")
# In a mail known to carry a secret, any long opaque path segment is treated as one.
_OPAQUE_SEGMENT = re.compile(r"^[A-Za-z0-9_.:~-]{16,}$")


def mask_secrets(text: str, *, strict: bool = False) -> str:
    """`text` with every secret replaced by MASK. `strict` (for a row marked as carrying a
    secret) also masks every long opaque segment of a link's path."""
    text = _URL.sub(lambda match: _mask_url(match.group(0), strict=strict), text)
    text = _SIGNED_VALUE.sub(MASK, text)
    return _RESET_TOKEN.sub(MASK, text)


def contains_secret(text: str) -> bool:
    return mask_secrets(text) != text


def _mask_url(url: str, *, strict: bool) -> str:
    parts = urlsplit(url)
    secrets = _route_secrets(parts.path)
    segments = [
        MASK if segment in secrets or (strict and _OPAQUE_SEGMENT.match(segment)) else segment
        for segment in parts.path.split("/")
    ]
    query = MASK if strict and parts.query else parts.query
    return urlunsplit(parts._replace(path="/".join(segments), query=query))


def _route_secrets(path: str) -> set[str]:
    try:
        match = resolve(path)
    except Resolver404:
        return set()
    return {str(value) for name, value in match.kwargs.items() if name in SECRET_PARAMETERS}
