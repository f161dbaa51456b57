from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.accounts.models import User
from cityhall.core.text import is_kana
from cityhall.members.models import MembershipApplication, Profile

pytestmark = pytest.mark.django_db


def generate(**options: object) -> str:
    out = StringIO()
    call_command("generate_members", force=True, stdout=out, **options)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        User.objects.order_by("email").values_list(
            "email", "family_name", "given_name", "family_name_kana", "status", "role",
            "profile__organization__code", "profile__department", "profile__bio",
        )
    )  # fmt: skip


def test_it_creates_members_with_profiles_and_applications():
    said = generate(members=50, applications=10, seed=1)

    members = User.objects.filter(status=User.Status.MEMBER)
    assert members.count() == 50
    assert members.filter(role=User.Role.STAFF).exists()
    assert Profile.objects.count() == 60  # applicants have a profile too
    assert all(1 <= p.duties.count() <= 3 for p in Profile.objects.all())
    assert all(is_kana(u.family_name_kana + u.given_name_kana) for u in User.objects.all())
    queue = MembershipApplication.objects.exclude(status=MembershipApplication.Status.APPROVED)
    assert queue.count() == 10
    assert set(queue.values_list("status", flat=True)) <= {"pending", "needs_info", "rejected"}
    assert MembershipApplication.objects.filter(status="approved").count() == 50
    assert "50 members" in said


def test_it_defaults_to_a_queue_of_about_two_percent():
    generate(members=200, seed=3)

    assert MembershipApplication.objects.exclude(status="approved").count() == 4


def test_it_is_deterministic_with_a_seed():
    generate(members=50, applications=5, seed=1)
    first = snapshot()
    User.objects.all().delete()
    generate(members=50, applications=5, seed=1)
    assert snapshot() == first

    User.objects.all().delete()
    generate(members=50, applications=5, seed=2)
    assert snapshot() != first


def test_it_refuses_to_generate_the_same_people_twice():
    generate(members=20, applications=2, seed=1)

    with pytest.raises(CommandError):
        generate(members=20, applications=2, seed=1)
    assert User.objects.count() == 22


def test_it_refuses_without_debug_or_force():
    with pytest.raises(CommandError):
        call_command("generate_members", members=5, stdout=StringIO())
    assert not User.objects.exists()
