from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from cityhall.core.jst import JST
from cityhall.members import onboarding
from cityhall.members.onboarding import ChecklistItem, checklist_for, next_briefing_time

WELCOME = reverse("members:welcome")


def states(user) -> dict[str, str]:
    return {row.key: row.state for row in checklist_for(user)}


def test_it_shows_the_checklist_to_a_new_member(as_user, member):
    response = as_user(member).get(WELCOME)
    page = response.content.decode()
    assert "プロフィールに写真を登録する" in page
    assert "興味のある課に参加する" in page
    assert "金曜日の説明会に参加する" in page
    assert "自己紹介を投稿する" in page
    assert reverse("profiles:edit") in page


def test_it_ticks_the_photo_once_the_profile_has_one(member):
    assert states(member)["profile_photo"] == "todo"
    member.profile.photo = "photos/1/face.jpg"
    member.profile.save(update_fields=["photo"])
    assert states(member)["profile_photo"] == "done"
    row = next(r for r in checklist_for(member) if r.key == "profile_photo")
    assert row.url == ""  # nothing left to do


def test_it_marks_features_that_do_not_exist_yet_as_coming(member):
    assert states(member) == {
        "profile_photo": "todo",
        "sections": "todo",  # the sections app registers its item
        "orientation": "todo",  # the events app registers its item
        "introduction": "todo",  # the posts app registers its item
    }


def test_it_lets_a_later_feature_tick_its_item(member, monkeypatch):
    monkeypatch.setattr(onboarding, "CHECKLIST", list(onboarding.CHECKLIST))
    onboarding.register(
        ChecklistItem(key="sections", title="課に参加する", description="", done=lambda user: True)
    )
    onboarding.register(
        ChecklistItem(key="extra", title="追加", description="", done=lambda user: False)
    )
    assert list(states(member).items())[1] == ("sections", "done")
    assert states(member)["extra"] == "todo"


# The clock is frozen as well as passed in: the page asks without a `now`, and the 説明会
# series' own first date is fixed (events' 0002 migration), so nothing moves with the real day.
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            datetime(2026, 11, 26, 12, 0, tzinfo=JST),
            datetime(2026, 11, 27, 21, 0, tzinfo=JST),
        ),  # Thu
        (
            datetime(2026, 11, 27, 20, 0, tzinfo=JST),
            datetime(2026, 11, 27, 21, 0, tzinfo=JST),
        ),  # Fri
        (datetime(2026, 11, 27, 21, 30, tzinfo=JST), datetime(2026, 11, 27, 21, 0, tzinfo=JST)),
        (datetime(2026, 11, 27, 22, 0, tzinfo=JST), datetime(2026, 12, 4, 21, 0, tzinfo=JST)),
        (datetime(2026, 11, 28, 9, 0, tzinfo=JST), datetime(2026, 12, 4, 21, 0, tzinfo=JST)),  # Sat
        (datetime(2027, 12, 31, 22, 0, tzinfo=JST), datetime(2028, 1, 7, 21, 0, tzinfo=JST)),
    ],
)
@pytest.mark.django_db
def test_it_finds_the_next_friday_orientation_in_japan_time(now, expected):
    with time_machine.travel(now, tick=False):
        assert next_briefing_time(now) == next_briefing_time()
        times = next_briefing_time()
    assert times is not None
    start, end = times
    assert start == expected
    assert (end - start).total_seconds() == 3600


@pytest.mark.django_db
def test_it_computes_the_orientation_from_utc_in_japan_time():
    # Friday 13:00 UTC is already 22:00 on Friday in Japan: the session is over.
    now = datetime.fromisoformat("2026-11-27T13:00:00+00:00")
    with time_machine.travel(now, tick=False):
        times = next_briefing_time(now)
    assert times is not None
    start, _end = times
    assert start == datetime(2026, 12, 4, 21, 0, tzinfo=JST)


def test_it_shows_the_date_of_the_next_orientation(as_user, member):
    with time_machine.travel(datetime(2026, 11, 28, 9, 0, tzinfo=JST), tick=False):
        page = as_user(member).get(WELCOME).content.decode()
    assert "2026年12月4日（金）21:00〜22:00" in page


def test_it_is_for_members_only(as_user, applicant, client, db):
    assert as_user(applicant).get(WELCOME).url == reverse("members:status")
    client.logout()
    assert client.get(WELCOME).url.startswith(reverse("accounts:login"))
