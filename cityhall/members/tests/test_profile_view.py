"""Who sees which profile, and which of its fields."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cityhall.core.tests.test_images import image_bytes
from cityhall.members.models import Visibility


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""


def fill(user, **visibility):
    """Give a profile every optional field (and a photo), with the visibility given."""
    from cityhall.members.models import Duty

    profile = user.profile
    profile.department = "子育て支援課"
    profile.title = "係長"
    profile.interests = "窓口DXに関心があります"
    profile.bio = "児童手当を担当して3年目です。"
    profile.visibility = visibility
    profile.photo.save("photo.jpg", ContentFile(image_bytes("JPEG", (64, 64))), save=False)
    profile.save()
    duty, _ = Duty.objects.get_or_create(name="児童手当")
    profile.duties.add(duty)
    return profile


def detail(user):
    return reverse("profiles:detail", args=[user.pk])


def photo(user):
    return reverse("profiles:photo", args=[user.pk])


def test_it_shows_a_members_profile_to_other_members(as_user, member, outsider):
    fill(outsider)
    response = as_user(member).get(detail(outsider))
    html = response.content.decode()
    assert response.status_code == 200
    expected = [
        "横浜 四郎",
        "ヤマダ ハナコ",
        "神奈川県 横浜市",
        "子育て支援課",
        "係長",
        "児童手当",
        "窓口DXに関心があります",
        "児童手当を担当して3年目です。",
        photo(outsider),
    ]
    for text in expected:
        assert text in html
    assert "会員には非公開" not in html


def test_it_hides_fields_limited_to_staff_from_other_members(as_user, member, outsider):
    fill(
        outsider,
        title=Visibility.STAFF,
        bio=Visibility.STAFF,
        duties=Visibility.STAFF,
        photo=Visibility.STAFF,
    )
    client = as_user(member)
    html = client.get(detail(outsider)).content.decode()
    assert "子育て支援課" in html  # still visible
    assert "係長" not in html
    assert "児童手当を担当して3年目です。" not in html
    assert "児童手当" not in html
    assert photo(outsider) not in html
    assert "avatar--placeholder" in html
    assert client.get(photo(outsider)).status_code == 404


def test_it_shows_the_owner_everything_and_marks_what_members_cannot_see(as_user, member):
    fill(member, bio=Visibility.STAFF, photo=Visibility.STAFF)
    client = as_user(member)
    html = client.get(detail(member)).content.decode()
    assert "児童手当を担当して3年目です。" in html
    assert html.count("会員には非公開</span>") == 2
    assert reverse("profiles:edit") in html
    response = client.get(photo(member))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    response.close()


def test_it_shows_staff_everything(as_user, staff, outsider):
    fill(outsider, title=Visibility.STAFF, bio=Visibility.STAFF, photo=Visibility.STAFF)
    client = as_user(staff)
    html = client.get(detail(outsider)).content.decode()
    assert "係長" in html
    assert "児童手当を担当して3年目です。" in html
    assert reverse("profiles:edit") not in html
    response = client.get(photo(outsider))
    assert response.status_code == 200
    response.close()


def test_it_serves_photos_privately_and_without_sniffing(as_user, member, outsider):
    fill(outsider)
    response = as_user(member).get(photo(outsider))
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    response.close()


def test_it_is_404_for_a_photo_that_does_not_exist(as_user, member, outsider):
    assert as_user(member).get(photo(outsider)).status_code == 404


@pytest.mark.parametrize("persona", ["applicant", "rejected", "suspended"])
def test_it_hides_people_who_are_not_members_from_members(as_user, member, persona, request):
    person = request.getfixturevalue(persona)
    fill(person)
    client = as_user(member)
    assert client.get(detail(person)).status_code == 404
    assert client.get(photo(person)).status_code == 404


@pytest.mark.parametrize("persona", ["applicant", "suspended"])
def test_it_shows_staff_the_profiles_of_non_members_with_their_status(
    as_user, staff, persona, request
):
    person = request.getfixturevalue(persona)
    html = as_user(staff).get(detail(person)).content.decode()
    assert person.get_status_display() in html


def test_it_is_404_for_an_unknown_person(as_user, member):
    assert as_user(member).get(reverse("profiles:detail", args=[999999])).status_code == 404


def test_it_keeps_profiles_from_applicants_and_visitors(client, as_user, applicant, member):
    response = client.get(detail(member))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.get(photo(member)).status_code == 302
    response = as_user(applicant).get(detail(member))
    assert response.status_code == 302
    assert "accounts/login" not in response["Location"]


def test_it_shows_hostile_html_in_a_bio_as_text(as_user, member, outsider):
    profile = outsider.profile
    profile.bio = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    profile.save()
    html = as_user(member).get(detail(outsider)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


def test_it_reads_a_profile_in_a_few_queries(
    as_user, member, outsider, django_assert_max_num_queries
):
    fill(outsider)
    client = as_user(member)
    with django_assert_max_num_queries(8):  # +2: their sections and latest posts
        assert client.get(detail(outsider)).status_code == 200
