"""`manage.py load_demo`: the demo community behind `make run`."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.core.models import OutboundEmail
from cityhall.members.management import demo_data
from cityhall.members.models import MembershipApplication, Profile

LOGINS = [
    "staff@demo.cityhall.jp",
    "leader@demo.cityhall.jp",
    "member@demo.cityhall.jp",
    "applicant@demo.cityhall.jp",
]


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://demo.example:8000"


def test_it_builds_the_community_once_however_often_it_runs(db, debug):
    first = load_demo()
    counts = (User.objects.count(), Profile.objects.count(), MembershipApplication.objects.count())
    second = load_demo()
    assert (
        User.objects.count(),
        Profile.objects.count(),
        MembershipApplication.objects.count(),
    ) == counts
    assert counts[0] >= demo_data.MEMBER_COUNT + 4
    assert "0 件は既存" in first
    assert "今回 0 件を作成" in second


def test_it_prints_the_url_and_the_four_logins(db, debug):
    output = load_demo()
    assert "http://demo.example:8000/" in output
    assert "demo-pass-2026" in output
    for email in LOGINS:
        assert email in output
    assert "パスワードでログインできる" in output


def test_it_makes_one_account_per_role_with_the_demo_password(db, debug):
    load_demo()
    users = {u.email: u for u in User.objects.filter(email__in=LOGINS)}
    assert users["staff@demo.cityhall.jp"].is_staff_member
    assert users["leader@demo.cityhall.jp"].is_member
    assert users["member@demo.cityhall.jp"].is_member
    applicant = users["applicant@demo.cityhall.jp"]
    assert applicant.status == User.Status.APPLICANT
    assert applicant.applications.get().status == MembershipApplication.Status.PENDING
    for email in LOGINS:
        assert authenticate(None, username=email, password=demo_data.PASSWORD) == users[email]


def test_it_fills_the_review_queue_with_every_kind_of_case(db, debug):
    from cityhall.members.evidence import POSSIBLE_DUPLICATE, with_duplicate_flags

    load_demo()
    statuses = set(MembershipApplication.objects.values_list("status", flat=True))
    assert {"pending", "needs_info", "rejected"} <= statuses
    pending = MembershipApplication.objects.filter(status="pending")
    assert pending.filter(email__endswith=".lg.jp").count() >= 3
    assert pending.filter(email__endswith="@gmail.com").exists()
    assert with_duplicate_flags(pending).filter(POSSIBLE_DUPLICATE).exists()
    assert User.objects.get(email="kudo.takashi.biz@gmail.com").status == User.Status.REJECTED
    # Queue people other than the demo applicant cannot sign in by password.
    assert not User.objects.get(email="maeda.aoi.0707@gmail.com").has_usable_password()


def test_it_spreads_members_over_many_places_and_duties(db, debug):
    load_demo()
    members = Profile.objects.filter(user__status=User.Status.MEMBER)
    assert members.values("organization").distinct().count() >= 40
    assert members.values("organization__prefecture").distinct().count() >= 25
    assert members.filter(duties__isnull=False).distinct().count() >= 100
    person = members.exclude(bio="").select_related("user").first()
    assert person is not None
    assert person.user.family_name_kana and person.department


def test_it_writes_no_audit_entries_and_no_mail(db, debug):
    load_demo()
    assert not AuditEntry.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_it_refuses_to_run_on_a_real_site_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not User.objects.exists()
    assert "demo-pass-2026" in load_demo("--force")
