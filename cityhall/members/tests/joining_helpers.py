"""Helpers shared by the joining-path tests: the survey as a browser posts it, applications in
each state made through the real actions, and a mail server that is down."""

import uuid
from smtplib import SMTPException
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

from cityhall import testing
from cityhall.members.actions import do_submit_application, do_verify_email
from cityhall.members.models import Duty, MembershipApplication
from cityhall.organizations.models import Organization

BROKEN_MAIL = "cityhall.members.tests.joining_helpers.BrokenMailServer"


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise SMTPException("421 mail server unavailable")


def survey(org: Organization | None = None, **overrides: Any) -> dict[str, Any]:
    """The application form's POST data; pass a field as None to leave it out."""
    org = org or testing.organization()
    data: dict[str, Any] = {
        "submission_key": str(uuid.uuid4()),
        "family_name": "市役",
        "given_name": "花子",
        "family_name_kana": "しやく",
        "given_name_kana": "ハナコ",
        "organization": str(org.pk),
        "organization_text": org.name,
        "department": "企画政策課",
        "title": "主事",
        "email": "hanako@vill.sarufutsu.lg.jp",
        "referral": "colleague",
        "referral_detail": "",
        "interests": "防災の課に興味があります",
        "introduction": "よろしくお願いします。",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def answers(org: Organization | None = None, **overrides: Any) -> dict[str, Any]:
    """The cleaned data do_submit_application expects."""
    data: dict[str, Any] = {
        "submission_key": uuid.uuid4(),
        "family_name": "市役",
        "given_name": "花子",
        "family_name_kana": "シヤク",
        "given_name_kana": "ハナコ",
        "organization": org or testing.organization(),
        "department": "企画政策課",
        "title": "主事",
        "duties": [],
        "email": "hanako@vill.sarufutsu.lg.jp",
        "referral": "colleague",
        "referral_detail": "",
        "interests": "",
        "introduction": "よろしくお願いします。",
    }
    data.update(overrides)
    return data


def unverified_application(**overrides: Any) -> MembershipApplication:
    application = do_submit_application(answers(**overrides))
    assert application is not None
    return application


def pending_application(**overrides: Any) -> MembershipApplication:
    application = unverified_application(**overrides)
    do_verify_email(application)
    application.refresh_from_db()
    return application


def some_duties() -> list[Duty]:
    """Two active duties from different categories (the seeded list, or made here)."""
    duties = list(Duty.objects.active().exclude(category="")[:1])
    if duties:
        other = Duty.objects.active().exclude(category=duties[0].category).first()
        if other:
            return [duties[0], other]
    return [
        Duty.objects.create(name="児童手当", kana="ジドウテアテ", category="子ども・子育て"),
        Duty.objects.create(name="防災", kana="ボウサイ", category="防災・危機管理"),
    ]
