import math
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import defaults

from cityhall.core.jst import to_jst
from cityhall.core.limits import wants_json


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long (or from elsewhere): say so plainly."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """An unexpected failure: the standalone 500 page, or for a page's script (which asked for
    JSON) a message it can show beside the form instead of HTML it cannot read."""
    if wants_json(request):
        message = _("エラーが発生しました。しばらくしてからもう一度お試しください。")
        return JsonResponse({"error": message}, status=500)
    return defaults.server_error(request)


def _seconds_until(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def retry_when(until: datetime) -> str:
    """When to try again, in words: "30秒後" for a short wait, else "7月1日 12:05 以降"
    (rounded up to the minute, so that trying at the time shown works)."""
    seconds = _seconds_until(until)
    if seconds < 120:
        return _("%(seconds)s秒後") % {"seconds": seconds}
    minute = to_jst(until).replace(second=0, microsecond=0)
    if minute < until:
        minute += timedelta(minutes=1)
    return _("%(time)s 以降") % {"time": date_format(minute, _("n月j日 H:i"))}


def too_many_requests(
    request: HttpRequest, template: str, context: dict[str, Any], until: datetime
) -> HttpResponse:
    """The form again, as typed, with `throttled` (the explanation) for its page to show;
    HTTP 429 with Retry-After, so that scripts back off too."""
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(_seconds_until(until))
    return response
