"""The application form sent twice creates one application (see also test_apply); pages
without a key still work, and a malformed key is answered on the form."""

import pytest
from django.urls import reverse

from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import survey

APPLY = reverse("members:apply")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(APPLY, data)

    return post


def test_it_accepts_an_application_sent_without_a_key(post, db):
    response = post(survey(submission_key=None))
    assert response.url == reverse("members:sent")
    application = MembershipApplication.objects.get()
    assert application.submission_key is not None


def test_it_refuses_a_malformed_key_on_the_form_with_a_fresh_one(post, db):
    response = post(survey(submission_key="nonsense"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "送信キーが正しくない" in html
    assert 'value="nonsense"' not in html and 'name="submission_key"' in html
    assert "hanako@vill.sarufutsu.lg.jp" in html  # what was typed is kept
    assert not MembershipApplication.objects.exists()
