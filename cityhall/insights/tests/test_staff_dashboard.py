"""The staff dashboard of the community's numbers, and its downloads, on a community whose
figures are known by construction."""

import csv
import io
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.core.jst import JST, now_jst
from cityhall.members.models import MembershipApplication
from cityhall.organizations.models import Organization

DASHBOARD = "/staff/insights/"


def months_ago(n: int, day: int = 15) -> datetime:
    """Noon JST on a day of the month n months before this one."""
    today = now_jst()
    index = today.year * 12 + today.month - 1 - n
    return datetime(index // 12, index % 12 + 1, day, 12, tzinfo=JST)


def month_start(n: int) -> date:
    return months_ago(n).date().replace(day=1)


def apply(user, status, *, days_ago, verified_after=1, decided_after=None):
    """An application submitted `days_ago`, verified an hour (by default) later, and decided
    `decided_after` hours after the verification."""
    application = testing.make_application(user, status=status)
    submitted = now_jst() - timedelta(days=days_ago)
    verified = submitted + timedelta(hours=verified_after) if verified_after is not None else None
    decided = None
    if decided_after is not None:
        assert verified is not None, "a decision comes after the verification"
        decided = verified + timedelta(hours=decided_after)
    MembershipApplication.objects.filter(pk=application.pk).update(
        submitted_at=submitted, verified_at=verified, decided_at=decided
    )
    return application


@pytest.fixture
def community(staff):
    """Members: staff (猿払村, joined now), one more in 猿払村 this month, one in 横浜市 two
    months ago, one in 猿払村 thirty months ago (before the 24-month window). Not members: a
    suspended person (猿払村), an applicant and a rejected applicant (横浜市).

    Applications, with hours from verification to decision:
      approved 10 days ago (10 h), rejected 10 days ago (30 h), pending 3 days ago,
      unverified 2 days ago, approved 200 days ago (50 h).
    """
    yokohama = testing.organization("141003")
    this_month = testing.make_user("m1@vill.sarufutsu.lg.jp")
    earlier = testing.make_user("m2@city.yokohama.lg.jp", org=yokohama)
    long_ago = testing.make_user("m3@vill.sarufutsu.lg.jp")
    User.objects.filter(pk=earlier.pk).update(approved_at=months_ago(2))
    User.objects.filter(pk=long_ago.pk).update(approved_at=months_ago(30))
    testing.make_user("s@vill.sarufutsu.lg.jp", status=User.Status.SUSPENDED)
    applicant = testing.make_user("a@example.jp", status=User.Status.APPLICANT, org=yokohama)
    waiting = testing.make_user("w@example.jp", status=User.Status.APPLICANT, org=yokohama)
    refused = testing.make_user("r@example.jp", status=User.Status.REJECTED, org=yokohama)

    apply(this_month, "approved", days_ago=10, decided_after=10)
    apply(refused, "rejected", days_ago=10, decided_after=30)
    apply(applicant, "pending", days_ago=3)
    apply(waiting, "unverified", days_ago=2, verified_after=None)
    apply(long_ago, "approved", days_ago=200, decided_after=50)
    return {"members": 4}


class Tables(HTMLParser):
    """Every <table> of a page by its caption: rows of cell texts, header row included."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] = []
        self._text: str | None = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in {"th", "td"}:
            self._text = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in {"th", "td"} and self._text is not None:
            self._rows[-1].append(self._text.strip())
            self._text = None
        elif tag == "table":
            self.tables[self._caption or ""] = self._rows

    def handle_data(self, data):
        if self._in_caption:
            self._caption = (self._caption or "") + data.strip()
        elif self._text is not None:
            self._text += data


def tables(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200
    return Tables(response.content.decode()).tables


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def read_xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def local_governments(**filters) -> int:
    return Organization.objects.active().local_governments().filter(**filters).count()


# --- the numbers --------------------------------------------------------------------------


def expected_months() -> list[tuple[date, int, int]]:
    joined = {month_start(0): 2, month_start(2): 1}  # staff and m1; m2
    rows, total = [], 1  # m3 joined before the window
    for n in range(23, -1, -1):
        month = month_start(n)
        total += joined.get(month, 0)
        rows.append((month, joined.get(month, 0), total))
    return rows


def test_it_shows_members_over_time_as_on_the_page_so_in_the_downloads(as_user, staff, community):
    client = as_user(staff)
    expected = expected_months()
    shown = tables(client.get(DASHBOARD))["会員数の推移"]
    assert shown[0] == ["月", "入会した会員", "月末の会員数"]
    assert shown[1:] == [[f"{m.year}年{m.month}月", str(j), str(t)] for m, j, t in expected]
    assert shown[-1][2] == "4"

    rows = read_csv(client.get("/staff/insights/export/members_over_time.csv/"))
    assert rows[1:] == [[f"{m:%Y-%m}", str(j), str(t)] for m, j, t in expected]
    sheet = read_xlsx(client.get("/staff/insights/export/members_over_time.xlsx/"))
    assert sheet[0] == ["月", "入会した会員", "月末の会員数"]
    assert sheet[1:] == [[f"{m:%Y-%m}", j, t] for m, j, t in expected]


FUNNEL_30D = [
    ["申請", "4", "100.0"],
    ["メールアドレス確認済み", "3", "75.0"],
    ["承認", "1", "25.0"],
    ["不承認", "1", "25.0"],
    ["審査中・回答待ち", "1", "25.0"],
    ["期間内に判断した申請（件）", "2", "—"],
    ["判断までの時間・中央値（時間）", "20.0", "—"],
    ["判断までの時間・90パーセンタイル（時間）", "28.0", "—"],
]
FUNNEL_ALL = [
    ["申請", "5", "100.0"],
    ["メールアドレス確認済み", "4", "80.0"],
    ["承認", "2", "40.0"],
    ["不承認", "1", "20.0"],
    ["審査中・回答待ち", "1", "20.0"],
    ["期間内に判断した申請（件）", "3", "—"],
    ["判断までの時間・中央値（時間）", "30.0", "—"],
    ["判断までの時間・90パーセンタイル（時間）", "46.0", "—"],
]


@pytest.mark.parametrize(
    ("period", "label", "expected"),
    [("30d", "直近30日", FUNNEL_30D), ("all", "全期間", FUNNEL_ALL)],
)
def test_it_shows_the_funnel_and_decision_times_for_the_chosen_period(
    as_user, staff, community, period, label, expected
):
    client = as_user(staff)
    response = client.get(DASHBOARD, {"period": period})
    shown = tables(response)[f"参加申請の状況（{label}）"]
    assert shown[1:] == expected
    html = response.content.decode()
    assert f'aria-current="true">{label}</a>' in html
    assert f"/staff/insights/export/funnel.csv/?period={period}" in html

    rows = read_csv(client.get("/staff/insights/export/funnel.csv/", {"period": period}))
    assert [r[:2] for r in rows[1:]] == [r[:2] for r in expected]
    sheet = read_xlsx(client.get("/staff/insights/export/funnel.xlsx/", {"period": period}))
    assert [r[:2] for r in sheet[1:]] == [[name, float(n)] for name, n, _ in expected]


def test_it_counts_the_last_90_days_unless_told_otherwise(as_user, staff, community):
    shown = tables(as_user(staff).get(DASHBOARD, {"period": "nonsense"}))
    assert shown["参加申請の状況（直近90日）"][1:] == FUNNEL_30D


def test_it_shows_coverage_by_prefecture_and_kind(as_user, staff, community):
    client = as_user(staff)
    shown = tables(client.get(DASHBOARD))
    hokkaido, kanagawa = (
        local_governments(code__startswith="01"),
        local_governments(code__startswith="14"),
    )
    by_prefecture = {row[0]: row for row in shown["都道府県別の参加自治体"][1:]}
    assert len(by_prefecture) == 48  # 47 and the total
    assert by_prefecture["北海道"] == ["北海道", str(hokkaido), "1", f"{100 / hokkaido:.1f}", "3"]
    assert by_prefecture["神奈川県"][1:] == [str(kanagawa), "1", f"{100 / kanagawa:.1f}", "1"]
    assert by_prefecture["東京都"][2:] == ["0", "0.0", "0"]
    total = local_governments()
    assert by_prefecture["合計"] == ["合計", f"{total:,}", "2", f"{200 / total:.1f}", "4"]

    by_kind = {row[0]: row for row in shown["種別ごとの参加団体"][1:]}
    villages, cities = local_governments(kind="village"), local_governments(kind="city")
    assert by_kind["村"] == ["村", str(villages), "1", f"{100 / villages:.1f}", "3"]
    assert by_kind["市"] == ["市", str(cities), "1", f"{100 / cities:.1f}", "1"]
    assert by_kind["町"][2:] == ["0", "0.0", "0"]

    rows = read_csv(client.get("/staff/insights/export/coverage_prefecture.csv/"))
    assert rows[0] == ["都道府県", "自治体数", "会員のいる自治体", "割合（%）", "会員数"]
    assert rows[1][:3] == ["北海道", str(hokkaido), "1"]
    assert rows[-1][:3] == ["合計", str(total), "2"]
    sheet = read_xlsx(client.get("/staff/insights/export/coverage_kind.xlsx/"))
    village_row = next(r for r in sheet if r[0] == "村")
    assert village_row == ["村", villages, 1, round(100 / villages, 1), 3]


def test_it_shows_the_headline_and_when_it_was_counted(as_user, staff, community):
    html = as_user(staff).get(DASHBOARD).content.decode()
    assert "時点の集計" in html
    assert '<span class="figures__value">4</span>' in html  # members
    assert '<span class="figures__value">2</span>' in html  # local governments


def test_it_draws_each_chart_with_its_table_and_the_map(as_user, staff, community):
    html = as_user(staff).get(DASHBOARD).content.decode()
    for chart in ["chart-members-total", "chart-members-joined", "chart-funnel", "chart-kind"]:
        assert f'id="{chart}"' in html
    assert html.count('role="img"') >= 5  # four charts and the map


def test_it_shows_an_empty_state_when_nothing_was_submitted(as_user, staff):
    html = as_user(staff).get(DASHBOARD, {"period": "30d"}).content.decode()
    assert 'id="chart-funnel"' not in html
    assert "まだデータがありません。" in html


def test_it_names_downloads_in_japanese_with_an_ascii_fallback(as_user, staff, community):
    response = as_user(staff).get("/staff/insights/export/funnel.xlsx/", {"period": "30d"})
    today = now_jst().date().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="funnel_30d_{today}.xlsx"; ')
    assert "filename*=UTF-8''%E5%8F%82%E5%8A%A0" in disposition  # 参加申請の状況…


def test_it_links_the_staff_dashboard_to_the_numbers(as_user, staff):
    html = as_user(staff).get("/staff/").content.decode()
    assert 'href="/staff/insights/"' in html


# --- who may see them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [DASHBOARD, "/staff/insights/export/funnel.csv/", "/staff/insights/export/coverage_kind.xlsx/"],
)
def test_it_refuses_members(as_user, member, url):
    assert as_user(member).get(url).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/staff/insights/export/funnel.csv/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/staff/insights/export/members.csv/",
        "/staff/insights/export/funnel.pdf/",
        "/staff/insights/export/funnel.CSV/",
        "/staff/insights/export/funnel/",
    ],
)
def test_it_answers_404_for_unknown_tables_and_formats(as_user, staff, url):
    assert as_user(staff).get(url).status_code == 404


def test_it_lets_admins_see_them(as_user, admin_user):
    assert as_user(admin_user).get(DASHBOARD).status_code == 200


# --- cost -----------------------------------------------------------------------------------


def dashboard_queries(client) -> int:
    cache.clear()  # cold: every figure computed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def add_members(count: int, start: int) -> None:
    yokohama = testing.organization("141003")
    for i in range(start, start + count):
        user = testing.make_user(f"bulk{i}@example.jp", org=yokohama if i % 2 else None)
        testing.make_application(user, status="approved")


def test_it_runs_as_many_queries_for_25_members_as_for_5(as_user, staff):
    client = as_user(staff)
    add_members(4, 0)
    small = dashboard_queries(client)
    add_members(20, 4)
    assert User.objects.filter(status=User.Status.MEMBER).count() == 25
    assert dashboard_queries(client) == small


def test_it_reads_cached_figures_on_the_next_request(as_user, staff, community):
    client = as_user(staff)
    cold = dashboard_queries(client)
    with CaptureQueriesContext(connection) as queries:
        client.get(DASHBOARD)
    assert len(queries) < cold
