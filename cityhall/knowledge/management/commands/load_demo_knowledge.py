"""`manage.py load_demo_knowledge`: the published FAQ of the vaccination information exchange.

Safe to run on every start: an entry whose question already exists is left as it is. Like the
rest of the demo data, it writes no audit entries and sends no mail. Needs the demo people
(load_demo): the staff account writes the entries, the demo section leader revises some.
"""

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.knowledge.actions import apply_data, save_revision
from cityhall.knowledge.management.demo_faq import ENTRIES, SESSIONS
from cityhall.knowledge.models import FaqEntry
from cityhall.members.models import Duty

DEMO_LEADER = "leader@demo.cityhall.jp"


class Command(BaseCommand):
    help = "デモ用のFAQ（ワクチン接種の情報交換会）を作成します。何度実行しても重複しません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="DEBUG がオフでも実行する")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo_knowledge はデモ・開発用です（DEBUG=1 で実行してください）。"
            )
        staff = User.objects.filter(role__in=[User.Role.STAFF, User.Role.ADMIN]).order_by("pk")
        author = staff.filter(status=User.Status.MEMBER).first()
        if author is None:
            raise CommandError("運営アカウントがありません。先に load_demo を実行してください。")
        reviser = User.objects.filter(email=DEMO_LEADER).first() or author
        with transaction.atomic():
            created = build(author, reviser)
        self.stdout.write(f"FAQ: {created} 件を作成（全 {len(ENTRIES)} 件）")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(21, 0), tzinfo=JST)  # written after the session


def build(author: User, reviser: User) -> int:
    duties = {d.name: d for d in Duty.objects.all()}
    existing = set(FaqEntry.objects.values_list("question", flat=True))
    created = 0
    for item in ENTRIES:
        if item["question"] in existing:
            continue
        data = _data(item, duties)
        entry = FaqEntry(author=author, updated_by=author)
        tags, chosen = apply_data(entry, data)
        entry.created_at = entry.updated_at = _at(item["as_of"])
        entry.published_at = entry.created_at if entry.is_published else None
        entry.save()
        entry.tags.set(tags)
        entry.duties.set(chosen)
        save_revision(entry, tags, chosen, author)
        if "later" in item:
            _revise(entry, {**data, **item["later"]}, reviser)
        created += 1
    return created


def _revise(entry: FaqEntry, data: dict[str, Any], reviser: User) -> None:
    """A second version, as when a newer notice changed the answer."""
    tags, chosen = apply_data(entry, data)
    entry.version += 1
    entry.updated_at = _at(data["as_of"])
    entry.updated_by = reviser
    entry.save()
    entry.tags.set(tags)
    entry.duties.set(chosen)
    if reviser.pk != entry.author_id:
        entry.editors.add(reviser)
    save_revision(entry, tags, chosen, reviser)


def _data(item: dict[str, Any], duties: dict[str, Duty]) -> dict[str, Any]:
    session = item.get("session")
    return {
        "question": item["question"],
        "answer": item["answer"],
        "as_of": item["as_of"],
        "tags": item["tags"],
        "duties": [duties[name] for name in item["duties"] if name in duties],
        "notice_title": item.get("notice_title", ""),
        "notice_issuer": item.get("notice_issuer", ""),
        "notice_date": item.get("notice_date"),
        "notice_url": item.get("notice_url", ""),
        "source_note": SESSIONS[session] if session else "",
        "status": FaqEntry.Status.DRAFT if item.get("draft") else FaqEntry.Status.PUBLISHED,
    }
