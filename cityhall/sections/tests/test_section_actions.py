"""A 課's page puts the step a member most likely wants first: joining asks nothing (it can be
undone), and once in, 「この課に投稿する」 is the main button and leaving is secondary."""

import re

from django.urls import reverse

from cityhall.sections.tests.conftest import add

DETAIL = reverse("sections:detail", args=["bousai"])


def test_it_joins_without_asking_first(as_user, member, section):
    html = as_user(member).get(DETAIL).content.decode()
    action = re.escape(reverse("sections:join", args=["bousai"]))
    join = re.search(rf"<form[^>]*action=\"{action}\"[^>]*>", html)
    assert join and "data-confirm" not in join.group(0)


def test_it_makes_posting_the_main_action_once_joined(as_user, member, section):
    add(section, member)
    html = as_user(member).get(DETAIL).content.decode()
    post = re.search(r"<a class=\"button\" href=\"([^\"]+)\">この課に投稿する</a>", html)
    assert post and post.group(1) == reverse("posts:new") + "?section=bousai"
    leave = re.search(r"<button type=\"submit\" class=\"([^\"]+)\">退出する</button>", html)
    assert leave and "button--secondary" in leave.group(1)
    assert html.index("この課に投稿する") < html.index("退出する")
