from typing import Any

import pytest

from cityhall.moderation.models import Case, Reason, Report
from cityhall.posts.models import Comment, Post
from cityhall.posts.tests.conftest import (  # noqa: F401  (fixtures)
    closed_section,
    join,
    make_comment,
    make_post,
    make_section,
    section,
)


@pytest.fixture
def post(member: Any) -> Post:
    """A lobby post by the `member` persona."""
    return make_post(member, None, title="窓口の混雑対策", body="番号札を導入しました。")


@pytest.fixture
def comment(post: Post, leader: Any) -> Comment:
    """A comment by the `leader` persona on the member's post."""
    return make_comment(post, leader, body="うちでは予約制にしました。")


def reported(target: Post | Comment, *reporters: Any, reason: str = Reason.HARASSMENT) -> Case:
    """An open case on the target with one report from each reporter."""
    case = Case.objects.create(
        post=target if isinstance(target, Post) else None,
        comment=target if isinstance(target, Comment) else None,
        author=target.author,
        snapshot=target.body,
    )
    for reporter in reporters:
        Report.objects.create(
            case=case, reporter=reporter, reason=reason, note="ひどい書き込みです"
        )
    return case
