"""The question form before a study session: the big box is the question and required, the
one-line headline is optional, and our own Japanese messages show (the browser's are off)."""

import re

from django.urls import reverse

from cityhall.events.models import AgendaItem


def agenda_url(event):
    return reverse("events:agenda", args=[event.pk])


def test_it_requires_the_question_not_the_headline(as_user, member, event):
    client = as_user(member)
    response = client.post(agenda_url(event), {"title": "見出しだけ", "detail": ""})
    assert response.status_code == 400
    assert "聞きたいことを入力してください。" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_it_takes_a_question_without_a_headline(as_user, member, event):
    question = (
        "転出者の接種券の扱いはどうしていますか。\n"
        "当市では転出先に連絡していますが、負担が大きいです。"
    )
    response = as_user(member).post(agenda_url(event), {"title": "", "detail": question})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.title == "転出者の接種券の扱いはどうしていますか。"
    assert item.detail == question


def test_it_uses_a_one_line_question_as_its_own_headline(as_user, member, event):
    as_user(member).post(agenda_url(event), {"detail": "予約システムの比較を聞きたい"})
    item = AgendaItem.objects.get()
    assert (item.title, item.detail) == ("予約システムの比較を聞きたい", "")


def test_it_offers_the_big_box_first_and_leaves_validation_to_us(as_user, member, event):
    html = as_user(member).get(agenda_url(event)).content.decode()
    form = re.search(r"<form method=\"post\" class=\"stack card\"[^>]*>", html)
    assert form and "novalidate" in form.group(0)
    assert re.search(r"<textarea[^>]*name=\"detail\"[^>]*required", html)
    title = re.search(r"<input[^>]*name=\"title\"[^>]*>", html)
    assert title and "required" not in title.group(0)
    assert html.index('name="detail"') < html.index('name="title"')
