"""The search page and the similar-questions fragment, as members use them."""

import pytest
from django.urls import reverse

from cityhall import testing
from cityhall.posts.models import Post

URL = "/search/"


def test_it_is_for_members_only(client, applicant, corpus) -> None:
    assert client.get(URL, {"q": "防災"}).status_code == 302
    testing.sign_in(client, applicant)
    assert client.get(URL, {"q": "防災"})["Location"] == reverse("members:status")


def test_it_shows_highlighted_hits(as_user, member, corpus) -> None:
    response = as_user(member).get(URL, {"q": "防災訓練"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>防災訓練</mark>" in html
    assert reverse("posts:detail", args=[corpus["p4"].pk]) in html
    assert f"#comment-{corpus['c1'].pk}" in html  # the comment, shown within its post


def test_it_keeps_hostile_content_inert(as_user, member) -> None:
    Post.objects.create(
        author=member, kind="discussion", title='<script>alert("x")</script>防災マニュアル',
        body='<img src=x onerror="alert(1)"> 防災の手引き',
    )  # fmt: skip
    html = as_user(member).get(URL, {"q": "防災"}).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "q", ['"', "!!!", "x" * 1000, "防\x00災", "\x07", "-", "-防災", '"" ""', "％＆＄", ""]
)
def test_it_answers_malformed_queries_politely(as_user, member, corpus, q) -> None:
    response = as_user(member).get(URL, {"q": q})
    assert response.status_code == 200


def test_it_explains_why_nothing_was_searched(as_user, member) -> None:
    html = as_user(member).get(URL, {"q": "!!!"}).content.decode()
    assert "検索できる文字が含まれていません" in html


def test_it_filters_by_kind_section_prefecture_and_organisation(as_user, member, corpus) -> None:
    client = as_user(member)

    def titles(**params: str) -> str:
        return client.get(URL, {"q": "防災", **params}).content.decode()

    only_comments = titles(kind="comment")
    assert "1 件" in only_comments and "#comment-" in only_comments
    in_section = titles(section=str(corpus["bousai"].pk))
    assert "3 件" in in_section  # the section itself, p4 and its comment c1
    kanagawa = testing.organization("140007").pk
    assert "0 件" in client.get(URL, {"q": "防災", "prefecture": kanagawa}).content.decode()
    yokohama = testing.organization("141003").pk
    html = client.get(URL, {"q": "excel", "organization": yokohama}).content.decode()
    assert "1 件" in html


def test_it_filters_by_date_in_japan_time(as_user, member, corpus) -> None:
    client = as_user(member)
    html = client.get(URL, {"q": "接種", "date_from": "2026-10-02", "date_to": "2026-10-02"})
    assert "1 件" in html.content.decode()
    assert "ワクチン<mark>接種</mark>会場" in html.content.decode()


def test_it_refuses_a_backwards_date_range_politely(as_user, member, corpus) -> None:
    dates = {"date_from": "2026-10-05", "date_to": "2026-10-01"}
    response = as_user(member).get(URL, {"q": "接種", **dates})
    assert response.status_code == 200
    assert "終わりの日付は" in response.content.decode()


def test_it_orders_by_newest_when_asked(as_user, member, corpus) -> None:
    html = as_user(member).get(URL, {"q": "接種", "order": "newest"}).content.decode()
    assert html.index("ワクチン<mark>接種</mark>会場") < html.index("予約システム")


def test_it_pages_through_many_hits(as_user, member) -> None:
    Post.objects.bulk_create(
        [Post(author=member, kind="discussion", title=f"防災 {i}", body="x") for i in range(25)]
    )
    from cityhall.search.index import refresh

    refresh("post", Post.objects.values_list("pk", flat=True))
    client = as_user(member)
    first = client.get(URL, {"q": "防災"}).content.decode()
    assert "25 件" in first and "1 / 2 ページ" in first
    second = client.get(URL, {"q": "防災", "page": "2"}).content.decode()
    assert "2 / 2 ページ" in second
    assert client.get(URL, {"q": "防災", "page": "abc"}).status_code == 200


def test_it_reads_a_page_of_hits_in_a_fixed_number_of_queries(
    as_user, member, corpus, django_assert_max_num_queries
) -> None:
    client = as_user(member)
    client.get(URL, {"q": "防災"})
    with django_assert_max_num_queries(11):  # session, user, count, ids, documents, kinds, selects
        client.get(URL, {"q": "防災"})


def test_it_puts_the_search_box_in_the_header_for_members(as_user, member) -> None:
    html = as_user(member).get(reverse("posts:lobby")).content.decode()
    assert 'action="/search/"' in html


def test_it_suggests_similar_questions_while_writing(as_user, member, corpus) -> None:
    client = as_user(member)
    response = client.get(reverse("search:suggest"), {"title": "ワクチン接種の予約を増やしたい"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "新型コロナワクチン接種の予約システムについて" in html
    assert "ワクチン接種会場" not in html  # a case study, not a question


def test_it_suggests_nothing_for_a_short_or_unrelated_title(as_user, member, corpus) -> None:
    client = as_user(member)
    for title in ("", "あ", "!!!", "\x00", "x" * 1000, "温泉旅行の計画"):
        response = client.get(reverse("search:suggest"), {"title": title})
        assert response.status_code == 200
        assert "似た質問" not in response.content.decode()


def test_it_never_suggests_what_the_writer_may_not_read(as_user, member, leader, corpus) -> None:
    corpus["p9"].kind = "question"
    corpus["p9"].save()
    params = {"title": "人事評価制度の見直しについて"}
    html = as_user(member).get(reverse("search:suggest"), params).content.decode()
    assert "人事評価制度" not in html
    assert "人事評価制度" in as_user(leader).get(reverse("search:suggest"), params).content.decode()


def test_it_offers_suggestions_on_the_new_post_form(as_user, member) -> None:
    html = as_user(member).get(reverse("posts:new")).content.decode()
    assert reverse("search:suggest") in html


def test_it_shows_tips_before_anything_is_searched(as_user, member) -> None:
    html = as_user(member).get(URL).content.decode()
    assert "ダブルクォート" in html
