"""Times are stored in UTC and shown in Japan Standard Time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

JST = ZoneInfo("Asia/Tokyo")


def now_jst() -> datetime:
    return timezone.now().astimezone(JST)


def to_jst(value: datetime) -> datetime:
    return value.astimezone(JST)
