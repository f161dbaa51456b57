"""Each search form is a named landmark, and the header's search and the page's own search are
told apart by their names (screen readers list landmarks by name)."""

import re

import pytest
from django.urls import reverse

from cityhall import testing

SEARCH_FORM = re.compile(r"<form[^>]*role=\"search\"[^>]*>")
LABEL = re.compile(r"aria-label=\"([^\"]+)\"")


def search_landmarks(html: str) -> list[str]:
    names = []
    for form in SEARCH_FORM.findall(html):
        label = LABEL.search(form)
        names.append(label.group(1) if label else "")
    return names


@pytest.mark.parametrize(
    "url", ["search:results", "knowledge:list", "directory:search"], ids=lambda name: name
)
def test_it_names_the_header_and_page_searches_apart(client, member, url):
    testing.sign_in(client, member)
    names = search_landmarks(client.get(reverse(url), {"q": "防災"}).content.decode())
    assert len(names) == 2
    assert all(names)
    assert len(set(names)) == 2
    assert "サイト全体を検索" in names


def test_it_names_the_staff_searches(client, staff):
    testing.sign_in(client, staff)
    for url in ("staff_members:list", "staff_applications:list"):
        names = search_landmarks(client.get(reverse(url)).content.decode())
        assert all(names) and len(set(names)) == len(names) >= 2, url
