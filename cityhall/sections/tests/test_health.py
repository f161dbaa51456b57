from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.sections.health import section_health
from cityhall.sections.models import Section, SectionMembership
from cityhall.sections.tests.conftest import add, make_section

pytestmark = pytest.mark.django_db


def test_it_counts_members_and_flags_sections_quiet_for_60_days(section, member):
    quiet = make_section("写真部", "photo", kind="social")
    old = timezone.now() - timedelta(days=90)
    Section.objects.filter(pk=quiet.pk).update(created_at=old)
    SectionMembership.objects.filter(pk=add(quiet, member).pk).update(created_at=old)
    rows = {row.section.slug: row for row in section_health()}
    assert rows["photo"].dormant and rows["photo"].members == 1
    assert not rows["bousai"].dormant and rows["bousai"].recent_activity == 1
    assert section_health()[0].section.slug == "photo"  # dormant first


def test_it_shows_the_health_table_to_staff_in_a_constant_number_of_queries(
    as_user, staff, django_assert_max_num_queries
):
    client = as_user(staff)
    for i in range(20):
        add(make_section(f"課{i}", f"s{i}"), testing.make_user(f"m{i}@example.lg.jp"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff_sections:health"))
    assert "課19" in response.content.decode()
