"""Signed links: what read_link tells apart, and that tokens keep django.core.signing's format
(links mailed before a change of this code still open after it)."""

from unittest import mock

import pytest
from django.core import signing

from cityhall.core.signing import LinkExpired, LinkInvalid, read_link, sign_link

SALT = "cityhall.tests.link"


def test_a_link_reads_back_its_data():
    assert read_link(sign_link({"u": 7}, salt=SALT), salt=SALT, max_age=60) == {"u": 7}


def test_tokens_are_django_signing_tokens_both_ways():
    made_by_django = signing.dumps({"u": 7}, salt=SALT)
    assert read_link(made_by_django, salt=SALT, max_age=60) == {"u": 7}
    assert signing.loads(sign_link({"u": 7}, salt=SALT), salt=SALT) == {"u": 7}


def test_an_old_link_is_expired_and_still_says_what_it_carried():
    with mock.patch("django.core.signing.time.time", return_value=1_000_000):
        token = sign_link({"u": 7}, salt=SALT)
    with pytest.raises(LinkExpired) as caught:
        read_link(token, salt=SALT, max_age=60)
    assert caught.value.data == {"u": 7}


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        sign_link({"u": 7}, salt="another.purpose"),
        sign_link({"u": 7}, salt=SALT)[:-2],
        signing.dumps([7], salt=SALT),  # signed, but not a link's data
    ],
    ids=["nonsense", "another purpose", "cut short", "not a dict"],
)
def test_anything_else_is_invalid_and_not_expired(token):
    with pytest.raises(LinkInvalid) as caught:
        read_link(token, salt=SALT, max_age=60)
    assert not isinstance(caught.value, LinkExpired)
