import json
from pathlib import Path

import pytest

from cityhall import testing
from cityhall.broadcasts.models import LiveComment, ProgrammeFollow
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.events.models import AgendaItem, Attendance, Registration
from cityhall.events.tests.conftest import make_event
from cityhall.interface.export import export_zip
from cityhall.interface.tests.helpers import requested_zip, unzip
from cityhall.posts.actions import do_add_comment, do_create_post, do_edit_post
from cityhall.posts.models import Reaction
from cityhall.sections.models import Section, SectionMembership


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""


def test_it_gives_a_member_their_own_data_as_a_zip(
    as_user, member, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    testing.make_application(member, status="approved", introduction="写真が好きです。")
    section = Section.objects.create(name="写真部", slug="photo", kind="social", purpose="写真")
    SectionMembership.objects.create(section=section, user=member, status="active")

    client = as_user(member)
    with django_assert_max_num_queries(25):
        export_zip(member)  # a fixed number of queries, whatever the member wrote
    response = requested_zip(client, member, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data, html = unzip(response)
    assert data["account"]["email"] == member.email
    assert data["profile"]["organization"] == "北海道 猿払村"
    assert data["applications"][0]["introduction"] == "写真が好きです。"
    assert data["sections"][0]["section"] == "写真部"
    assert data["sessions"], "the session that asked for the export is listed"
    assert "写真部" in html and "参加している課" in html


def test_it_includes_what_the_member_wrote_and_did(
    as_user, member, outsider, django_capture_on_commit_callbacks
):
    post = do_create_post(
        section=None, kind="question", data={"title": "窓口の混雑", "body": "最初の版"},
        actor=member,
    )  # fmt: skip
    do_edit_post(post, data={"title": "窓口の混雑", "body": "直した版"}, actor=member)
    do_add_comment(post, body="補足のコメント", actor=member)
    Reaction.objects.create(user=member, post=post, kind="like")
    event = make_event()
    Registration.objects.create(event=event, user=member, status="confirmed", position=1)
    AgendaItem.objects.create(event=event, author=member, title="書かない窓口の進め方")
    Attendance.objects.create(event=event, user=member, source="self")
    episode = make_episode(make_programme())
    ProgrammeFollow.objects.create(user=member, programme=episode.programme)
    LiveComment.objects.create(episode=episode, author=member, body="こんばんは")

    data, html = unzip(requested_zip(as_user(member), member, django_capture_on_commit_callbacks))
    assert data["posts"][0]["body"] == "直した版"
    assert data["posts"][0]["earlier_versions"][0]["body"] == "最初の版"
    assert data["comments"][0]["body"] == "補足のコメント"
    assert data["reactions"][0]["kind"] == "like"
    assert data["event_registrations"][0]["event"] == event.title
    assert data["agenda_items"][0]["title"] == "書かない窓口の進め方"
    assert data["attendance"][0]["event"] == event.title
    assert data["programme_follows"][0]["programme"] == episode.programme.title
    assert data["live_comments"][0]["body"] == "こんばんは"
    assert "notifications" in data and "notification_preferences" in data
    assert "直した版" in html and "こんばんは" in html


def test_it_never_contains_another_members_data(
    as_user, member, outsider, django_capture_on_commit_callbacks
):
    data, html = unzip(requested_zip(as_user(member), member, django_capture_on_commit_callbacks))
    assert outsider.email not in json.dumps(data, ensure_ascii=False)
    assert outsider.email not in html
