"""TOTP helpers: a new secret, its QR code (inline SVG, drawn here), and checking codes."""

import re
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.html import escape
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User
from cityhall.core.throttle import Counter

STEP, DIGITS, TOLERANCE = 30, 6, 1


def new_key() -> str:
    """A 160-bit secret, hex-encoded as TOTPDevice stores it."""
    return secrets.token_hex(20)


def secret_text(key: str) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    b32 = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def config_url(user: User, key: str) -> str:
    issuer = settings.SITE_NAME.replace(":", "")
    label = quote(f"{issuer}:{user.email}")
    params = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode().rstrip("="),
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP,
        }
    )
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


def qr_svg(url: str, label: str) -> str:
    """An accessible inline SVG; made locally, so the secret never leaves the server."""
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(
        encoding="unicode"
    )
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        f'<svg class="qr-code" role="img" aria-label="{escape(label)}"',
        svg,
    )


def check_new_code(key: str, code: str) -> int | None:
    """The time step the code belongs to, when it is right for this (not yet saved) secret."""
    totp = TOTP(unhexlify(key), STEP, 0, DIGITS, 0)
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), TOLERANCE) else None


def session_verified(user: User) -> bool:
    """True once this session passed a code (django-otp's middleware adds is_verified; a user
    just signed in has not passed one)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def check_code(device: TOTPDevice, code: str) -> bool:
    """django-otp's own check (which refuses a code used before, and backs off on failures)."""
    return bool(device.verify_token(code))


def code_counter(user: User) -> Counter:
    """Wrong codes per account, with the same limits as wrong passwords."""
    return Counter(
        "otp",
        str(user.pk),
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=settings.LOGIN_FAILURE_WINDOW,
    )
