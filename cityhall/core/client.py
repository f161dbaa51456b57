"""Who sent a request: the client's address, seen through the reverse proxies we trust."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"  # no REMOTE_ADDR, or not an IP address (a Unix socket)


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks ("127.0.0.1" is a network of one); ValueError if malformed."""
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The address limits and the sessions page use for this request.

    REMOTE_ADDR, unless it is one of TRUSTED_PROXIES: then the rightmost X-Forwarded-For entry
    that is not itself a trusted proxy. Entries to its left were written by the client and can
    say anything. A malformed header falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    remote_address = _address(remote)
    if remote_address is None:
        return UNKNOWN
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _trusted(remote_address):
        return str(remote_address)
    for entry in reversed(forwarded.split(",")):
        address = _address(entry)
        if address is None:
            return str(remote_address)
        if not _trusted(address):
            return str(address)
    return str(remote_address)  # every hop is one of ours: the request started at a proxy
