"""Members edit their own profile: names, organisation, optional fields, visibility, photo."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.core.tests.test_images import gps_exif, image_bytes
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS, Duty, Visibility

EDIT = reverse("profiles:edit")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""


@pytest.fixture
def duties(db):
    return [
        Duty.objects.get_or_create(name=name, defaults={"is_active": True})[0]
        for name in ("児童手当", "防災")
    ]


def form_data(user, **changes):
    profile = user.profile
    org = profile.organization
    data = {
        "family_name": user.family_name,
        "given_name": user.given_name,
        "family_name_kana": user.family_name_kana,
        "given_name_kana": user.given_name_kana,
        "organization": org.pk,
        "organization_text": org.display_name,
        "department": profile.department,
        "title": profile.title,
        "interests": profile.interests,
        "bio": profile.bio,
        **{f"visibility_{f}": Visibility.MEMBERS for f in OPTIONAL_PROFILE_FIELDS},
    }
    data.update(changes)
    return data


def jpeg_upload(**kwargs):
    return SimpleUploadedFile(
        "me.jpg", image_bytes("JPEG", (1200, 900), **kwargs), content_type="image/jpeg"
    )


def test_it_shows_the_form_with_the_current_values(as_user, member):
    html = as_user(member).get(EDIT).content.decode()
    assert 'value="新家"' in html
    assert 'value="企画政策課"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "「自己紹介」の公開範囲" in html


def test_it_saves_the_profile(as_user, member, duties):
    client = as_user(member)
    data = form_data(
        member,
        department="子育て支援課",
        title="係長",
        bio="よろしくお願いします。",
        interests="窓口DX",
        duties=[duties[0].pk],
        visibility_bio=Visibility.STAFF,
    )
    response = client.post(EDIT, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:detail", args=[member.pk])
    member.refresh_from_db()
    profile = member.profile
    profile.refresh_from_db()
    assert (profile.department, profile.title, profile.bio) == (
        "子育て支援課",
        "係長",
        "よろしくお願いします。",
    )
    assert list(profile.duties.all()) == [duties[0]]
    assert profile.visibility_of("bio") == Visibility.STAFF
    assert profile.visibility_of("title") == Visibility.MEMBERS
    assert not AuditEntry.objects.exists()  # nothing identity-related changed


def test_it_stores_kana_as_katakana_and_audits_a_change_of_name(as_user, member):
    data = form_data(
        member, given_name="一朗", family_name_kana="あらや", given_name_kana="いちろう"
    )
    assert as_user(member).post(EDIT, data).status_code == 302
    member.refresh_from_db()
    assert member.full_name == "新家 一朗"
    assert member.full_name_kana == "アラヤ イチロウ"
    entry = AuditEntry.objects.get()
    assert entry.action == "members.profile.identity_changed"
    assert entry.data["before"]["name"] == "新家 一郎（ヤマダ ハナコ）"
    assert entry.data["after"]["name"] == "新家 一朗（アラヤ イチロウ）"


def test_it_refuses_a_kana_reading_in_other_scripts(as_user, member):
    response = as_user(member).post(EDIT, form_data(member, family_name_kana="Araya"))
    assert response.status_code == 200
    assert "カタカナまたはひらがなで入力してください。" in response.content.decode()


def test_it_audits_a_change_of_organisation(as_user, member):
    yokohama = testing.organization("141003")
    response = as_user(member).post(
        EDIT, form_data(member, organization=yokohama.pk, organization_text=yokohama.display_name)
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert member.profile.organization == yokohama
    entry = AuditEntry.objects.get()
    assert entry.action == "members.profile.identity_changed"
    assert entry.subject_user == member
    assert entry.data["before"]["organization"] == "北海道 猿払村"
    assert entry.data["after"]["organization"] == "神奈川県 横浜市"


def test_it_stores_a_clean_photo(as_user, member, settings):
    client = as_user(member)
    response = client.post(EDIT, {**form_data(member), "photo": jpeg_upload(exif=gps_exif())})
    assert response.status_code == 302
    member.profile.refresh_from_db()
    photo = member.profile.photo
    assert photo.name.startswith(f"photos/{member.pk}/") and photo.name.endswith(".jpg")
    with photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.size == (512, 384)
    assert not image.getexif()


def test_it_replaces_and_removes_photos_and_deletes_the_old_files(
    as_user, member, django_capture_on_commit_callbacks
):
    client = as_user(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT, {**form_data(member), "photo": jpeg_upload()})
    member.profile.refresh_from_db()
    first = member.profile.photo.name
    storage = member.profile.photo.storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT, {**form_data(member), "photo": jpeg_upload(color=(0, 0, 255))})
    member.profile.refresh_from_db()
    second = member.profile.photo.name
    assert second != first
    assert storage.exists(second) and not storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(EDIT, {**form_data(member), "remove_photo": "on"})
    member.profile.refresh_from_db()
    assert not member.profile.photo
    assert not storage.exists(second)


def test_it_keeps_everything_typed_when_the_photo_is_refused(as_user, member):
    member.profile.photo.save("old.jpg", ContentFile(image_bytes("JPEG", (32, 32))))
    old = member.profile.photo.name
    fake = SimpleUploadedFile("me.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    data = {**form_data(member, department="危機管理課", bio="新しい自己紹介です。"), "photo": fake}
    response = as_user(member).post(EDIT, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "画像ファイル（JPEG・PNG・WebP）を選んでください" in html
    assert "写真をもう一度選んでください" in html
    assert 'value="危機管理課"' in html
    assert "新しい自己紹介です。" in html
    member.profile.refresh_from_db()
    assert member.profile.department == "企画政策課"  # nothing saved
    assert member.profile.photo.name == old


def test_it_shows_hostile_html_from_the_form_escaped(as_user, member):
    client = as_user(member)
    hostile = '<script>alert(1)</script>"><b onmouseover=alert(2)>'
    client.post(EDIT, form_data(member, bio=hostile, department=hostile))
    html = client.get(reverse("profiles:detail", args=[member.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_keeps_retired_duties_a_member_already_has(as_user, member, duties):
    retired = Duty.objects.create(name="旧制度", is_active=False)
    member.profile.duties.add(retired)
    html = as_user(member).get(EDIT).content.decode()
    assert "旧制度" in html
    assert "防災" in html


def test_it_lets_only_members_edit(client, as_user, applicant):
    assert client.get(EDIT).status_code == 302
    response = as_user(applicant).get(EDIT)
    assert response.status_code == 302
    assert "accounts/login" not in response["Location"]
