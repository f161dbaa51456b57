"""The weekly newcomer orientation (説明会): an ordinary series with a known slug, created by a
data migration (every Friday 21:00–22:00 JST), and its item on the newcomer checklist."""

from datetime import datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.jst import to_jst
from cityhall.events.models import Attendance, Event, EventSeries
from cityhall.events.recurrence import next_occurrence
from cityhall.members import onboarding

BRIEFING_SLUG = "briefing"


def briefing_series() -> EventSeries | None:
    return EventSeries.objects.filter(slug=BRIEFING_SLUG).first()


def next_briefing(now: datetime | None = None) -> Event | None:
    """The next 説明会 session that has not ended and is not cancelled (None until the periodic
    job has generated it)."""
    return (
        Event.objects.scheduled()
        .filter(series__slug=BRIEFING_SLUG)
        .upcoming(now)
        .select_related("series")
        .first()
    )


def next_briefing_time(now: datetime | None = None) -> tuple[datetime, datetime] | None:
    """Start and end of the next 説明会: the generated session, else the series' rule."""
    event = next_briefing(now)
    if event is not None:
        return to_jst(event.starts_at), to_jst(event.ends_at)
    series = briefing_series()
    start = next_occurrence(series, now) if series is not None else None
    if series is None or start is None:
        return None
    return start, start + timedelta(minutes=series.duration_minutes)


def briefing_attended(user: User) -> bool:
    """Whether the member has attended a session of the 説明会 series (checked in, marked by a
    host or found in the participants report); ticks the newcomer checklist item."""
    if not user.pk:
        return False
    return Attendance.objects.filter(user=user, event__series__slug=BRIEFING_SLUG).exists()


def _description() -> str:
    times = next_briefing_time()
    if times is None:
        return gettext("はじめての方向けに、コミュニティの歩き方をご案内します。")
    start, end = times
    when = gettext("{date}（{weekday}）{start}〜{end}").format(
        date=formats.date_format(start, gettext("Y年n月j日")),
        weekday=formats.date_format(start, "D"),
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
    )
    return gettext(
        "次回は {when} です。はじめての方向けに、コミュニティの歩き方をご案内します。"
    ).format(when=when)


def register_checklist_item() -> None:
    """The 説明会's part in members' onboarding: its checklist item, and the one answer to when
    the next session is (the welcome page and mail ask members.onboarding)."""
    onboarding.provide_briefing_time(next_briefing_time)
    onboarding.register(
        onboarding.ChecklistItem(
            key="orientation",
            title=_("金曜日の説明会に参加する"),
            description=_description,
            done=briefing_attended,
            url_name="events:briefing",
            action_label=_("説明会に申し込む"),
        )
    )
