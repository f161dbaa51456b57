"""The application form helps a newcomer on a phone: after a failed submit each problem is a
link to its field, names and address can be filled in by the browser, and chosen duties stay
named while their group is folded (each folded group is one tab stop)."""

import re

from django.urls import reverse

from cityhall.members.tests.joining_helpers import some_duties, survey

APPLY = reverse("members:apply")


def input_tag(html: str, name: str) -> str:
    match = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
    assert match, name
    return match.group(0)


def test_it_lists_each_problem_as_a_link_to_its_field(client, db):
    html = client.post(APPLY, survey(family_name="", email="not-an-address", referral=None))
    html = html.content.decode()
    assert "入力内容を確認してください。" in html
    summary = re.search(r"<ul class=\"error-summary\">(.*?)</ul>", html, re.S)
    assert summary
    links = dict(re.findall(r"<a href=\"#([\w-]+)\">([^<]+)</a>", summary.group(1)))
    assert links["id_family_name"].startswith("姓：")
    assert "メールアドレスの形式が正しくありません。" in links["id_email"]
    assert "id_referral_0" in links  # a radio group links to its first choice
    assert 'id="id_referral_0"' in html


def test_it_leaves_the_summary_list_out_when_only_the_form_as_a_whole_failed(client, db):
    html = client.get(APPLY).content.decode()
    assert "error-summary" not in html


def test_it_lets_the_browser_fill_in_names_and_address(client, db):
    html = client.get(APPLY).content.decode()
    assert 'autocomplete="family-name"' in input_tag(html, "family_name")
    assert 'autocomplete="given-name"' in input_tag(html, "given_name")
    assert 'autocomplete="email"' in input_tag(html, "email")
    assert 'autocomplete="off"' in input_tag(html, "family_name_kana")
    assert 'autocomplete="off"' in input_tag(html, "given_name_kana")


def test_it_folds_duty_groups_and_names_the_chosen_ones(client, db):
    first, second = some_duties()
    response = client.post(APPLY, survey(family_name="", duties=[first.pk]))
    html = response.content.decode()
    groups = re.findall(r"<details class=\"joining-duties\"([^>]*)>(.*?)</summary>", html, re.S)
    assert len(groups) >= 2
    assert all(" open" not in attributes for attributes, _summary in groups)
    chosen = [summary for _attributes, summary in groups if first.name in summary]
    assert chosen and "選択中：" in chosen[0]
    assert not any(second.name in summary for _attributes, summary in groups)
