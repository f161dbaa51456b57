"""Entries from a study session: its hosts write them, and each session and series gets its own
FAQ document."""

import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cityhall.events.models import Event, EventHost, EventSeries, Organizer
from cityhall.knowledge.access import can_write_faq
from cityhall.knowledge.tests.conftest import days_ago, form_data, make_entry
from cityhall.sections.models import Section, SectionMembership


def make_session(number: int, series: EventSeries | None = None, **fields) -> Event:
    starts = timezone.now() - timedelta(days=7 * (12 - number))
    return Event.objects.create(
        series=series,
        title=fields.pop("title", f"第{number}回"),
        organizer=fields.pop("organizer", Organizer.STAFF),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **fields,
    )


@pytest.fixture
def series(db):
    return EventSeries.objects.create(
        slug="vaccine", title="ワクチン接種 情報交換会", organizer=Organizer.STAFF,
        frequency="weekly", weekday=6, start_time=time(21), starts_on=days_ago(100),
    )  # fmt: skip


@pytest.fixture
def host(member, series):
    """The `member` persona, host of the first session only."""
    session = make_session(1, series)
    EventHost.objects.create(event=session, user=member)
    return member


def test_it_lets_a_host_write_for_their_own_session_only(host, series, staff):
    mine = Event.objects.get(title="第1回")
    other = make_session(2, series)
    assert can_write_faq(host, event=mine)
    assert not can_write_faq(host, event=other) and not can_write_faq(host)
    assert can_write_faq(host, make_entry(staff, source_event=mine))
    assert not can_write_faq(host, make_entry(staff, source_event=other))


def test_it_makes_a_host_name_their_session(as_user, host, series):
    mine = Event.objects.get(title="第1回")
    other = make_session(2, series)
    client = as_user(host)
    page = client.get(reverse("knowledge:new") + f"?event={mine.pk}").content.decode()
    assert f'<option value="{mine.pk}" selected>' in page and "第2回" not in page
    response = client.post(reverse("knowledge:new"), form_data(status="draft"))
    assert "元になった勉強会を選んでください。" in response.content.decode()
    response = client.post(reverse("knowledge:new"), form_data(source_event=other.pk))
    assert response.status_code == 200  # not one of the choices: refused, text kept
    response = client.post(
        reverse("knowledge:new"), form_data(source_event=mine.pk, status="draft")
    )
    entry = mine.faq_entries.get()
    assert response.url == reverse("knowledge:detail", args=[entry.pk])
    # The host reads the draft from their session; other members do not.
    assert client.get(reverse("knowledge:detail", args=[entry.pk])).status_code == 200


def test_it_keeps_a_hosts_draft_from_other_members(as_user, host, outsider):
    mine = Event.objects.get(title="第1回")
    entry = make_entry(host, source_event=mine, status="draft")
    url = reverse("knowledge:detail", args=[entry.pk])
    assert as_user(outsider).get(url).status_code == 404


def test_it_makes_a_document_per_session_and_per_series(as_user, member, staff, series):
    first, second = make_session(1, series), make_session(2, series)
    make_entry(staff, question="第1回で出た質問", source_event=first)
    make_entry(staff, question="第2回で出た質問", source_event=second)
    make_entry(staff, question="勉強会と関係ない質問")
    client = as_user(member)
    page = client.get(reverse("knowledge:document"), {"event": first.pk}).content.decode()
    assert "第1回で出た質問" in page and "第2回で出た質問" not in page
    assert "FAQ資料：第1回" in page
    page = client.get(reverse("knowledge:document"), {"series": "vaccine"}).content.decode()
    assert "第1回で出た質問" in page and "第2回で出た質問" in page
    assert "勉強会と関係ない質問" not in page
    assert "FAQ資料：ワクチン接種 情報交換会" in page
    assert "ワクチン接種 情報交換会 第1回" in page  # the source of each entry


def test_it_shows_the_session_an_entry_came_from(as_user, member, staff, series):
    session = make_session(3, series)
    entry = make_entry(staff, source_event=session)
    page = as_user(member).get(reverse("knowledge:detail", args=[entry.pk])).content.decode()
    assert reverse("events:detail", args=[session.pk]) in page
    assert f"?event={session.pk}" in page and "?series=vaccine" in page


def test_it_hides_a_closed_sections_session_from_outsiders(as_user, outsider, staff, leader):
    closed = Section.objects.create(
        name="人事の相談室", slug="jinji", kind="work", purpose="相談", is_closed=True
    )
    SectionMembership.objects.create(section=closed, user=leader, role="leader")
    secret = make_session(4, title="非公開の回", organizer=Organizer.SECTION, section=closed)
    entry = make_entry(staff, source_event=secret)
    client = as_user(outsider)
    page = client.get(reverse("knowledge:detail", args=[entry.pk])).content.decode()
    assert "非公開の回" not in page
    assert client.get(reverse("knowledge:document"), {"event": secret.pk}).status_code == 404
    xlsx = client.get(reverse("knowledge:document_xlsx"))
    cells = load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    assert not any("非公開の回" in str(cell) for row in cells for cell in row)
    staff_view = as_user(staff).get(reverse("knowledge:document_xlsx"))
    cells = load_workbook(io.BytesIO(staff_view.content)).active.iter_rows(values_only=True)
    assert any("非公開の回" in str(cell) for row in cells for cell in row)


def test_it_neither_shows_nor_changes_a_source_session_the_editor_may_not_see(
    as_user, writer, staff
):
    # A closed section's session named as the source by staff: another section's leader may
    # edit the entry, but must not read that session's date and title, and saving keeps it.
    closed = Section.objects.create(
        name="人事課", slug="jinji", kind=Section.Kind.WORK, purpose="人事", is_closed=True
    )
    hidden = make_session(
        2, title="人事評価面談の練習会", organizer=Organizer.SECTION, section=closed
    )
    entry = make_entry(staff, source_event=hidden, status="draft")

    page = as_user(writer).get(reverse("knowledge:edit", args=[entry.pk]))
    assert page.status_code == 200
    assert "人事評価面談の練習会" not in page.content.decode()
    assert "この画面では変更できません" in page.content.decode()

    response = as_user(writer).post(
        reverse("knowledge:edit", args=[entry.pk]),
        form_data(question="改めた質問です。", version=entry.version, status="draft"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.question == "改めた質問です。"
    assert entry.source_event == hidden
