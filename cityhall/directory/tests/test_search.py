import pytest
from django.urls import reverse

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.directory.tests.helpers import duty, names, person

URL = reverse("directory:search")


@pytest.fixture
def people(db):
    welfare = duty("児童手当", "福祉")
    disaster = duty("防災", "危機管理")
    return {
        "sato": person("sato@a.lg.jp", "佐藤", "花子", "サトウ", "ハナコ", duties=(welfare,)),
        "suzuki": person(
            "suzuki@a.lg.jp",
            "鈴木",
            "一郎",
            "スズキ",
            "イチロウ",
            duties=(disaster,),
            code="141003",
        ),
        "ito": person("ito@a.lg.jp", "伊藤", "佐和", "イトウ", "サワ", duties=(welfare, disaster)),
        "welfare": welfare,
        "disaster": disaster,
    }


def test_it_lists_members_sorted_by_family_then_given_kana(as_user, member, people):
    person("sato2@a.lg.jp", "佐藤", "愛", "サトウ", "アイ")
    response = as_user(member).get(URL)
    assert response.status_code == 200
    # member (the viewer) is ヤマダ ハナコ, from the test helper.
    assert names(response) == ["伊藤 佐和", "佐藤 愛", "佐藤 花子", "鈴木 一郎", "新家 一郎"]


@pytest.mark.parametrize("typed", ["サトウ", "さとう", "ｻﾄｳ", "佐藤", "さと"])
def test_it_finds_by_family_name_in_kanji_or_any_kana(as_user, member, people, typed):
    response = as_user(member).get(URL, {"q": typed})
    assert names(response) == ["佐藤 花子"]


def test_it_finds_by_given_name_too(as_user, member, people):
    response = as_user(member).get(URL, {"q": "さわ"})
    assert names(response) == ["伊藤 佐和"]


def test_it_finds_by_family_and_given_name_together(as_user, member, people):
    person("sato2@a.lg.jp", "佐藤", "愛", "サトウ", "アイ")
    assert names(as_user(member).get(URL, {"q": "さとう　あい"})) == ["佐藤 愛"]
    assert names(as_user(member).get(URL, {"q": "佐藤 花"})) == ["佐藤 花子"]


def test_it_filters_by_prefecture_including_its_municipalities(as_user, member, people):
    kanagawa = testing.organization("140007")
    response = as_user(member).get(URL, {"prefecture": kanagawa.pk})
    assert names(response) == ["鈴木 一郎"]


def test_it_filters_by_organization(as_user, member, people):
    yokohama = testing.organization("141003")
    response = as_user(member).get(
        URL, {"organization": yokohama.pk, "organization_text": yokohama.display_name}
    )
    assert names(response) == ["鈴木 一郎"]


def test_it_filters_by_duty(as_user, member, people):
    response = as_user(member).get(URL, {"duty": people["welfare"].pk})
    assert names(response) == ["伊藤 佐和", "佐藤 花子"]


def test_it_combines_filters(as_user, member, people):
    response = as_user(member).get(URL, {"duty": people["disaster"].pk, "q": "いとう"})
    assert names(response) == ["伊藤 佐和"]


def test_it_shows_each_members_organization_department_title_and_duties(as_user, member, people):
    people["sato"].profile.department = "子育て支援課"
    people["sato"].profile.title = "係長"
    people["sato"].profile.save()
    body = as_user(member).get(URL, {"q": "佐藤"}).content.decode()
    for text in ["佐藤 花子", "サトウ ハナコ", "北海道 猿払村", "子育て支援課", "係長", "児童手当"]:
        assert text in body
    assert reverse("profiles:detail", args=[people["sato"].pk]) in body


def test_it_leaves_out_applicants_rejected_and_suspended_people(
    as_user, member, applicant, rejected, suspended
):
    response = as_user(member).get(URL)
    assert names(response) == ["新家 一郎"]


def test_it_says_clearly_when_nothing_matches_and_suggests_what_to_try(as_user, member, people):
    response = as_user(member).get(URL, {"q": "わたなべ"})
    body = response.content.decode()
    assert "条件に合う会員は見つかりませんでした。" in body
    assert "ひらがな・カタカナの読みでもお試しください" in body


def test_it_keeps_what_was_typed_and_explains_an_unknown_organization(as_user, member, people):
    response = as_user(member).get(URL, {"q": "さとう", "organization_text": "存在しない町"})
    body = response.content.decode()
    assert response.context["page_obj"] is None
    assert "「存在しない町」に当てはまる団体が見つかりません" in body
    assert 'value="さとう"' in body


def test_it_paginates_thirty_a_page(as_user, member):
    for i in range(35):
        person(f"p{i}@a.lg.jp", "相田", f"{i:02d}", "アイダ", f"ア{i:02d}")
    client = as_user(member)
    first = client.get(URL)
    assert len(first.context["page_obj"].object_list) == 30
    assert first.context["page_obj"].paginator.count == 36
    second = client.get(URL, {"page": 2})
    assert names(second) == ["相田 30", "相田 31", "相田 32", "相田 33", "相田 34", "新家 一郎"]


def test_it_keeps_the_filters_in_the_page_links(as_user, member, people):
    for i in range(31):
        person(f"p{i}@a.lg.jp", "相田", f"{i:02d}", "アイダ", f"ア{i:02d}")
    response = as_user(member).get(URL, {"q": "あいだ"})
    assert "?q=%E3%81%82%E3%81%84%E3%81%A0&amp;page=2" in response.content.decode()


def _many(n: int, welfare):
    for i in range(n):
        person(
            f"m{i}@a.lg.jp", "会員", f"{i}", "カイイン", f"{i}", duties=(welfare,),
            photo=f"photos/{i}.jpg", visibility={"title": "staff"} if i % 2 else {},
        )  # fmt: skip


@pytest.mark.parametrize("n", [5, 25])
def test_it_needs_the_same_number_of_queries_for_5_or_25_members(
    as_user, member, people, n, django_assert_max_num_queries
):
    _many(n, people["welfare"])
    client = as_user(member)
    # session, user, the chosen duty, count, page ids, members, their duties, the three
    # selects, and one for the site header
    with django_assert_max_num_queries(11):
        client.get(URL, {"duty": people["welfare"].pk})


def test_the_staff_search_costs_the_same_queries(
    as_user, staff, people, django_assert_max_num_queries
):
    _many(25, people["welfare"])
    client = as_user(staff)
    client.get(URL)
    with django_assert_max_num_queries(11):  # no duty to look up; the second-factor device
        client.get(URL)


@pytest.mark.parametrize("who", ["applicant", "rejected", "suspended"])
def test_it_is_for_members_only(db, client, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 302
    assert client.get(URL).status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_is_linked_from_the_member_home(as_user, member):
    assert URL in as_user(member).get(reverse("home")).content.decode()


def test_it_ignores_users_without_member_status_even_for_staff(as_user, staff, suspended):
    assert User.objects.filter(pk=suspended.pk).exists()
    assert "停止 三郎" not in names(as_user(staff).get(URL))
