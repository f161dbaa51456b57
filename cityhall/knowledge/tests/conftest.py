from datetime import date, timedelta
from typing import Any

import pytest

from cityhall.core.jst import now_jst
from cityhall.knowledge.actions import do_create_faq
from cityhall.knowledge.models import FaqEntry
from cityhall.members.models import Duty
from cityhall.sections.models import Section, SectionMembership


def days_ago(days: int) -> date:
    return now_jst().date() - timedelta(days=days)


def entry_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": "接種券を紛失した方への再発行はどうしていますか。",
        "answer": "本人確認のうえ、**窓口で即日再発行**しています。",
        "as_of": days_ago(30),
        "tags": ["接種券"],
        "duties": [],
        "notice_title": "",
        "notice_issuer": "",
        "notice_date": None,
        "notice_url": "",
        "source_note": "",
        "status": FaqEntry.Status.PUBLISHED,
    }
    data.update(overrides)
    return data


def make_entry(author: Any, **overrides: Any) -> FaqEntry:
    return do_create_faq(data=entry_data(**overrides), actor=author)


def form_data(**overrides: Any) -> dict[str, Any]:
    """What the writing form posts."""
    data: dict[str, Any] = {
        "question": "予約システムはどこに委託しましたか。",
        "answer": "コールセンターと一体で委託しました。",
        "as_of": days_ago(30).isoformat(),
        "tags": "予約システム、コールセンター",
        "status": "published",
    }
    data.update(overrides)
    return data


@pytest.fixture
def writer(leader):
    """The `leader` persona, leading a section: may write FAQ entries."""
    section = Section.objects.create(
        name="ワクチン接種課", slug="vaccine", kind=Section.Kind.WORK, purpose="情報交換"
    )
    SectionMembership.objects.create(
        section=section, user=leader, role=SectionMembership.Role.LEADER
    )
    return leader


@pytest.fixture
def vaccination(db):
    return Duty.objects.get_or_create(name="予防接種", defaults={"kana": "ヨボウセッシュ"})[0]
