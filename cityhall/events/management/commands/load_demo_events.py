"""`manage.py load_demo_events`: the vaccine information exchange (ワクチン接種 情報交換会,
every Sunday 21:00, eleven sessions held and one ahead) and a few section study sessions, with
registrations from the demo members. The vaccine sessions also get about 3,000 attendances from
600 invented members of about 500 local governments (demo_attendees.py), so the series shows
figures close to the real one's; sessions held earlier without attendance get it on a later run.

Safe to run on every start: a series that already exists (by its slug) is left as it is. Fixed
seed, no audit entries, no mail — like the rest of the demo data.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.jst import to_jst
from cityhall.events.demo_attendees import fill_vaccine_attendance
from cityhall.events.models import Attendance, Event, EventHost, EventSeries, Registration
from cityhall.events.recurrence import generate_sessions, start_of
from cityhall.sections.models import Section

SEED = 20210
VACCINE_TOPICS = [
    "接種券の発送と予約システム", "集団接種会場の運営", "個別接種と医師会との調整",
    "高齢者施設での接種", "ワクチンの保管と配送", "キャンセル待ちと余剰ワクチン",
    "接種記録（VRS）の入力", "副反応の相談窓口", "2回目接種の予約管理",
    "職域接種との連携", "12歳以上への拡大", "3回目接種に向けて",
]  # fmt: skip
VACCINE_DESCRIPTION = """全自治体に共通する新型コロナウイルスワクチン接種の業務について、
担当者同士で情報交換します。

- 事前にいただいた質問・テーマ希望をもとに、毎回のテーマを決めます
- 会の終了後に FAQ 資料をお配りします
- 聞くだけの参加も歓迎です
"""
# (section slug, title, weekday, hour, description)
SECTION_SERIES = [
    ("bousai", "防災課 月例勉強会", 2, 20, "避難所運営や備蓄の工夫を持ち寄ります。"),
    ("writing", "ライティング課 文章添削会", 3, 21, "広報紙やお知らせ文を読みやすくします。"),
]


class Command(BaseCommand):
    help = "デモ用の勉強会（ワクチン接種 情報交換会ほか）を作成します。何度実行しても重複しません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="DEBUG がオフでも実行する")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo_events はデモ・開発用です（DEBUG=1 で実行してください）。"
            )
        with transaction.atomic():
            created = build()
        self.stdout.write(f"勉強会シリーズ: {created} 件を作成")


def build(now: datetime | None = None) -> int:
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    people = list(
        User.objects.filter(status=User.Status.MEMBER).order_by("pk").values_list("pk", flat=True)
    )
    staff = User.objects.filter(role__in=[User.Role.STAFF, User.Role.ADMIN]).order_by("pk").first()
    created = 0
    if not EventSeries.objects.filter(slug="vaccine").exists():
        _vaccine(now, rng, people, staff)
        created += 1
    vaccine = EventSeries.objects.filter(slug="vaccine").first()
    if vaccine is not None:
        fill_vaccine_attendance(vaccine, people, now)
    for slug, title, weekday, hour, description in SECTION_SERIES:
        section = Section.objects.filter(slug=slug).first()
        key = f"{slug}-study"
        if section is None or EventSeries.objects.filter(slug=key).exists():
            continue
        series = EventSeries.objects.create(
            slug=key, title=title, description=description, organizer="section",
            section=section, frequency="monthly", weekday=weekday, week_of_month=2,
            start_time=time(hour, 0), duration_minutes=60, capacity=30,
            starts_on=to_jst(now).date() - timedelta(days=120),
            venue_url="https://meet.example.jp/" + slug, created_by=staff,
        )  # fmt: skip
        _past_sessions(series, now, rng, people, count=3)
        generate_sessions(series, now=now)
        created += 1
    return created


def _vaccine(now: datetime, rng: random.Random, people: list[int], staff: User | None) -> None:
    today = to_jst(now).date()
    next_sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    series = EventSeries.objects.create(
        slug="vaccine", title="ワクチン接種 情報交換会", description=VACCINE_DESCRIPTION,
        organizer="staff", frequency="weekly", weekday=6, start_time=time(21, 0),
        duration_minutes=90, starts_on=next_sunday - timedelta(weeks=12), ends_on=next_sunday,
        capacity=500, venue_url="https://zoom.example.jp/j/vaccine", created_by=staff,
    )  # fmt: skip
    if staff is not None:
        EventHost.objects.create(series=series, user=staff)
    _past_sessions(series, now, rng, people, count=11, topics=VACCINE_TOPICS)
    starts = start_of(series, next_sunday)
    Event.objects.create(
        series=series, occurrence_date=next_sunday,
        title=f"{series.title} 第12回「{VACCINE_TOPICS[11]}」", description=series.description,
        organizer=series.organizer, starts_at=starts, ends_at=starts + series.duration,
        capacity=series.capacity, venue_url=series.venue_url, created_by=staff,
    )  # fmt: skip


def _past_sessions(
    series: EventSeries,
    now: datetime,
    rng: random.Random,
    people: list[int],
    *,
    count: int,
    topics: list[str] | None = None,
) -> None:
    today = to_jst(now).date()
    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < count and day >= series.starts_on:
        if day.weekday() == series.weekday and (
            series.frequency != "monthly" or 8 <= day.day <= 14
        ):
            days.append(day)
        day -= timedelta(days=1)
    for number, day in enumerate(reversed(days), start=1):
        starts = start_of(series, day)
        title = f"{series.title} 第{number}回" + (f"「{topics[number - 1]}」" if topics else "")
        event = Event.objects.create(
            series=series, occurrence_date=day, title=title, description=series.description,
            organizer=series.organizer, section=series.section, starts_at=starts,
            ends_at=starts + series.duration, capacity=series.capacity,
            venue_url=series.venue_url, created_by=series.created_by,
        )  # fmt: skip
        chosen = rng.sample(people, min(len(people), rng.randint(8, 40)))
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    user_id=pk,
                    status="confirmed",
                    position=i,
                    registered_at=starts - timedelta(days=3),
                    confirmed_at=starts - timedelta(days=3),
                    reminded_day_at=starts - timedelta(days=1),
                    reminded_hour_at=starts - timedelta(hours=1),
                )
                for i, pk in enumerate(chosen, start=1)
            ]
        )
        if topics is None:  # section sessions: most of those registered came
            Attendance.objects.bulk_create(
                [
                    Attendance(event=event, user_id=r.user_id, source="host", checked_in_at=starts)
                    for r in registrations
                    if rng.random() < 0.8
                ]
            )
