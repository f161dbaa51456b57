"""Steps that can be undone go ahead without a confirmation; destructive ones still ask."""

import re

from django.urls import reverse

from cityhall import testing


def test_it_approves_without_asking_first(client, staff, applicant):
    testing.sign_in(client, staff)
    application = applicant.applications.get()
    html = client.get(reverse("staff_applications:detail", args=[application.pk])).content.decode()
    approve = re.search(r"<button[^>]*>承認する</button>", html)
    assert approve and "data-confirm" not in approve.group(0)
    reject = re.search(r"<button[^>]*>不承認にする", html)
    assert reject and "data-confirm" in reject.group(0)
