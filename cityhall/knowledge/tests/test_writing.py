import pytest
from django.urls import reverse

from cityhall.audit.models import AuditEntry
from cityhall.knowledge.actions import EditConflict, do_edit_faq
from cityhall.knowledge.models import FaqEntry, Tag
from cityhall.knowledge.tests.conftest import days_ago, entry_data, form_data, make_entry


def test_it_creates_an_entry_from_the_form(as_user, writer, vaccination):
    response = as_user(writer).post(
        reverse("knowledge:new"),
        form_data(
            duties=[vaccination.pk],
            notice_title="新型コロナワクチン接種の実施について",
            notice_issuer="厚生労働省健康局",
            notice_date="2021-02-16",
            notice_url="https://www.mhlw.go.jp/content/000739000.pdf",
            source_note="情報交換会 第2回",
        ),
    )
    entry = FaqEntry.objects.get()
    assert response.url == reverse("knowledge:detail", args=[entry.pk])
    assert entry.author == writer and entry.is_published and entry.published_at
    assert list(entry.duties.all()) == [vaccination]
    assert sorted(t.name for t in entry.tags.all()) == ["コールセンター", "予約システム"]
    assert entry.notice_issuer == "厚生労働省健康局"
    assert entry.revisions.get().version == 1
    assert AuditEntry.objects.filter(action="knowledge.entry.published").exists()


def test_it_normalises_tags_to_one_spelling(staff):
    first = make_entry(staff, tags=["Ｖ－ＳＹＳ", " V-SYS ", "　接種券"])
    make_entry(staff, question="別の質問", tags=["V-SYS", "接種券"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["V-SYS", "接種券"]
    assert first.tags.count() == 2


def test_it_splits_typed_tags_on_commas(as_user, staff):
    typed = "接種券，副反応、接種券,\n会場運営"
    as_user(staff).post(reverse("knowledge:new"), form_data(tags=typed))
    assert sorted(t.name for t in FaqEntry.objects.get().tags.all()) == [
        "会場運営", "副反応", "接種券",
    ]  # fmt: skip


def test_it_explains_missing_fields_in_japanese_and_keeps_the_text(as_user, staff):
    response = as_user(staff).post(
        reverse("knowledge:new"),
        form_data(question="", answer="残しておきたい回答", as_of="", tags="接種券"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "質問を入力してください。" in page
    assert "情報の時点を入力してください。" in page
    assert "残しておきたい回答" in page and 'value="接種券"' in page
    assert not FaqEntry.objects.exists()


def test_it_explains_oversized_fields_and_keeps_the_text(as_user, staff):
    long_question = "長" * 201
    response = as_user(staff).post(
        reverse("knowledge:new"), form_data(question=long_question, tags="タ" * 31)
    )
    page = response.content.decode()
    assert "200文字以内で入力してください（現在201文字）。" in page
    assert "タグは1つ30文字以内にしてください" in page
    assert long_question in page
    assert not FaqEntry.objects.exists()


def test_it_refuses_bad_dates_urls_and_too_many_tags(as_user, staff):
    response = as_user(staff).post(
        reverse("knowledge:new"),
        form_data(
            as_of="2099-01-01",
            notice_url="javascript:alert(1)",
            notice_issuer="厚生労働省",
            tags="、".join(f"タグ{i}" for i in range(11)),
        ),
    )
    page = response.content.decode()
    assert "情報の時点に未来の日付は指定できません。" in page
    assert "URLは https:// から始まる形で入力してください。" in page
    assert "通知の件名を入力してください。" in page
    assert "タグは10個までです。" in page
    assert not FaqEntry.objects.exists()


def test_it_previews_without_saving(as_user, staff):
    response = as_user(staff).post(
        reverse("knowledge:new"), form_data(answer="**太字**", preview="1")
    )
    assert "<strong>太字</strong>" in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_it_keeps_every_version_and_shows_the_history(as_user, staff, writer):
    entry = make_entry(writer)
    client = as_user(staff)
    edit = reverse("knowledge:edit", args=[entry.pk])
    client.post(edit, form_data(version=1, question=entry.question, answer="第2版の回答"))
    client.post(edit, form_data(version=2, question=entry.question, answer="第3版の回答"))
    entry.refresh_from_db()
    assert entry.version == 3 and entry.answer == "第3版の回答"
    assert entry.updated_by == staff and list(entry.editors.all()) == [staff]
    assert list(entry.revisions.order_by("version").values_list("version", flat=True)) == [1, 2, 3]
    page = client.get(reverse("knowledge:history", args=[entry.pk])).content.decode()
    assert "第3版" in page and "第2版の回答" in page and "最初の版" in page
    assert "変更した項目：" in page and "回答" in page


def test_it_does_not_make_a_version_when_nothing_changed(staff):
    entry = make_entry(staff)
    data = entry_data(question=entry.question, answer=entry.answer, as_of=entry.as_of)
    do_edit_faq(entry, data=data, expected_version=1, actor=staff)
    entry.refresh_from_db()
    assert entry.version == 1 and entry.revisions.count() == 1


def test_it_refuses_a_save_based_on_an_old_version(staff, writer):
    entry = make_entry(staff)
    do_edit_faq(entry, data=entry_data(answer="先に保存"), expected_version=1, actor=writer)
    with pytest.raises(EditConflict):
        do_edit_faq(entry, data=entry_data(answer="後から保存"), expected_version=1, actor=staff)
    entry.refresh_from_db()
    assert entry.answer == "先に保存" and entry.version == 2


def test_it_tells_the_second_editor_and_keeps_their_text(as_user, staff, writer):
    entry = make_entry(staff)
    edit = reverse("knowledge:edit", args=[entry.pk])
    # Both open the edit page at version 1; the leader saves first.
    do_edit_faq(entry, data=entry_data(answer="課長の回答"), expected_version=1, actor=writer)
    response = as_user(staff).post(edit, form_data(version=1, answer="運営の回答"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "課長 花子さんが更新しました" in page
    assert "運営の回答" in page  # what was typed
    assert "課長の回答" in page  # what is stored now, to compare
    entry.refresh_from_db()
    assert entry.answer == "課長の回答"
    # Saving again after reading the latest version is deliberate, and goes through.
    assert 'name="version" value="2"' in page
    as_user(staff).post(edit, form_data(version=2, answer="運営の回答"))
    entry.refresh_from_db()
    assert entry.answer == "運営の回答" and entry.version == 3


def test_it_records_unpublishing(staff):
    entry = make_entry(staff)
    do_edit_faq(entry, data=entry_data(status="draft"), expected_version=1, actor=staff)
    assert AuditEntry.objects.filter(action="knowledge.entry.unpublished").exists()


def test_it_fills_the_edit_form_with_the_stored_entry(as_user, staff, vaccination):
    entry = make_entry(staff, duties=[vaccination], as_of=days_ago(10), tags=["接種券", "副反応"])
    page = as_user(staff).get(reverse("knowledge:edit", args=[entry.pk])).content.decode()
    assert entry.question in page
    assert "接種券、副反応" in page or "副反応、接種券" in page
    assert days_ago(10).isoformat() in page
