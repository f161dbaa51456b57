import json

from django.urls import reverse

from cityhall import testing
from cityhall.sections.models import Section, SectionMembership


def test_it_gives_a_member_their_own_data_as_json(as_user, member, django_assert_max_num_queries):
    testing.make_application(member, status="approved", introduction="写真が好きです。")
    section = Section.objects.create(name="写真部", slug="photo", kind="social", purpose="写真")
    SectionMembership.objects.create(section=section, user=member, status="active")

    client = as_user(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:export"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["profile"]["organization"] == "北海道 猿払村"
    assert data["applications"][0]["introduction"] == "写真が好きです。"
    assert data["sections"][0]["section"] == "写真部"
    assert data["sessions"], "the session used for the download is listed"


def test_it_never_contains_another_members_data(as_user, member, outsider):
    data = json.loads(as_user(member).get(reverse("accounts:export")).content)
    assert outsider.email not in json.dumps(data, ensure_ascii=False)
