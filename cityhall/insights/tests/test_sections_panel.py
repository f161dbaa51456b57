"""Section activity on the staff dashboard: the busiest and the dormant, with downloads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall import testing
from cityhall.insights.tests.test_staff_dashboard import DASHBOARD, read_csv, tables
from cityhall.sections.models import Section, SectionMembership
from cityhall.sections.tests.conftest import add, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(db):
    busy = make_section("防災課", "bousai")
    for i in range(3):
        add(busy, testing.make_user(f"b{i}@example.lg.jp"))
    quiet = make_section("写真部", "photo", kind=Section.Kind.SOCIAL)
    old = timezone.now() - timedelta(days=90)
    Section.objects.filter(pk=quiet.pk).update(created_at=old)
    joined = add(quiet, testing.make_user("q@example.lg.jp"))
    SectionMembership.objects.filter(pk=joined.pk).update(created_at=old)
    return busy, quiet


def test_it_lists_every_section_with_its_activity_dormant_first(as_user, staff, sections):
    shown = tables(as_user(staff).get(DASHBOARD))["課の活動"]
    assert shown[0] == ["課", "種類", "会員数", "直近30日の活動", "最後の活動", "状態"]
    photo, bousai = shown[1], shown[2]
    assert photo[0] == "写真部" and photo[2:4] == ["1", "0"] and photo[5] == "休眠"
    assert bousai[0] == "防災課" and bousai[2:4] == ["3", "3"] and bousai[5] == "活動中"


def test_it_charts_only_sections_with_recent_activity(as_user, staff, sections):
    html = as_user(staff).get(DASHBOARD).content.decode()
    chart = html[html.index('id="chart-sections"') :]
    chart = chart[: chart.index("</svg>")]
    assert "防災課" in chart and "写真部" not in chart


def test_it_downloads_the_section_table(as_user, staff, sections):
    rows = read_csv(as_user(staff).get("/staff/insights/export/sections.csv/"))
    assert [row[0] for row in rows] == ["課", "写真部", "防災課"]
    assert rows[2][3] == "3"
