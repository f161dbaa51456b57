"""`manage.py generate_events`: three years of study sessions for a generated community.

On top of `generate_members` (and the sections, which are created here from the demo list when
there are none): series that meet weekly, every other week or monthly — the 説明会 among them —
and one-off sessions, past and up to three months ahead, with Japanese titles; then the
registrations, shared out by each session's popularity and capacity. Every session's queue is
consistent: positions 1…n in order of arrival, confirmed places never above capacity, a
waitlist only when the session is full, and the waitlisted always behind the confirmed (the
waitlist is promoted in order). Past sessions have their reminders marked as sent.

Fast by design: bulk_create in chunks, one transaction per chunk, SQLite's fsync off while it
writes, no audit entries, no mail. Everything is decided by --seed; only the dates move with
the day it runs. --scale shrinks the events and registrations together for small runs.
"""

import random
import time
from bisect import bisect_left
from datetime import datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from math import floor
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.jst import to_jst
from cityhall.events.briefing import BRIEFING_SLUG
from cityhall.events.models import (
    Attendance,
    Event,
    EventHost,
    EventSeries,
    Organizer,
    Registration,
)
from cityhall.events.recurrence import HORIZON, occurrence_dates, start_of
from cityhall.organizations.models import Organization
from cityhall.posts.management.commands.generate_posts import generation_pragmas
from cityhall.sections.management.commands import load_demo_sections
from cityhall.sections.models import Section

Status = Registration.Status
HISTORY_DAYS = 1100  # as generate_members: the community is three years old
ONE_OFF_AHEAD_DAYS = 90
SERIES_SHARE = 0.7  # of the sessions; the rest are one-offs
CANCELLED_EVENTS = 0.02
CANCELLED_REGISTRATIONS = 0.08
ATTENDED = 0.75  # of the confirmed, at sessions held
# How attendance was recorded: the meeting's participants report, self check-in, the host.
SOURCES = [Attendance.Source.REPORT] * 6 + [Attendance.Source.SELF] * 3 + [Attendance.Source.HOST]
CHUNK = 50_000  # registrations per transaction

TOPICS = [
    "窓口DX", "ノーコード", "RPA", "生成AI活用", "オープンデータ", "GIS", "Excel関数", "議会答弁",
    "予算編成", "決算統計", "ふるさと納税", "公共施設マネジメント", "避難所運営", "防災訓練",
    "備蓄", "児童手当", "保育所入所", "子ども家庭支援", "介護保険", "地域包括ケア",
    "ワクチン接種", "健康づくり", "国民健康保険", "住民記録", "マイナンバーカード", "戸籍",
    "住民税", "固定資産税", "滞納整理", "広報紙づくり", "SNS発信", "プレスリリース",
    "観光プロモーション", "移住定住", "地域おこし協力隊", "企業誘致", "農業振興", "空き家対策",
    "地域公共交通", "ごみ減量", "脱炭素", "文書管理", "情報公開", "個人情報保護", "人事評価",
    "働き方改革", "新人研修", "ファシリテーション", "伝わるプレゼン", "契約事務", "公会計",
    "補助金申請", "官民連携", "図書館運営", "生活保護",
]  # fmt: skip
SERIES_KINDS = [
    "勉強会", "情報交換会", "ゼミ", "実務者ミーティング", "もくもく会", "事例共有会", "読書会",
    "相談会",
]  # fmt: skip
ONE_OFF_TITLES = [
    "{t}勉強会", "{t}入門", "はじめての{t}", "{t} 事例共有会", "{org}の{t}に学ぶ",
    "{t}のお悩み相談会", "{t} 座談会", "{t} ミニセミナー", "{t}、どうしてる？ 情報交換会",
]  # fmt: skip
SOCIAL_TITLES = [
    "オンライン交流会", "朝活もくもく会", "新年オンライン懇親会", "同期の会", "ランチ雑談会",
]  # fmt: skip
DESCRIPTION = """{t}について、全国の担当者で情報交換します。

- 申し込み時にいただいた質問やテーマ希望をもとに進めます
- 終了後に FAQ 資料を共有します
- 聞くだけの参加も歓迎です（カメラ・マイクはオフで大丈夫です）
"""
# Japan time of day sessions start, by how common they are: weeknight evenings above all.
START_TIMES = [clock(19, 0)] * 3 + [clock(20, 0)] * 4 + [clock(21, 0)] * 3 + [clock(12, 15)]
SERIES_CAPACITIES = [None, 30, 50, 100, 100, 200, 300, 500]
ONE_OFF_CAPACITIES = [None, 20, 30, 30, 50, 100, 300]


class Command(BaseCommand):
    help = (
        "ベンチマーク用に勉強会（シリーズと単発）と参加申込を大量に作成します（監査・メールなし）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="勉強会と申込の数に掛ける倍率（小さな試行用）"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="DEBUG がオフでも実行する（ベンチマーク用DB）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("generate_events は開発・ベンチマーク用です（DEBUG=1 か --force）。")
        events = max(1, round(options["events"] * options["scale"]))
        registrations = max(0, round(options["registrations"] * options["scale"]))
        if Event.objects.exists() or Registration.objects.exists():
            raise CommandError("勉強会がすでにあります。新しいデータベースで実行してください。")
        started = time.monotonic()
        generator = Generator(options["seed"], self._progress)
        if len(generator.members) < 10:
            raise CommandError("会員が足りません。先に generate_members を実行してください。")
        with generation_pragmas():
            with transaction.atomic():
                if not Section.objects.exists():
                    load_demo_sections.build()
                generator.load_sections()
                planned = generator.plan(events)
                made = generator.write_events(planned)
            written, attended = generator.write_registrations(made, registrations)
        self.stdout.write(
            f"{len(made):,} events ({generator.series_count:,} series and one-offs), "
            f"{written:,} registrations, {attended:,} attendances "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


class Generator:
    def __init__(self, seed: int, progress: Any) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not secrets
        self.progress = progress
        self.now = timezone.now()
        self.today = to_jst(self.now).date()
        self.first_day = self.today - timedelta(days=HISTORY_DAYS)
        users = User.objects.filter(status=User.Status.MEMBER).order_by("pk")
        rows = list(users.values_list("pk", "role"))
        self.members = [pk for pk, _role in rows]
        self.staff = [pk for pk, role in rows if role != User.Role.MEMBER] or self.members[:1]
        # Some members go to far more sessions than others.
        self.cum_weights = list(accumulate(self.rng.lognormvariate(0, 1.0) for _ in self.members))
        names = Organization.objects.active().order_by("pk").values_list("name", flat=True)
        self.organizations = list(names)
        self.series_count = 0

    def load_sections(self) -> None:
        sections = Section.objects.active().order_by("pk")
        self.sections = list(sections.exclude(kind=Section.Kind.SOCIAL))
        self.social = list(sections.filter(kind=Section.Kind.SOCIAL))

    # --- the sessions -------------------------------------------------------------------

    def plan(self, count: int) -> list[Event]:
        """Series sessions up to SERIES_SHARE of `count`, then one-offs; unsaved, by date."""
        target = round(count * SERIES_SHARE)
        events: list[Event] = []
        briefing = EventSeries.objects.filter(slug=BRIEFING_SLUG).first()
        if briefing is not None and target:  # the 説明会 has met every Friday from the start
            briefing.starts_on, briefing.capacity = self.first_day, 100
            briefing.venue_url = "https://zoom.example.jp/j/briefing"
            briefing.save(update_fields=["starts_on", "capacity", "venue_url"])
            # Its latest sessions, and at most a tenth of the series' (small runs stay varied).
            events += self._sessions(briefing, max(1, target // 10), latest=True)
        while len(events) < target:
            events += self._sessions(self._series(), target - len(events))
        events += [self._one_off() for _ in range(count - len(events))]
        events.sort(key=lambda e: e.starts_at)
        self.progress(f"planned {len(events):,} events in {self.series_count:,} series")
        return events

    def _organizer(self) -> dict[str, Any]:
        roll = self.rng.random()
        if roll < 0.4 and self.sections:
            return {"organizer": Organizer.SECTION, "section": self.rng.choice(self.sections)}
        if roll < 0.6:
            return {"organizer": Organizer.HOSTS, "section": None}
        return {"organizer": Organizer.STAFF, "section": None}

    def _series(self) -> EventSeries:
        rng = self.rng
        topic = rng.choice(TOPICS)
        who = self._organizer()
        frequency = rng.choices(["weekly", "biweekly", "monthly"], [2, 3, 5])[0]
        # More series started lately than at the beginning, as the community grew.
        starts_on = self.first_day + timedelta(days=floor(HISTORY_DAYS * rng.random() ** 0.7))
        ends_on = None
        if rng.random() < 0.35:
            ends_on = starts_on + timedelta(days=rng.randint(60, 500))
        prefix = f"{who['section'].name} " if who["section"] else ""
        series = EventSeries.objects.create(
            slug=f"series-{self.series_count + 1}",
            title=f"{prefix}{topic}{rng.choice(SERIES_KINDS)}"[:120],
            description=DESCRIPTION.format(t=topic),
            frequency=frequency,
            weekday=rng.choice([0, 1, 2, 3, 3, 4, 5]),
            week_of_month=rng.randint(1, 4) if frequency == "monthly" else None,
            start_time=rng.choice(START_TIMES),
            duration_minutes=rng.choice([60, 60, 90, 120]),
            starts_on=starts_on,
            ends_on=ends_on,
            capacity=rng.choice(SERIES_CAPACITIES),
            venue_url=f"https://zoom.example.jp/j/s{self.series_count + 1}",
            is_active=ends_on is None,
            created_by_id=rng.choice(self.staff),
            created_at=datetime.combine(starts_on, clock(0), tzinfo=self.now.tzinfo)
            - timedelta(days=14),
            **who,
        )
        if series.organizer == Organizer.HOSTS:
            EventHost.objects.create(series=series, user_id=self._member())
        return series

    def _sessions(self, series: EventSeries, limit: int, latest: bool = False) -> list[Event]:
        self.series_count += 1
        last = series.ends_on or self.today + HORIZON
        days = list(occurrence_dates(series, series.starts_on, last))
        days = days[-limit:] if latest else days[:limit]
        return [
            self._event(
                series=series,
                occurrence_date=day,
                title=self._session_title(series, number),
                description=series.description,
                organizer=series.organizer,
                section=series.section,
                starts_at=start_of(series, day),
                minutes=series.duration_minutes,
                capacity=series.capacity,
                venue_url=series.venue_url,
            )
            for number, day in enumerate(days, start=1)
        ]

    def _session_title(self, series: EventSeries, number: int) -> str:
        if series.slug == BRIEFING_SLUG:
            return series.title
        return f"{series.title} 第{number}回「{self.rng.choice(TOPICS)}」"[:120]

    def _one_off(self) -> Event:
        rng = self.rng
        who = self._organizer()
        span = HISTORY_DAYS + ONE_OFF_AHEAD_DAYS
        day = self.first_day + timedelta(days=floor(span * rng.random() ** 0.7))
        topic = rng.choice(TOPICS)
        if rng.random() < 0.1:
            title = rng.choice(SOCIAL_TITLES)
            if self.social:
                who = {"organizer": Organizer.SECTION, "section": rng.choice(self.social)}
        else:
            pattern = rng.choice(ONE_OFF_TITLES)
            title = pattern.format(t=topic, org=rng.choice(self.organizations))
        when = rng.choice(START_TIMES) if day.weekday() < 5 else clock(10, 0)
        return self._event(
            series=None,
            occurrence_date=None,
            title=title[:120],
            description=DESCRIPTION.format(t=topic),
            starts_at=datetime.combine(day, when, tzinfo=to_jst(self.now).tzinfo),
            minutes=rng.choice([60, 90, 120]),
            capacity=rng.choice(ONE_OFF_CAPACITIES),
            venue_url=f"https://meet.example.jp/{rng.getrandbits(48):012x}",
            **who,
        )

    def _event(self, *, starts_at: datetime, minutes: int, **fields: Any) -> Event:
        rng = self.rng
        created = min(self.now, starts_at - timedelta(days=rng.randint(7, 45)))
        event = Event(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            waitlist_enabled=rng.random() < 0.9,
            created_by_id=rng.choice(self.staff),
            created_at=created,
            **fields,
        )
        if rng.random() < CANCELLED_EVENTS:
            event.status = Event.Status.CANCELLED
            event.cancelled_at = created + (min(starts_at, self.now) - created) * rng.random()
            event.cancel_reason = "講師の都合により中止します。申し訳ありません。"
            event.sequence = 1
        return event

    def write_events(self, events: list[Event]) -> list[Event]:
        made = Event.objects.bulk_create(events, batch_size=2_000)
        EventHost.objects.bulk_create(
            EventHost(event=e, user_id=self._member())
            for e in made
            if e.organizer == Organizer.HOSTS and e.series_id is None
        )
        self.progress(f"  {len(made):,} events written")
        return made

    # --- registrations ------------------------------------------------------------------

    def write_registrations(self, events: list[Event], total: int) -> tuple[int, int]:
        """Registrations, and the attendances of the sessions held. Returns both counts."""
        counts = allocate(
            total, [self._popularity(e) for e in events], [self._cap(e) for e in events]
        )
        self.progress(f"planned {sum(counts):,} registrations")
        started, written, attended = time.monotonic(), 0, 0
        rows: list[Registration] = []
        attendances: list[Attendance] = []
        for event, count in zip(events, counts, strict=True):
            queue = self._queue(event, count)
            rows += queue
            attendances += self._attendances(event, queue)
            if len(rows) >= CHUNK or event is events[-1]:
                with transaction.atomic():
                    Registration.objects.bulk_create(rows)
                    Attendance.objects.bulk_create(attendances)
                written += len(rows)
                attended += len(attendances)
                rows, attendances = [], []
                self.progress(
                    f"  {written:,} registrations, {attended:,} attendances "
                    f"({time.monotonic() - started:.0f} s)"
                )
        return written, attended

    def _attendances(self, event: Event, queue: list[Registration]) -> list[Attendance]:
        """At a session held, most of the confirmed came."""
        if event.status != Event.Status.SCHEDULED or event.ends_at > self.now:
            return []
        rng, minutes = self.rng, event.duration_minutes
        rows = []
        for registration in queue:
            if registration.status != Status.CONFIRMED or rng.random() >= ATTENDED:
                continue
            source = rng.choice(SOURCES)
            rows.append(
                Attendance(
                    event_id=event.pk,
                    user_id=registration.user_id,
                    source=source,
                    checked_in_at=event.starts_at + timedelta(minutes=rng.randint(-5, 15)),
                    minutes=rng.randint(minutes // 4, minutes)
                    if source == Attendance.Source.REPORT
                    else None,
                    recorded_by_id=event.created_by_id
                    if source != Attendance.Source.SELF
                    else None,
                )
            )
        return rows

    def _popularity(self, event: Event) -> float:
        weight = (event.capacity or 120) * self.rng.lognormvariate(0, 0.7)
        if event.starts_at > self.now:  # registrations so far: the later, the fewer
            opened = event.created_at
            weight *= max(0.05, (self.now - opened) / (event.starts_at - opened))
        return weight

    def _cap(self, event: Event) -> int:
        """Most a session can have: a waitlist up to 1.5 times its seats, else its seats."""
        if event.capacity is None:
            return len(self.members)
        seats = event.capacity * (25 if event.waitlist_enabled else 10) // 10
        return min(len(self.members), seats)

    def _queue(self, event: Event, count: int) -> list[Registration]:
        """One session's registrations in order of arrival, after cancellations and
        promotions: the first `capacity` still active are confirmed, the rest wait."""
        rng, capacity = self.rng, event.capacity
        opened = event.created_at
        closes = min(event.starts_at, self.now)
        span = closes - opened
        arrivals = sorted(opened + span * rng.random() ** 1.5 for _ in range(count))
        rows, active = [], 0
        for position, (user_id, at) in enumerate(
            zip(self._registrants(count), arrivals, strict=True), start=1
        ):
            row = Registration(
                event_id=event.pk, user_id=user_id, position=position, registered_at=at
            )
            if rng.random() < CANCELLED_REGISTRATIONS:
                row.status, row.cancelled_at = Status.CANCELLED, at + (closes - at) * rng.random()
            elif capacity is None or active < capacity:
                row.status = Status.CONFIRMED
                # Arrived when the session was full: confirmed later, when someone cancelled.
                late = capacity is not None and position > capacity
                row.confirmed_at = at + (closes - at) * rng.random() if late else at
                active += 1
                self._reminded(row, event)
            else:
                row.status = Status.WAITLISTED
            rows.append(row)
        return rows

    def _reminded(self, row: Registration, event: Event) -> None:
        """The reminders whose moment has passed went out (the periodic job finds none)."""
        for field, before in (("reminded_day_at", 24), ("reminded_hour_at", 1)):
            moment = event.starts_at - timedelta(hours=before)
            if moment <= self.now and event.status == Event.Status.SCHEDULED:
                setattr(row, field, max(moment, row.confirmed_at or moment))

    def _registrants(self, count: int) -> list[int]:
        """`count` different members, the keen ones more likely."""
        if count > len(self.members) // 4:
            return self.rng.sample(self.members, count)
        chosen: dict[int, None] = {}
        top = self.cum_weights[-1]
        while len(chosen) < count:
            for _ in range(count - len(chosen)):
                chosen[self.members[bisect_left(self.cum_weights, self.rng.random() * top)]] = None
        return list(chosen)

    def _member(self) -> int:
        return self.members[bisect_left(self.cum_weights, self.rng.random() * self.cum_weights[-1])]


def allocate(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """Share `total` out in proportion to the weights, none above its cap; exact unless the
    caps together hold less."""
    counts = [0] * len(weights)
    remaining = total
    open_ = [i for i, cap in enumerate(caps) if cap > 0]
    while remaining > 0 and open_:
        whole = sum(weights[i] for i in open_)
        given = 0
        for i in open_:
            add = min(caps[i] - counts[i], floor(remaining * weights[i] / whole))
            counts[i] += add
            given += add
        if given == 0:  # what is left is smaller than any share: one each, heaviest first
            for i in sorted(open_, key=lambda i: -weights[i])[:remaining]:
                counts[i] += 1
                given += 1
        remaining -= given
        open_ = [i for i in open_ if counts[i] < caps[i]]
    return counts
