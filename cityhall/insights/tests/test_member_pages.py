"""Members' pages: coverage of Japan, one prefecture's members, my colleagues."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from cityhall import testing
from cityhall.insights import views
from cityhall.insights.tests import community

pytestmark = pytest.mark.django_db

COVERAGE = reverse("insights:coverage")
MINE = reverse("insights:mine")


def prefecture(code: str) -> str:
    return reverse("insights:prefecture", args=[code])


@pytest.fixture
def known():
    return community.build()


def page(client, url: str) -> str:
    """The page's main content (the header links to one's own profile)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def profile_link(user) -> str:
    return f'href="{reverse("profiles:detail", args=[user.pk])}"'


# Coverage of Japan


def test_it_shows_the_coverage_map_and_tables(as_user, known):
    html = page(as_user(known.members["sapporo2"]), COVERAGE)
    values = re.findall(r'<span class="figures__value">([^<]+)</span>', html)
    assert values[:4] == ["7", "6", "5", "2"]  # figures of registered features follow
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 時点", html)
    assert html.count('<g class="japan-map__tile"') == 47
    assert f'href="{prefecture("01")}">北海道</a>' in html
    assert f'href="{prefecture("47")}">沖縄県</a>' in html
    hokkaido_row = html.split("北海道</a></td>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([^<]+)</td>", hokkaido_row) == ["3 / 180", "2%", "4"]
    for label in ("都道府県", "市", "町", "村", "特別区", "国の機関"):
        assert f"<td>{label}</td>" in html


def test_it_keeps_the_coverage_page_to_members(client, known):
    assert client.get(COVERAGE)["Location"].startswith(reverse("accounts:login"))
    testing.sign_in(client, known.applicant)
    assert client.get(COVERAGE)["Location"] == reverse("members:status")


# One prefecture


def test_it_lists_a_prefectures_members_by_organisation(as_user, known):
    m = known.members
    html = page(as_user(m["yokohama"]), prefecture("01"))
    assert "北海道の仲間" in html
    assert "会員 4 人・180 自治体のうち 3 自治体が参加しています。" in html
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    assert headings == ["北海道", "札幌市", "猿払村"]  # organisation code order
    names = re.findall(r'href="/members/\d+/">([^<]+)</a>', html)
    assert names == ["道庁 一子", "札幌 二郎", "札幌 三子", "猿払 四郎"]  # then kana order
    for key in ("dochou", "sapporo2", "sapporo3", "sarufutsu"):
        assert profile_link(m[key]) in html


def test_it_accepts_the_six_digit_prefecture_code(as_user, known):
    html = page(as_user(known.members["dochou"]), prefecture("010006"))
    assert re.findall(r"<h3>([^<]+)</h3>", html) == ["北海道", "札幌市", "猿払村"]


def test_it_lists_members_only_and_the_local_governments_to_invite(as_user, known):
    html = page(as_user(known.members["dochou"]), prefecture("14"))
    assert re.findall(r"<h3>([^<]+)</h3>", html) == ["横浜市", "葉山町"]
    for person in (known.applicant, known.rejected, known.suspended):
        assert person.full_name not in html
        assert profile_link(person) not in html
    assert "仲間を誘いましょう" in html
    uncovered = re.findall(r"<li>([^<]+)</li>", html.split('class="uncovered-list"')[1])
    assert len(uncovered) == 32
    assert uncovered[0] == "神奈川県"
    assert "川崎市" in uncovered and "鎌倉市" in uncovered
    assert "横浜市" not in uncovered and "葉山町" not in uncovered


def test_it_says_so_when_a_prefecture_has_no_members_yet(as_user, known):
    html = page(as_user(known.members["dochou"]), prefecture("47"))
    assert "この都道府県からの会員はまだいません。" in html
    assert "42 の自治体からの参加がまだありません。" in html


def test_it_pages_a_prefectures_members(as_user, known, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = as_user(known.members["yokohama"])
    second = page(client, prefecture("01") + "?page=2")
    assert re.findall(r"<h3>([^<]+)</h3>", second) == ["札幌市", "猿払村"]
    assert re.findall(r'href="/members/\d+/">([^<]+)</a>', second) == ["札幌 三子", "猿払 四郎"]
    assert "2 / 2 ページ" in second


@pytest.mark.parametrize(
    "code", ["00", "48", "1", "001", "011002", "010005", "0100061", "hokkaido", "０１"]
)
def test_it_does_not_find_what_is_not_a_prefecture(as_user, known, code):
    response = as_user(known.members["dochou"]).get(f"/insights/prefectures/{code}/")
    assert response.status_code == 404


@pytest.mark.parametrize("size", [5, 25])
def test_it_lists_a_prefecture_in_a_fixed_number_of_queries(
    as_user, known, size, django_assert_max_num_queries
):
    sapporo = testing.organization(community.SAPPORO)
    for n in range(size):
        testing.make_user(f"staff{n}@city.sapporo.jp", org=sapporo)
    client = as_user(known.members["dochou"])
    cache.clear()
    # session, user, prefecture, count, page, uncovered, the coverage figures (3, cold) and
    # the on-air banner (cold)
    with django_assert_max_num_queries(10):
        html = page(client, prefecture("01"))
    assert len(re.findall(r'href="/members/\d+/"', html)) == 4 + size


# Mine


def test_it_shows_my_colleagues_and_my_prefecture(as_user, known):
    m = known.members
    html = page(as_user(m["sapporo2"]), MINE)
    assert "北海道 札幌市の会員" in html
    assert "あなたのほかに 1 人が参加しています。" in html
    assert profile_link(m["sapporo3"]) in html
    assert profile_link(m["sapporo2"]) not in html
    assert profile_link(m["dochou"]) not in html  # the prefecture's members are one click away
    assert f'href="{prefecture("01")}"' in html
    assert "会員 4 人・180 自治体のうち 3 自治体が参加しています。" in html


def test_it_says_so_when_i_am_the_only_one(as_user, known):
    html = page(as_user(known.members["sarufutsu"]), MINE)
    assert "あなたの団体からの参加は、まだあなただけです。" in html
    assert "http://testserver/" in html  # the page to share with colleagues
    assert f'href="{prefecture("01")}"' in html


def test_it_treats_a_prefectures_own_staff_as_of_that_prefecture(as_user, known):
    html = page(as_user(known.members["dochou"]), MINE)
    assert "北海道の会員" in html
    assert f'href="{prefecture("01")}"' in html


def test_it_has_no_prefecture_for_national_bodies(as_user, known):
    html = page(as_user(known.members["digital"]), MINE)
    assert "デジタル庁の会員" in html
    assert "国の機関は都道府県に属さないため" in html
    assert "/insights/prefectures/" not in html


@pytest.mark.parametrize("size", [5, 25])
def test_it_lists_my_colleagues_in_a_fixed_number_of_queries(
    as_user, known, size, django_assert_max_num_queries
):
    sapporo = testing.organization(community.SAPPORO)
    for n in range(size):
        testing.make_user(f"colleague{n}@city.sapporo.jp", org=sapporo)
    client = as_user(known.members["sapporo2"])
    cache.clear()
    # session, user, own profile, count, page, the coverage figures (3, cold) and the on-air
    # banner (cold)
    with django_assert_max_num_queries(9):
        html = page(client, MINE)
    assert len(re.findall(r'href="/members/\d+/"', html)) == 1 + size
