"""Staff read audit entries in Japanese: every code the code base writes has a label, and an
unknown code shows as it is."""

import re
from pathlib import Path

from django.urls import reverse

from cityhall.audit.labels import LABELS, audit_label
from cityhall.audit.log import record
from cityhall.moderation.models import Decision

ROOT = Path(__file__).resolve().parents[2]
# The first argument of record(...), a dotted code written out in full.
RECORDED = re.compile(r"record\(\s*\"([a-z_]+\.[a-z_]+\.[a-z_]+)\"")
# Codes chosen between (code = "a.b.c" if … else "a.b.d"), then passed to record(code, …).
ASSIGNED = re.compile(r"code = \"([a-z_]+\.[a-z_]+\.[a-z_]+)\"(?: if .* else \"([a-z_.]+)\")?")


def emitted_codes() -> set[str]:
    codes = {f"moderation.case.{decision}" for decision in Decision.values}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes.update(RECORDED.findall(text))
        for pair in ASSIGNED.findall(text):
            codes.update(code for code in pair if code)
    return codes


def test_it_labels_every_code_the_code_base_emits():
    codes = emitted_codes()
    assert len(codes) > 50  # the scan found the calls
    assert sorted(codes - LABELS.keys()) == []


def test_it_falls_back_to_the_raw_code():
    assert audit_label("members.account.activated") == "アカウントの有効化"
    assert audit_label("someapp.thing.done") == "someapp.thing.done"


def test_it_shows_labels_on_the_staff_member_page(as_user, staff, member):
    record("members.account.activated", actor=member, target=member, subject_user=member)
    html = as_user(staff).get(reverse("staff_members:detail", args=[member.pk])).content.decode()
    assert "アカウントの有効化" in html
    assert "<code>members.account.activated</code>" not in html


def test_it_shows_the_label_beside_the_code_in_the_audit_log(as_user, admin_user, member):
    record("sections.member.left", actor=member, target=member, subject_user=member)
    html = as_user(admin_user).get(reverse("staff:audit_log")).content.decode()
    assert "課からの退出" in html
    assert "sections.member.left" in html  # still there to search by prefix
