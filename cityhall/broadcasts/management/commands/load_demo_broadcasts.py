"""`manage.py load_demo_broadcasts`: the demo community's programmes and a fortnight of episodes.

Modelled on the community's daily broadcasts: a photo programme every Sunday morning,
interviews with community leaders, introductions of the sections, towns and food. Safe to run
on every start: programmes that exist (by slug) are left as they are; episodes are added only
to programmes that have none. Writes no audit entries and sends no mail.
"""

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode, Programme
from cityhall.core.jst import JST, now_jst

SEED = 20202
# slug, title, description, weekdays, start, minutes, episode titles
PROGRAMMES = [
    (
        "photo-sunday",
        "日曜写真部ラジオ",
        "写真部の会員が撮った一枚を、撮った人といっしょに眺める日曜朝の番組です。",
        "6",
        time(10, 0),
        30,
        ["紅葉の庁舎", "朝焼けの漁港", "雪の日の通勤路", "商店街の灯り", "防災訓練の一コマ"],
    ),
    (
        "leaders-talk",
        "課長に聞く",
        "各課の課長をゲストに、活動のきっかけと続けるコツをうかがいます。",
        "2",
        time(21, 0),
        45,
        ["みんなの財政課 課長", "ライティング課 課長", "子育てサロン 課長", "防災課 課長"],
    ),
    (
        "section-tour",
        "課めぐり",
        "50以上ある課を毎日ひとつずつ紹介します。気になる課があれば参加してみてください。",
        "01234",
        time(12, 15),
        15,
        ["パワポ課", "プログラミング課", "おまつり課", "コロナ対策本部", "広報課", "観光課"],
    ),
    (
        "town-food",
        "わがまちごはん",
        "会員が自分のまちの名物と、それを支える仕事を紹介します。",
        "5",
        time(20, 0),
        30,
        ["港町の朝ごはん", "山あいのそば", "城下町の和菓子", "島の給食"],
    ),
]


class Command(BaseCommand):
    help = "デモ用の番組と放送回を作成します。何度実行しても重複しません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="DEBUG がオフでも実行する")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo_broadcasts はデモ・開発用です（DEBUG=1 で実行してください）。"
            )
        with transaction.atomic():
            created = build()
        self.stdout.write(f"番組: {created} 件を作成（全 {len(PROGRAMMES)} 件）")


def build() -> int:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    members = list(User.objects.filter(status=User.Status.MEMBER).order_by("pk")[:200])
    today = now_jst().date()
    created = 0
    for slug, title, description, weekdays, start, minutes, titles in PROGRAMMES:
        programme, made = Programme.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "slot_weekdays": weekdays,
                "slot_start": start,
                "slot_minutes": minutes,
            },
        )
        created += made
        if made and members:
            programme.personalities.set(rng.sample(members, k=min(2, len(members))))
        if programme.episodes.exists():
            continue
        n = 0
        for offset in range(-7, 8):
            day = today + timedelta(days=offset)
            if str(day.weekday()) not in weekdays:
                continue
            starts = datetime.combine(day, start, tzinfo=JST)
            past = starts + timedelta(minutes=minutes) < now_jst()
            Episode.objects.create(
                programme=programme,
                title=titles[n % len(titles)],
                description=f"{description}\n今回のテーマは「{titles[n % len(titles)]}」です。",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                stream_url=f"https://example.com/live/{slug}",
                archive_url=f"https://example.com/archive/{slug}/{n}" if past else "",
            )
            n += 1
    return created
