"""A profile shows the member's sections and latest posts, as far as the viewer may see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.feed.queries import PER_PAGE
from cityhall.feed.tests.conftest import join, make_post, make_section


def profile(user) -> str:
    return reverse("profiles:detail", args=[user.pk])


def all_posts(user) -> str:
    return reverse("feed:member_posts", args=[user.pk])


def section_names(response) -> list[str]:
    return [m.section.name for m in response.context["member_sections"]]


@pytest.fixture
def busy(db, outsider, section, closed_section):
    """The outsider belongs to an open section, a closed one, and (pending) a third."""
    join(section, outsider, role="deputy")
    join(closed_section, outsider)
    join(make_section("観光課", "kankou"), outsider, status="pending")
    archived = make_section("旧・広報課", "kouhou", archived_at=timezone.now())
    join(archived, outsider)
    return outsider


def test_it_shows_open_sections_to_every_member(as_user, member, busy):
    response = as_user(member).get(profile(busy))
    assert section_names(response) == ["防災課"]
    body = response.content.decode()
    assert reverse("sections:detail", args=["bousai"]) in body and "課長補佐" in body
    assert "人事の相談室" not in body and "観光課" not in body and "旧・広報課" not in body


def test_a_closed_section_shows_to_its_members_staff_and_the_member(
    as_user, member, staff, busy, closed_section
):
    join(closed_section, member)
    assert section_names(as_user(member).get(profile(busy))) == ["人事の相談室", "防災課"]
    assert "人事の相談室" in section_names(as_user(staff).get(profile(busy)))
    assert "人事の相談室" in section_names(as_user(busy).get(profile(busy)))


def test_it_shows_the_latest_posts_the_viewer_may_read(
    as_user, member, busy, section, closed_section
):
    make_post(busy, None, title="全体の投稿", ago=timedelta(hours=1))
    make_post(busy, section, title="防災課の投稿", ago=timedelta(hours=2))
    make_post(busy, closed_section, title="非公開の投稿", ago=timedelta(minutes=1))
    make_post(busy, None, title="削除した投稿", deleted_at=timezone.now())
    for i in range(6):
        make_post(busy, None, title=f"古い投稿{i}", ago=timedelta(days=2 + i))
    response = as_user(member).get(profile(busy))
    titles = [p.title for p in response.context["recent_posts"]]
    assert titles == ["全体の投稿", "防災課の投稿", "古い投稿0", "古い投稿1", "古い投稿2"]
    body = response.content.decode()
    assert "非公開の投稿" not in body and "削除した投稿" not in body
    assert all_posts(busy) in body


def test_it_says_when_there_is_nothing_to_show(as_user, member, outsider):
    body = as_user(member).get(profile(outsider)).content.decode()
    assert "表示できる投稿はまだありません。" in body
    assert "表示できる課はありません。" in body


def test_it_reads_a_busy_profile_in_a_few_queries(
    as_user, member, busy, section, django_assert_max_num_queries
):
    for i in range(8):
        make_post(busy, section, title=f"投稿{i}")
    client = as_user(member)
    # session, user, profile, duties, sections, posts, and one for the site header
    with django_assert_max_num_queries(7):
        assert client.get(profile(busy)).status_code == 200


def test_all_their_posts_page_with_a_cursor(as_user, member, busy, closed_section):
    now = timezone.now()
    total = PER_PAGE + 5
    for i in range(total):
        make_post(busy, None, title=f"投稿{i:02}", created_at=now - timedelta(minutes=i // 2),
                  last_activity_at=now)  # fmt: skip
    make_post(busy, closed_section, title="非公開の投稿")
    client = as_user(member)
    first = client.get(all_posts(busy))
    assert first.status_code == 200
    second = client.get(all_posts(busy) + first.context["feed"].next_query)
    seen = [p.title for r in (first, second) for p in r.context["feed"].posts]
    expected = sorted(range(total), key=lambda i: (i // 2, -i))
    assert seen == [f"投稿{i:02}" for i in expected]
    assert second.context["feed"].next_query == ""
    assert "非公開の投稿" not in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_all_their_posts_cost_the_same_queries(
    as_user, member, busy, count, django_assert_max_num_queries
):
    for i in range(count):
        make_post(busy, None, title=f"投稿{i}")
    client = as_user(member)
    # session, user, profile, posts, watermark, reads, comments since the watermark, and one
    # for the site header
    with django_assert_max_num_queries(8):
        client.get(all_posts(busy))


def test_the_posts_of_someone_not_a_member_are_404(as_user, member, suspended, applicant):
    client = as_user(member)
    assert client.get(all_posts(suspended)).status_code == 404
    assert client.get(all_posts(applicant)).status_code == 404
    assert client.get(reverse("feed:member_posts", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ["applicant", "rejected", "suspended"])
def test_all_their_posts_are_for_members_only(db, client, as_user, request, member, who):
    assert client.get(all_posts(member)).status_code == 302
    assert as_user(request.getfixturevalue(who)).get(all_posts(member)).status_code == 302
