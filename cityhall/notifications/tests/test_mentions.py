import pytest
from django.urls import reverse

from cityhall.core.markdown import render_markdown
from cityhall.core.mentions import MAX_MENTIONS, mention_token, mentioned_ids, warm_names
from cityhall.notifications.tests.conftest import mention

pytestmark = pytest.mark.django_db


def test_it_parses_mentions_by_id_in_japanese_text():
    text = "こんにちは@山田太郎#12さん、@佐藤花子#7 と @山田太郎#12 へ。"
    assert mentioned_ids(text) == [12, 7]


def test_it_leaves_mail_addresses_urls_and_incomplete_mentions_alone():
    text = "taro@city.example.lg.jp#3 https://example.jp/@user#4 @山田太郎 @#x #5 @a#0"
    assert mentioned_ids(text) == []


def test_it_caps_the_mentions_per_text():
    text = " ".join(f"@会員#{pk}" for pk in range(1, MAX_MENTIONS + 10))
    assert mentioned_ids(text) == list(range(1, MAX_MENTIONS + 1))


def test_it_builds_the_token_the_type_ahead_inserts(member):
    assert mention_token(member) == f"@新家一郎#{member.pk}"


def test_it_renders_a_mention_as_a_link_with_the_current_name(member):
    html = render_markdown(f"@昔の名前#{member.pk} さん、ありがとう。")
    url = reverse("profiles:detail", args=[member.pk])
    assert f'href="{url}"' in html
    assert "@新家 一郎" in html
    assert "昔の名前" not in html


def test_it_renders_unknown_ids_and_non_members_as_plain_text(suspended):
    html = render_markdown(f"@だれか#999999 と {mention(suspended)}")
    assert "<a" not in html
    assert "@だれか#999999" in html
    assert f"#{suspended.pk}" in html


def test_it_keeps_hostile_input_inert(member):
    text = (
        f'@<script>alert(1)</script>#{member.pk} @"onmouseover=alert(1)#{member.pk} '
        "[x](javascript:alert(1))"
    )
    html = render_markdown(text)
    assert "<script" not in html
    assert " onmouseover" not in html
    assert 'href="javascript' not in html
    assert html.count(f'href="{reverse("profiles:detail", args=[member.pk])}"') == 2


def test_it_does_not_link_mentions_inside_code(member):
    html = render_markdown(f"`{mention(member)}`\n\n    {mention(member)}\n")
    assert "<a" not in html


def test_it_links_only_the_first_mentions_up_to_the_cap(member):
    text = (
        " ".join(f"@会員#{pk}" for pk in range(900000, 900000 + MAX_MENTIONS))
        + " "
        + mention(member)
    )
    assert "<a" not in render_markdown(text)


def test_it_looks_names_up_once_and_then_from_the_cache(member, django_assert_num_queries):
    with django_assert_num_queries(1):
        render_markdown(mention(member) + " @だれか#999999")
    with django_assert_num_queries(0):
        render_markdown(mention(member) + " @だれか#999999")
    with django_assert_num_queries(0):
        render_markdown("メンションのない文章")


def test_the_type_ahead_finds_members_by_name(as_user, member, colleague, suspended):
    response = as_user(member).get(reverse("notifications:mention_search"), {"q": "同僚"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": colleague.pk,
            "name": "同僚 七海",
            "organization": colleague.profile.organization.name,
            "token": f"@同僚七海#{colleague.pk}",
        }
    ]
    found = as_user(member).get(reverse("notifications:mention_search"), {"q": "停止"}).json()
    assert found["results"] == []


def test_the_type_ahead_is_for_members_only(client, applicant):
    url = reverse("notifications:mention_search")
    assert client.get(url, {"q": "同僚"}).status_code == 302
    client.force_login(applicant)
    assert client.get(url, {"q": "同僚"}).status_code == 302


def test_a_page_can_look_up_all_its_mentions_at_once(member, colleague, django_assert_num_queries):
    texts = [mention(member), f"{mention(colleague)} と @だれか#999999", "なし"]
    with django_assert_num_queries(1):
        warm_names(texts)
    with django_assert_num_queries(0):
        for text in texts:
            render_markdown(text)
