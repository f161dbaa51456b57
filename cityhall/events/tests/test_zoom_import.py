from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.events.models import Attendance, Registration
from cityhall.events.tests.conftest import make_event
from cityhall.events.zoom_report import MAX_ROWS, ReportError, parse

JA_HEADER = "名前（元の名前）,ユーザーのメール,参加時刻,退出時刻,期間（分）,ゲスト\r\n"
EN_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"


def ja_row(name, email="", join="2026/11/29 20:58:03", leave="2026/11/29 22:30:00", mins="92"):
    return f"{name},{email},{join},{leave},{mins},いいえ\r\n"


@pytest.fixture
def held(member, outsider):
    event = make_event(starts_in=-timedelta(hours=3))
    for user in (member, outsider):
        Registration.objects.create(event=event, user=user, status="confirmed", position=1)
    return event


def upload(client, event, content, name="participants.csv"):
    return client.post(
        reverse("events:attendance_import", args=[event.pk]),
        {"report": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def confirm(client, event, data=None):
    url = reverse("events:attendance_import_confirm", args=[event.pk])
    return client.post(url, {"confirm": "1", **(data or {})})


def test_it_reads_a_japanese_report_in_utf8_with_bom_and_matches_by_email_then_name(
    as_user, staff, held, member, outsider
):
    text = (
        JA_HEADER
        + ja_row("新家一郎 (猿払村)", "MEMBER@vill.sarufutsu.lg.jp", mins="30")
        + ja_row("新家一郎 (猿払村)", "member@vill.sarufutsu.lg.jp", join="2026/11/29 21:40:00")
        + ja_row("横浜　四郎")  # full-width space, no email: matched by name among registrants
        + ja_row("どなたか", "nobody@example.jp")
    )
    client = as_user(staff)
    response = upload(client, held, ("\ufeff" + text).encode("utf-8"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "照合できた人: 2 名、照合できなかった人: 1 名" in html and "どなたか" in html
    assert not Attendance.objects.exists()  # nothing saved before confirmation
    response = confirm(client, held)
    assert response.status_code == 302
    rows = {a.user_id: a for a in Attendance.objects.filter(event=held)}
    assert set(rows) == {member.pk, outsider.pk}
    assert rows[member.pk].minutes == 122 and rows[member.pk].source == "report"
    assert AuditEntry.objects.filter(action="events.attendance.imported").count() == 1


def test_it_reads_an_english_report_in_shift_jis_after_the_meeting_lines(as_user, staff, held):
    text = (
        "Meeting ID,Topic,Start Time\r\n123 456 789,ワクチン,11/29/2026 08:55:00 PM\r\n\r\n"
        + EN_HEADER
        + "横浜 四郎,,11/29/2026 09:00:00 PM,11/29/2026 10:30:00 PM,90,No\r\n"
    )
    client = as_user(staff)
    response = upload(client, held, text.encode("cp932"))
    assert "照合できた人: 1 名" in response.content.decode()
    confirm(client, held)
    assert Attendance.objects.get().minutes == 90


def test_it_saves_unmatched_rows_only_as_the_host_resolves_them(
    as_user, staff, held, member, outsider
):
    third = testing.make_user("third@city.example.lg.jp", family_name="三田", given_name="次郎")
    text = JA_HEADER + ja_row("しんや") + ja_row("ゲスト") + ja_row("三田さん")
    client = as_user(staff)
    upload(client, held, text.encode("utf-8"))
    response = confirm(client, held, {"pick_0": str(member.pk), "email_2": "nobody@example.jp"})
    assert response.status_code == 400
    assert "nobody@example.jp の会員が見つかりません" in response.content.decode()
    assert not Attendance.objects.exists()
    confirm(client, held, {"pick_0": str(member.pk), "email_2": "THIRD@city.example.lg.jp"})
    assert set(Attendance.objects.values_list("user", flat=True)) == {member.pk, third.pk}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name,Email\r\nfoo,bar\r\n", "必要な列がありません: 参加時刻、退出時刻"),
        (b"a,b,c\r\n1,2,3\r\n", "見出し行が見つかりません"),
        (b"\xff\xfe\x00\x00garbage\x80\x81", "文字コードを読み取れませんでした"),
        (
            (JA_HEADER + ja_row("A") + ja_row("B", join="昨日の夜")).encode(),
            "3行目: 参加時刻「昨日の夜」を日時として読み取れません",
        ),
        (
            (JA_HEADER + ja_row("A", leave="2026/11/29 20:00:00")).encode(),
            "2行目: 退出時刻が参加時刻より前です",
        ),
        ((JA_HEADER + ja_row("A", mins="たくさん")).encode(), "2行目: 期間（分）「たくさん」"),
        (JA_HEADER.encode(), "参加者の行がありません"),
    ],
)
def test_it_refuses_a_malformed_report_with_the_row_and_reason(
    as_user, staff, held, content, message
):
    response = upload(as_user(staff), held, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_refuses_files_too_big_or_too_long():
    with pytest.raises(ReportError, match="2MBまで"):
        parse(b"x" * (2 * 1024 * 1024 + 1))
    rows = "".join(ja_row(f"人{i}", f"p{i}@example.jp") for i in range(MAX_ROWS + 1))
    with pytest.raises(ReportError) as error:
        parse((JA_HEADER + rows).encode())
    assert error.value.row == MAX_ROWS + 2 and "5000行まで" in str(error.value)


def test_it_imports_nothing_when_the_confirmation_fails(as_user, staff, held, member):
    """One transaction: a member suspended between upload and confirmation stops the lot."""
    text = JA_HEADER + ja_row("新家 一郎", member.email) + ja_row("横浜 四郎")
    client = as_user(staff)
    upload(client, held, text.encode())
    type(member).objects.filter(pk=member.pk).update(status="suspended")
    response = confirm(client, held)
    assert response.status_code == 400
    assert "会員ではない人が含まれています" in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_keeps_the_import_for_those_who_manage_the_session(as_user, member, held):
    text = JA_HEADER + ja_row("新家 一郎", member.email)
    assert upload(as_user(member), held, text.encode()).status_code == 404
    assert confirm(as_user(member), held).status_code == 404
