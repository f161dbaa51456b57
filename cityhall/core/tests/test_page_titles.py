"""Each page's <title> reads 「ページ名 | オンライン市役所」, and the site name alone where the
page has none, so browser tabs and history do not run words together."""

import re

from cityhall import testing


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return match.group(1)


def test_it_titles_the_home_page_with_a_separator(client, member):
    testing.sign_in(client, member)
    assert title_of(client.get("/")) == "ホーム | オンライン市役所"


def test_it_titles_public_pages_with_a_separator(client, db):
    assert title_of(client.get("/join/")) == "参加申請 | オンライン市役所"
    assert title_of(client.get("/accounts/login/")) == "ログイン | オンライン市役所"


def test_it_titles_the_landing_page_with_the_site_name_alone(client, db):
    assert title_of(client.get("/")) == "オンライン市役所"


def test_it_escapes_member_names_in_the_title(client, member, leader):
    leader.family_name = "<課長>"
    leader.save(update_fields=["family_name"])
    testing.sign_in(client, member)
    title = title_of(client.get(f"/members/{leader.pk}/"))
    assert title.startswith("&lt;課長&gt;")
    assert title.endswith(" | オンライン市役所")
