"""The community's numbers, checked against a small community whose figures are known."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import translation

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.core import figures as core_figures
from cityhall.insights import figures
from cityhall.insights.figures import (
    DecisionTimes,
    Funnel,
    KindCoverage,
    MonthCount,
    PrefectureCoverage,
)
from cityhall.insights.tests import community
from cityhall.insights.tests.community import jst
from cityhall.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(monkeypatch):
    monkeypatch.setattr(figures, "now_jst", lambda: community.NOW)
    return community.build()


def national_bodies() -> int:
    return Organization.objects.filter(kind=Organization.Kind.NATIONAL).count()


def test_it_counts_the_headline_figures(known):
    headline = figures.headline()
    assert (
        headline.members,
        headline.organizations,
        headline.local_governments,
        headline.total_local_governments,
        headline.prefectures_covered,
    ) == (7, 6, 5, 1788, 2)


def test_it_counts_coverage_per_prefecture_in_jis_order(known):
    rows = figures.coverage_by_prefecture()
    assert len(rows) == 47
    assert [row.code[:2] for row in rows] == [f"{n:02d}" for n in range(1, 48)]
    by_code = {row.code: row for row in rows}
    assert by_code["010006"] == PrefectureCoverage("010006", "北海道", 180, 3, 4)
    assert by_code["140007"] == PrefectureCoverage("140007", "神奈川県", 34, 2, 2)
    assert by_code["130001"] == PrefectureCoverage("130001", "東京都", 63, 0, 0)
    assert by_code["010006"].ratio == pytest.approx(3 / 180)
    assert by_code["130001"].ratio == 0
    assert sum(row.local_governments for row in rows) == 1788


def test_it_counts_coverage_per_kind(known):
    assert figures.coverage_by_kind() == [
        KindCoverage("prefecture", "都道府県", 47, 1, 1),
        KindCoverage("city", "市", 792, 2, 3),
        KindCoverage("town", "町", 743, 1, 1),
        KindCoverage("village", "村", 183, 1, 1),
        KindCoverage("special_ward", "特別区", 23, 0, 0),
        KindCoverage("national", "国の機関", national_bodies(), 1, 1),
    ]


def test_it_counts_members_per_month_in_japan_time(known):
    # 札幌 二郎 joined at 00:30 on 1 October JST (30 September in UTC) and 国 七子 at 08:00 on
    # 1 September JST (31 August in UTC): both count in the Japanese month.
    assert figures.members_over_time(3) == [
        MonthCount(date(2026, 9, 1), joined=2, total=3),
        MonthCount(date(2026, 10, 1), joined=2, total=5),
        MonthCount(date(2026, 11, 1), joined=2, total=7),
    ]


def test_it_counts_everyone_before_the_window_in_the_first_month(known):
    rows = figures.members_over_time(24)
    assert len(rows) == 24
    assert rows[0] == MonthCount(date(2024, 12, 1), joined=0, total=0)
    assert rows[1] == MonthCount(date(2025, 1, 1), joined=1, total=1)
    assert rows[-1].total == figures.headline().members
    assert figures.members_over_time(1) == [MonthCount(date(2026, 11, 1), joined=2, total=7)]


def test_it_counts_a_member_without_an_approval_time_from_the_start(known):
    root = testing.make_user("root@example.jp")
    User.objects.filter(pk=root.pk).update(approved_at=None)
    rows = figures.members_over_time(3, fresh=True)
    assert rows[0].total == 4
    assert rows[-1].total == 8


def test_it_counts_the_application_funnel(known):
    assert figures.application_funnel() == Funnel(
        submitted=7, verified=6, approved=3, rejected=1, waiting=2
    )
    assert figures.application_funnel(since=jst(2026, 10, 1)) == Funnel(
        submitted=5, verified=4, approved=1, rejected=1, waiting=2
    )


def test_it_measures_decision_times_from_verification(known):
    # 10, 20, 30 and 40 hours: median 25; the 90th percentile interpolates 30 → 40 at 0.7.
    times = figures.decision_times()
    assert times.decided == 4
    assert times.median_hours == pytest.approx(25)
    assert times.p90_hours == pytest.approx(37)
    since = figures.decision_times(since=jst(2026, 10, 1))
    assert (since.decided, since.median_hours, since.p90_hours) == (
        2,
        pytest.approx(35),
        pytest.approx(39),
    )


def test_it_reports_no_decision_times_before_any_decision(db):
    assert figures.decision_times() == DecisionTimes(decided=0, median_hours=None, p90_hours=None)


def test_it_lists_local_governments_without_members(known):
    assert figures.uncovered().count() == 1788 - 5
    kanagawa = list(figures.uncovered("14").values_list("name", flat=True))
    assert len(kanagawa) == 34 - 2
    assert kanagawa[0] == "神奈川県"  # the prefecture itself comes first (code order)
    assert "横浜市" not in kanagawa and "葉山町" not in kanagawa
    assert "川崎市" in kanagawa  # an applicant does not cover it
    assert "鎌倉市" in kanagawa  # nor a suspended member
    assert list(figures.uncovered("140007")) == list(figures.uncovered("14"))
    assert figures.uncovered("01", kind="city").count() == 35 - 1
    assert figures.uncovered(kind="village").count() == 183 - 1
    assert not figures.uncovered(kind="national").exists()


def test_it_leaves_inactive_local_governments_out_of_coverage_but_counts_their_members(known):
    Organization.objects.filter(code=community.SARUFUTSU).update(is_active=False)
    headline = figures.headline(fresh=True)
    assert (headline.members, headline.local_governments, headline.total_local_governments) == (
        7,
        4,
        1787,
    )
    hokkaido = figures.coverage_by_prefecture()[0]
    assert (hokkaido.local_governments, hokkaido.covered, hokkaido.members) == (179, 2, 4)
    assert not figures.uncovered("01").filter(code=community.SARUFUTSU).exists()


def test_it_serves_figures_from_the_cache_until_asked_for_fresh_ones(known):
    before = figures.headline()
    testing.make_user("new@city.yokohama.lg.jp", org=testing.organization(community.YOKOHAMA))
    assert figures.headline() == before
    fresh = figures.headline(fresh=True)
    assert fresh.members == 8
    assert fresh.as_of >= before.as_of
    assert figures.coverage_by_prefecture()[13].members == 3  # the same new snapshot
    cache.clear()
    assert figures.application_funnel().submitted == 7


def test_it_runs_a_fixed_number_of_queries(known, django_assert_num_queries):
    with django_assert_num_queries(3):
        figures.headline()
        figures.coverage_by_prefecture()
        figures.coverage_by_kind()
    with django_assert_num_queries(3):
        figures.members_over_time()
        figures.application_funnel()
        figures.decision_times()
    with django_assert_num_queries(0):
        figures.headline()
        figures.members_over_time()


def test_it_adds_the_figures_of_later_features(known, monkeypatch):
    monkeypatch.setattr(core_figures, "_FEATURE_COUNTS", {})
    assert core_figures.feature_counts() == []
    core_figures.register_count("sections", "活動中の課", lambda: 52)
    core_figures.register_count("sessions", "開催した勉強会", lambda: 12)
    assert [(f.key, f.label, f.value) for f in core_figures.feature_counts()] == [
        ("sections", "活動中の課", 52),
        ("sessions", "開催した勉強会", 12),
    ]


def test_it_labels_kinds_in_the_readers_language_whoever_filled_the_cache(known):
    with translation.override("en"):
        assert figures.coverage_by_kind()[0].label == "Prefecture"
    assert figures.coverage_by_kind()[0].label == "都道府県"
