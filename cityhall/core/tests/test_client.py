import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from cityhall.core.client import client_ip
from cityhall.settings import _trusted_proxies


def address(remote="127.0.0.1", forwarded=None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.fixture
def nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    return settings


def test_it_uses_the_peer_address_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert address("127.0.0.1", "203.0.113.5") == "127.0.0.1"


def test_it_takes_the_client_from_a_trusted_proxy(nginx):
    assert address("127.0.0.1", "203.0.113.5") == "203.0.113.5"
    assert address("::1", "2001:db8::5") == "2001:db8::5"


def test_it_ignores_what_an_untrusted_peer_says(nginx):
    assert address("192.0.2.66", "203.0.113.5") == "192.0.2.66"


def test_it_takes_the_rightmost_address_that_is_not_a_trusted_proxy(nginx):
    # The client wrote the first entry itself; nginx appended the address it saw.
    assert address("127.0.0.1", "198.51.100.1, 203.0.113.5") == "203.0.113.5"
    # A load balancer of ours in between is skipped.
    assert address("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.1.2.3") == "203.0.113.5"


def test_it_uses_the_peer_when_every_hop_is_a_trusted_proxy(nginx):
    assert address("127.0.0.1", "10.1.2.3") == "127.0.0.1"
    assert address("127.0.0.1") == "127.0.0.1"


@pytest.mark.parametrize(
    "forwarded", ["", "garbage", "203.0.113.5:443", "203.0.113.5,,", "unknown"]
)
def test_it_falls_back_to_the_peer_for_a_malformed_header(nginx, forwarded):
    assert address("127.0.0.1", forwarded) == "127.0.0.1"


def test_it_says_unknown_without_a_peer_address(nginx):
    assert address("", "203.0.113.5") == "unknown"


def test_it_refuses_to_start_with_a_malformed_trusted_proxy():
    assert _trusted_proxies(["127.0.0.1", "10.0.0.0/8", "::1"]) == [
        "127.0.0.1",
        "10.0.0.0/8",
        "::1",
    ]
    with pytest.raises(ImproperlyConfigured, match="nginx"):
        _trusted_proxies(["nginx"])
