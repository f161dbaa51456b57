"""「参加している課」 shows each 課's real number of active members, in one query for the list."""

from django.urls import reverse

from cityhall import testing
from cityhall.sections.tests.conftest import add, make_section

MINE = reverse("sections:mine")
QUERIES = 3  # the session, the signed-in member, the sections with their counts


def test_it_counts_every_active_member_not_just_the_viewer(as_user, member, leader, section):
    add(section, member)
    add(section, testing.make_user("third@town.example.lg.jp"), status="pending")
    page = as_user(member).get(MINE).content.decode()
    assert "メンバー 2 人" in page  # leader and member; the pending applicant does not count


def test_it_lists_sections_in_the_same_number_of_queries_however_many(
    as_user, member, leader, section, django_assert_num_queries
):
    add(section, member)
    client = as_user(member)
    client.get(MINE)  # warm the session and caches
    with django_assert_num_queries(QUERIES):
        client.get(MINE)
    for n in range(3):
        extra = make_section(f"課{n}", f"extra-{n}")
        add(extra, member)
        add(extra, leader)
    with django_assert_num_queries(QUERIES):
        page = client.get(MINE).content.decode()
    assert page.count("メンバー 2 人") == 4
