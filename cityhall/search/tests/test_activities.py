"""FAQ entries, study sessions and their series, programmes and episodes in the one search box:
who finds what, what is never indexed, the filters, and how the index follows their writes."""

from datetime import date, datetime, time, timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cityhall.broadcasts.actions import do_archive_programme
from cityhall.core.jst import JST
from cityhall.events.hosting import do_cancel_event, do_create_series
from cityhall.events.models import Event, EventHost, EventSeries
from cityhall.knowledge.actions import do_create_faq, do_edit_faq
from cityhall.search import engine
from cityhall.search.index import catch_up
from cityhall.search.models import Document
from cityhall.search.query import parse
from cityhall.sections.models import SectionMembership

URL = "/search/"


def found(viewer: Any, q: str, **filters: Any) -> set[tuple[str, int]]:
    ids = list(engine.search(viewer, parse(q), engine.Filters(**filters)))
    hits = engine.present(viewer, engine.documents(ids), [])
    return {(hit.document.kind, hit.document.object_id) for hit in hits}


def hit_of(viewer: Any, q: str, kind: str, pk: int) -> Any:
    ids = list(engine.search(viewer, parse(q), engine.Filters(kind=kind)))
    hits = engine.present(viewer, engine.documents(ids), [])
    return next(hit for hit in hits if hit.document.object_id == pk)


# --- Who finds what ----------------------------------------------------------------------------


def test_it_shows_a_closed_sections_sessions_only_to_its_members_hosts_and_staff(
    corpus, member, leader, staff, outsider
) -> None:
    e4, s2 = ("event", corpus["e4"].pk), ("series", corpus["s2"].pk)
    assert e4 not in found(member, "面談") and s2 not in found(member, "評価者研修")
    for viewer in (leader, staff):
        assert e4 in found(viewer, "面談") and s2 in found(viewer, "評価者研修")
    EventHost.objects.create(event=corpus["e4"], user=outsider)
    assert e4 in found(outsider, "面談")
    assert s2 not in found(outsider, "評価者研修")  # hosting a session is not hosting the series
    SectionMembership.objects.create(section=corpus["jinji"], user=member)
    assert {e4, s2} <= found(member, "面談") | found(member, "評価者研修")


def test_it_shows_faq_drafts_only_to_those_who_may_write_them(
    corpus, member, leader, staff, outsider
) -> None:
    f2 = ("faq", corpus["f2"].pk)
    assert f2 not in found(member, "暗証番号")
    assert f2 not in found(member, "まいなんばー")
    for viewer in (leader, staff):  # a section leader writes any entry, staff too
        assert f2 in found(viewer, "暗証番号")
    corpus["f2"].source_event = corpus["e2"]
    corpus["f2"].save()
    EventHost.objects.create(event=corpus["e2"], user=outsider)  # hosts see their session's
    assert f2 in found(outsider, "暗証番号")
    assert f2 not in found(member, "暗証番号")


def test_it_marks_a_draft_as_such(corpus, staff) -> None:
    assert hit_of(staff, "暗証番号", "faq", corpus["f2"].pk).flag == "下書き"
    assert hit_of(staff, "評価者研修", "faq", corpus["f3"].pk).flag == ""


def test_it_never_names_a_closed_sections_session_as_an_faq_source(corpus, member, leader) -> None:
    assert hit_of(member, "評価者研修", "faq", corpus["f3"].pk).context == ""
    assert "評価面談のロールプレイ" in hit_of(leader, "評価者研修", "faq", corpus["f3"].pk).context
    assert "返礼品の選び方" in hit_of(member, "地場産品", "faq", corpus["f1"].pk).context
    assert ("faq", corpus["f3"].pk) not in found(member, "ロールプレイ")  # source not indexed


def test_it_shows_archived_programmes_and_their_episodes_only_to_staff(
    corpus, member, staff
) -> None:
    g2, ep2 = ("programme", corpus["g2"].pk), ("episode", corpus["ep2"].pk)
    assert not {g2, ep2} & (found(member, "窓口") | found(member, "ラジオ"))
    assert g2 in found(staff, "窓口改善") and ep2 in found(staff, "書かない窓口")
    assert hit_of(staff, "窓口改善", "programme", corpus["g2"].pk).flag == "アーカイブ"


def test_it_hides_a_programmes_episodes_as_soon_as_it_is_archived(corpus, member, staff) -> None:
    assert ("episode", corpus["ep1"].pk) in found(member, "ふるさと納税")
    do_archive_programme(corpus["g1"], actor=staff)
    assert not {("episode", corpus["ep1"].pk), ("programme", corpus["g1"].pk)} & (
        found(member, "ふるさと納税") | found(member, "庁内ラジオ")
    )
    assert ("episode", corpus["ep1"].pk) in found(staff, "ふるさと納税")


def test_it_finds_nothing_of_these_for_people_who_are_not_members(corpus, applicant) -> None:
    assert found(applicant, "ふるさと納税") == set()
    assert found(applicant, "人事評価") == set()


def test_it_never_indexes_venue_stream_archive_or_notice_urls_nor_stream_keys(
    corpus, staff
) -> None:
    for q in ("secret", "zoom", "stream", "soumu", "https", "example"):
        assert found(staff, q) == set(), q
    assert not Document.objects.filter(folded__contains="secret").exists()


def test_it_marks_cancelled_sessions_and_episodes_on_the_page(as_user, member, corpus) -> None:
    client = as_user(member)
    for q in ("電子契約", "年末調整"):
        html = client.get(URL, {"q": q}).content.decode()
        assert "1 件" in html and 'badge badge--bad">中止' in html, q
    html = client.get(URL, {"q": "避難所"}).content.decode()
    assert "中止" not in html
    assert reverse("events:detail", args=[corpus["e2"].pk]) in html


def test_it_links_each_kind_to_its_page(as_user, member, corpus) -> None:
    html = as_user(member).get(URL, {"q": "ふるさと納税"}).content.decode()
    assert reverse("knowledge:detail", args=[corpus["f1"].pk]) in html
    assert reverse("events:series", args=["s1"]) in html
    assert reverse("broadcasts:episode", args=[corpus["ep1"].pk]) in html
    html = as_user(member).get(URL, {"q": "庁内ラジオ"}).content.decode()
    assert reverse("broadcasts:programme", args=["asa"]) in html


# --- Filters ---------------------------------------------------------------------------------


def test_it_filters_by_the_new_kinds(corpus, member) -> None:
    expected = {"faq": "f1", "event": "e1", "series": "s1", "episode": "ep1"}
    for kind, key in expected.items():
        assert found(member, "ふるさと納税", kind=kind) == {(kind, corpus[key].pk)}, kind
    assert found(member, "ラジオ", kind="programme") == {("programme", corpus["g1"].pk)}


def test_it_offers_the_new_kinds_in_the_kind_filter(as_user, member) -> None:
    html = as_user(member).get(URL).content.decode()
    for value in ("faq", "event", "series", "programme", "episode"):
        assert f'value="{value}"' in html


def test_it_filters_sessions_by_their_organising_section(corpus, member) -> None:
    assert found(member, "避難所", section_id=corpus["bousai"].pk) == {("event", corpus["e2"].pk)}
    assert found(member, "ふるさと納税", section_id=corpus["bousai"].pk) == set()


def test_it_filters_by_each_kinds_natural_date(corpus, member) -> None:
    def on(day: int) -> set[tuple[str, int]]:
        return found(member, "返礼品", date_from=date(2026, 10, day), date_to=date(2026, 10, day))

    assert on(14) == {("event", corpus["e1"].pk), ("series", corpus["s1"].pk)}  # session start
    assert on(15) == {("faq", corpus["f1"].pk)}  # the entry's as-of date
    assert on(16) == {("episode", corpus["ep1"].pk)}  # the episode's start


def test_it_offers_published_faq_entries_while_a_question_is_written(
    as_user, member, staff, corpus
) -> None:
    params = {"title": "ふるさと納税の返礼品の基準を教えてください"}
    html = as_user(member).get(reverse("search:suggest"), params).content.decode()
    assert "ふるさと納税の返礼品に地場産品基準はありますか" in html
    draft = {"title": "マイナンバーカードの暗証番号を忘れたとき"}
    assert "暗証番号" not in as_user(staff).get(reverse("search:suggest"), draft).content.decode()


# --- Keeping the index current -----------------------------------------------------------------


def faq_data(**changes: Any) -> dict[str, Any]:
    data = {
        "question": "児童扶養手当の現況届の提出期限",
        "answer": "毎年8月31日までです。",
        "as_of": date(2026, 8, 1),
        "status": "published",
        "tags": ["ひとり親支援"],
        "duties": [],
        "source_event": None,
    }
    return {**data, **changes}


def test_it_indexes_an_faq_entry_with_its_tags_at_once_and_follows_edits(db, member, staff) -> None:
    entry = do_create_faq(data=faq_data(), actor=staff)
    assert found(member, "ひとり親支援") == {("faq", entry.pk)}
    do_edit_faq(entry, data=faq_data(status="draft"), expected_version=1, actor=staff)
    assert found(member, "現況届") == set()
    assert found(staff, "現況届") == {("faq", entry.pk)}


def test_it_follows_a_session_being_cancelled(corpus, member, staff) -> None:
    event = Event.objects.get(pk=corpus["e2"].pk)
    event.starts_at = timezone.now() + timedelta(days=3)
    event.ends_at = event.starts_at + timedelta(hours=1)
    event.save()
    do_cancel_event(event, reason="台風接近のため", actor=staff)
    assert found(member, "台風接近") == {("event", event.pk)}
    assert Document.objects.get(kind="event", object_id=event.pk).tag == "cancelled"


def test_it_indexes_the_sessions_a_new_series_generates_once_it_commits(
    db, member, staff, django_capture_on_commit_callbacks
) -> None:
    data = {
        "slug": "kosodate",
        "title": "子育て支援の定例会",
        "description": "保育所入所の調整について。",
        "organizer": "staff",
        "frequency": "weekly",
        "weekday": 3,
        "start_time": time(19, 0),
        "duration_minutes": 60,
        "starts_on": timezone.localdate(),
        "is_active": True,
        "venue_url": "https://zoom.example/j/secret",
    }
    with django_capture_on_commit_callbacks(execute=True):
        do_create_series(data=data, hosts=[], actor=staff)
    series = EventSeries.objects.get(slug="kosodate")
    sessions = set(series.events.values_list("pk", flat=True))
    assert sessions  # made with bulk_create, which sends no signals
    assert found(member, "保育所入所") == {("series", series.pk)} | {
        ("event", pk) for pk in sessions
    }


def test_it_catches_up_with_sessions_created_without_signals(db, member) -> None:
    catch_up(timezone.now())
    starts = datetime(2026, 11, 6, 19, 0, tzinfo=JST)
    Event.objects.bulk_create(
        [Event(title="窓口DXの勉強会", organizer="staff", starts_at=starts,
               ends_at=starts + timedelta(hours=1))]
    )  # fmt: skip
    assert found(member, "窓口dx") == set()
    counts = catch_up(timezone.now())
    assert counts["event"] == 1
    assert len(found(member, "窓口dx")) == 1


def test_it_rebuilds_each_new_kind_on_demand(corpus) -> None:
    Document.objects.all().delete()
    out = StringIO()
    for kind in ("faq", "event", "series", "programme", "episode"):
        call_command("reindex", "--kind", kind, stdout=out)
    text = out.getvalue()
    assert "faq: 3 documents" in text and "event: 4 documents" in text
    assert f"series: {EventSeries.objects.count()} documents" in text  # the 説明会 series too
    assert "programme: 2 documents" in text and "episode: 3 documents" in text
    assert not Document.objects.filter(kind="post").exists()


def test_it_reads_a_page_of_every_kind_in_a_fixed_number_of_queries(
    as_user, member, corpus, django_assert_max_num_queries
) -> None:
    client = as_user(member)
    client.get(URL, {"q": "ふるさと納税"})
    # session, user, FAQ writer check, count, ids, documents; then per kind on the page: FAQ
    # (writer check, entries, visible sources), sessions, series, episodes; the section filter
    with django_assert_max_num_queries(14):
        client.get(URL, {"q": "ふるさと納税"})
