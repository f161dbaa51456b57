"""Demo data for the vaccine information exchange's figures (「計11回、延べ3000名以上・約500
自治体」): invented members from about 500 local governments of the reference data, and the
registrations and attendance of the eleven sessions held. Created in bulk: no mail, no audit,
no usable password (these accounts cannot sign in).
"""

import random
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.events.models import Attendance, Event, EventSeries, Registration
from cityhall.members.models import Profile
from cityhall.organizations.models import Organization

ATTENDEES = 600
MUNICIPALITIES = 460  # the demo members add their own towns: about 500 in all
EMAIL = "demo-attendee-{:04d}@example.lg.jp"
FAMILY = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山口", "ヤマグチ"),
    ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("清水", "シミズ"),
]  # fmt: skip
GIVEN = [
    ("翔太", "ショウタ"), ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("由美", "ユミ"),
    ("大輔", "ダイスケ"), ("恵", "メグミ"), ("拓也", "タクヤ"), ("彩", "アヤ"),
    ("直樹", "ナオキ"), ("智子", "トモコ"), ("亮", "リョウ"), ("真由美", "マユミ"),
]  # fmt: skip
DEPARTMENTS = ["健康推進課", "保健センター", "新型コロナワクチン接種対策室", "健康福祉課"]
# Attendance per session (first to eleventh): a rise, a peak, then a settled audience.
TURNOUT = [180, 240, 290, 330, 320, 310, 300, 280, 270, 260, 250]


def demo_attendees(rng: random.Random) -> list[int]:
    """The invented members' ids, created once (found again by their email on later runs)."""
    existing = list(
        User.objects.filter(email__startswith="demo-attendee-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if existing:
        return existing
    places = list(
        Organization.objects.local_governments().filter(is_active=True).values_list("pk", flat=True)
    )
    if not places:
        return []
    chosen = rng.sample(places, min(MUNICIPALITIES, len(places)))
    now = timezone.now()
    password = make_password(None)  # unusable: demo attendees never sign in
    users = []
    for i in range(ATTENDEES):
        family, family_kana = rng.choice(FAMILY)
        given, given_kana = rng.choice(GIVEN)
        users.append(
            User(
                email=EMAIL.format(i + 1),
                password=password,
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                status=User.Status.MEMBER,
                email_verified=True,
                approved_at=now,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    ids = list(
        User.objects.filter(email__startswith="demo-attendee-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Every chosen government has someone; the rest share (a town may send two people).
    Profile.objects.bulk_create(
        [
            Profile(
                user_id=pk,
                organization_id=chosen[i] if i < len(chosen) else rng.choice(chosen),
                department=rng.choice(DEPARTMENTS),
            )
            for i, pk in enumerate(ids)
        ],
        batch_size=500,
    )
    return ids


def fill_vaccine_attendance(series: EventSeries, people: list[int], now: datetime) -> int:
    """Registrations and attendance for the series' held sessions that have none yet."""
    rng = random.Random(series.pk)  # noqa: S311 - repeatable demo data
    pool = demo_attendees(rng) + people
    if not pool:
        return 0
    sessions = list(
        Event.objects.filter(series=series, ends_at__lte=now, attendances__isnull=True)
        .distinct()
        .order_by("starts_at")
    )
    # Regulars come back week after week, so distinct participants stay well below the total.
    regulars = rng.sample(pool, min(len(pool), 200))
    added = 0
    for number, event in enumerate(sessions):
        turnout = min(TURNOUT[number % len(TURNOUT)], len(pool))
        comers = set(rng.sample(regulars, min(len(regulars), turnout // 2)))
        while len(comers) < turnout:
            comers.add(rng.choice(pool))
        registered = set(Registration.objects.filter(event=event).values_list("user_id", flat=True))
        # About one in six who register do not come.
        no_shows = [pk for pk in rng.sample(pool, turnout // 5) if pk not in comers]
        _register(event, (comers | set(no_shows)) - registered)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    event=event,
                    user_id=pk,
                    source=Attendance.Source.REPORT,
                    checked_in_at=event.starts_at,
                    minutes=rng.randint(30, 90),
                )
                for pk in sorted(comers)
            ],
            batch_size=500,
        )
        added += len(comers)
    return added


def _register(event: Event, users: Any) -> None:
    top = Registration.objects.filter(event=event).count()
    when = event.starts_at - timedelta(days=2)
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user_id=pk,
                status=Registration.Status.CONFIRMED,
                position=top + i,
                registered_at=when,
                confirmed_at=when,
                reminded_day_at=when,
                reminded_hour_at=when,
            )
            for i, pk in enumerate(sorted(users), start=1)
        ],
        batch_size=500,
    )
