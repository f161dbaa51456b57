"""`manage.py load_demo_sections`: the demo community's 50+ sections, with leaders and members.

Safe to run on every start: a section that already exists (by its slug) is left exactly as it
is. Members are drawn from the demo members with a fixed seed, so every run gives the same
community. Like the rest of the demo data, it writes no audit entries and sends no mail.
"""

import random
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.sections.management.demo_sections import SECTIONS
from cityhall.sections.models import Section, SectionMembership

SEED = 20201
Role = SectionMembership.Role


class Command(BaseCommand):
    help = "デモ用の課（50以上）とメンバーを作成します。何度実行しても重複しません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="DEBUG がオフでも実行する")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo_sections はデモ・開発用です（DEBUG=1 で実行してください）。"
            )
        with transaction.atomic():
            created = build()
        self.stdout.write(f"課: {created} 件を作成（全 {len(SECTIONS)} 件）")


DEMO_LEADER = "leader@demo.cityhall.jp"
LED_BY_DEMO_LEADER = {"writing", "photo-labo"}


def build() -> int:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    now = timezone.now()
    people = list(
        User.objects.filter(status=User.Status.MEMBER, role=User.Role.MEMBER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The demo section leader (課長) runs these two, so that login shows a leader's view.
    leader = User.objects.filter(email=DEMO_LEADER).values_list("pk", flat=True).first()
    existing = set(Section.objects.values_list("slug", flat=True))
    created = 0
    for index, (slug, name, kind, purpose, rule, closed) in enumerate(SECTIONS):
        # Draw for every section, new or not, so one section's members never depend on others.
        size = min(len(people), rng.randint(3, 40))
        chosen = rng.sample(people, size)
        dormant = index % 9 == 8  # a few sections that went quiet, for the health table
        age = rng.randint(120 if dormant else 30, 900)
        if slug in existing:
            continue
        if leader and slug in LED_BY_DEMO_LEADER:
            chosen = [leader, *(pk for pk in chosen if pk != leader)]
        section = Section.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            purpose=purpose,
            joining_rule=rule,
            is_closed=closed,
            created_at=now - timedelta(days=age),
        )
        rows = []
        for position, user_id in enumerate(chosen):
            role = Role.LEADER if position == 0 else Role.DEPUTY if position < 3 else Role.MEMBER
            days = rng.randint(61, age) if dormant else rng.randint(1, min(age, 70))
            joined = now - timedelta(days=days)
            rows.append(
                SectionMembership(section=section, user_id=user_id, role=role, created_at=joined)
            )
        SectionMembership.objects.bulk_create(rows)
        created += 1
    return created
