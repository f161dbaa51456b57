"""Plain words for a browser's User-Agent, e.g. "iPhone · Safari", for the sessions page."""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Checked in order: the first match wins (iPad before Mac, Android before Linux, …).
_DEVICES: list[tuple[str, str | Promise]] = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android.*Mobile", gettext_lazy("Android スマートフォン")),
    (r"Android", gettext_lazy("Android タブレット")),
    (r"CrOS", "Chromebook"),
    (r"Windows", gettext_lazy("Windows パソコン")),
    (r"Macintosh|Mac OS X", "Mac"),
    (r"Linux", gettext_lazy("Linux パソコン")),
]
_BROWSERS: list[tuple[str, str | Promise]] = [
    (r"Line/", "LINE"),
    (r"FBAN|FBAV", "Facebook"),
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
]


def _first(patterns: list[tuple[str, str | Promise]], user_agent: str) -> str:
    for pattern, name in patterns:
        if re.search(pattern, user_agent):
            return str(name)
    return ""


def describe(user_agent: str) -> str:
    """ "iPhone · Safari", "Windows パソコン · Edge", or a plain "不明な端末"."""
    device = _first(_DEVICES, user_agent or "")
    browser = _first(_BROWSERS, user_agent or "")
    if device and browser:
        return f"{device} · {browser}"
    return device if device else (browser or _("不明な端末"))
