import pytest
from django.urls import reverse

from cityhall.directory.tests.helpers import duty, names, person
from cityhall.members.models import Duty


@pytest.fixture
def welfare(db):
    return duty("児童手当", "福祉")


def _url(d: Duty) -> str:
    return reverse("directory:duty", args=[d.pk])


def test_it_groups_active_duties_by_category_with_member_counts(as_user, member, welfare):
    person("a@a.lg.jp", "佐藤", "花子", "サトウ", "ハナコ", duties=(welfare,))
    person("b@a.lg.jp", "鈴木", "一郎", "スズキ", "イチロウ", duties=(welfare,))
    retired = duty("廃止された業務", "福祉")
    Duty.objects.filter(pk=retired.pk).update(is_active=False)
    response = as_user(member).get(reverse("directory:duties"))
    categories = dict(response.context["categories"])
    assert ("児童手当", 2) in [(d.name, n) for d, n in categories[welfare.category]]
    assert "廃止された業務" not in response.content.decode()
    assert _url(welfare) in response.content.decode()


def test_suspended_people_are_not_counted(as_user, member, welfare):
    person("s@a.lg.jp", "停止", "者", "テイシ", "シャ", duties=(welfare,), status="suspended")
    response = as_user(member).get(reverse("directory:duties"))
    assert ("児童手当", 0) in [(d.name, n) for _, pairs in response.context["categories"]
                               for d, n in pairs]  # fmt: skip


def test_the_duty_page_groups_holders_by_prefecture_in_jis_order(as_user, member, welfare):
    person("o@a.lg.jp", "沖縄", "太郎", "オキナワ", "タロウ", duties=(welfare,), code="472018")
    person("y@a.lg.jp", "横浜", "花子", "ヨコハマ", "ハナコ", duties=(welfare,), code="141003")
    person("h@a.lg.jp", "北海", "次郎", "ホッカイ", "ジロウ", duties=(welfare,), code="015113")
    person("k@a.lg.jp", "神奈", "三郎", "カナ", "サブロウ", duties=(welfare,), code="140007")
    person("n@a.lg.jp", "無関", "係", "ムカン", "ケイ")
    response = as_user(member).get(_url(welfare))
    assert names(response) == ["北海 次郎", "神奈 三郎", "横浜 花子", "沖縄 太郎"]
    body = response.content.decode()
    assert (
        body.index("<h2>北海道</h2>") < body.index("<h2>神奈川県</h2>") < body.index("<h2>沖縄県")
    )


def test_it_offers_the_viewers_own_prefecture_first(as_user, member, welfare):
    person("y@a.lg.jp", "横浜", "花子", "ヨコハマ", "ハナコ", duties=(welfare,), code="141003")
    person("h@a.lg.jp", "北海", "次郎", "ホッカイ", "ジロウ", duties=(welfare,), code="015113")
    client = as_user(member)  # 猿払村, 北海道
    response = client.get(_url(welfare))
    assert response.context["own_prefecture"].name == "北海道"
    assert response.context["own_count"] == 1
    assert 'href="?prefecture=01"' in response.content.decode()
    only_hokkaido = client.get(_url(welfare), {"prefecture": "01"})
    assert names(only_hokkaido) == ["北海 次郎"]
    assert reverse("directory:duty", args=[welfare.pk]) + '"' in only_hokkaido.content.decode()


def test_it_paginates_the_holders(as_user, member, welfare):
    for i in range(32):
        person(f"p{i}@a.lg.jp", "相田", f"{i:02d}", "アイダ", f"ア{i:02d}", duties=(welfare,))
    client = as_user(member)
    assert len(client.get(_url(welfare)).context["page_obj"].object_list) == 30
    assert names(client.get(_url(welfare), {"page": 2})) == ["相田 30", "相田 31"]


def test_it_says_when_nobody_lists_the_duty(as_user, member, welfare):
    body = as_user(member).get(_url(welfare)).content.decode()
    assert "この業務を担当している会員は、まだ見つかりません。" in body


def test_an_unknown_or_retired_duty_is_404(as_user, member, welfare):
    client = as_user(member)
    assert client.get(reverse("directory:duty", args=[999999])).status_code == 404
    Duty.objects.filter(pk=welfare.pk).update(is_active=False)
    assert client.get(_url(welfare)).status_code == 404


@pytest.mark.parametrize("n", [5, 25])
def test_the_duty_page_needs_the_same_queries_for_5_or_25_members(
    as_user, member, welfare, n, django_assert_max_num_queries
):
    for i in range(n):
        person(f"p{i}@a.lg.jp", "相田", f"{i}", "アイダ", f"{i}", duties=(welfare,),
               code="141003" if i % 2 else "015113")  # fmt: skip
    client = as_user(member)
    # session, user, duty, own profile, own prefecture's count, count, ids, members, duties,
    # and one for the site header
    with django_assert_max_num_queries(10):
        client.get(_url(welfare))


@pytest.mark.parametrize("n", [5, 25])
def test_the_duty_list_needs_the_same_queries_for_5_or_25_members(
    as_user, member, welfare, n, django_assert_max_num_queries
):
    for i in range(n):
        person(f"p{i}@a.lg.jp", "相田", f"{i}", "アイダ", f"{i}", duties=(welfare,))
    client = as_user(member)
    with django_assert_max_num_queries(5):  # session, user, counts, duties, the site header
        client.get(reverse("directory:duties"))


@pytest.mark.parametrize("who", ["applicant", "rejected", "suspended"])
def test_duty_pages_are_for_members_only(as_user, request, welfare, who):
    client = as_user(request.getfixturevalue(who))
    assert client.get(reverse("directory:duties")).status_code == 302
    assert client.get(_url(welfare)).status_code == 302
