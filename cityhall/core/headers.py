"""Response headers every page carries."""

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

# Origins a page may frame. Empty here: an app that embeds outside players adds its allow-list
# from its AppConfig.ready() (broadcasts: the video players), so the list is kept in one place.
FRAME_SOURCES: list[str] = []


def allow_frames_from(origins: Iterable[str]) -> None:
    """Let pages frame these origins (`https://player.example.com`)."""
    FRAME_SOURCES.extend(origin for origin in origins if origin not in FRAME_SOURCES)


def _origin(url: str) -> str | None:
    """`https://host:port` of an absolute URL; None for a path on this site ('self' covers it)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def _socket_origins(request: HttpRequest) -> list[str]:
    """The site's own WebSocket origin (static/js builds it from location.host). 'self' covers
    it in current browsers; older ones need it spelled out. Over plain HTTP both schemes, in
    case TLS ends at a proxy that does not say so."""
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page for a bad Host header still gets a policy
        return []
    return [f"wss://{host}"] if request.is_secure() else [f"ws://{host}", f"wss://{host}"]


def content_security_policy(request: HttpRequest) -> str:
    """The policy for Django's pages: the site's own scripts and styles only, no inline code
    (behaviour lives in static/js), frames from the allowed video players only."""
    hls = [origin for origin in [_origin(settings.BROADCAST_HLS_URL)] if origin]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # hls.js plays through Media Source Extensions (blob: URLs) in a blob: worker.
        "media-src": ["'self'", "blob:", *hls],
        "connect-src": ["'self'", *_socket_origins(request), *hls],
        "worker-src": ["'self'", "blob:"],
        "frame-src": FRAME_SOURCES or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none of its own (uploaded files keep their
    sandbox policy). Placed near the top of MIDDLEWARE, so that answers given by middleware
    further down (400 for a bad Host, 413, 503) carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if settings.DEBUG and response.status_code in (404, 500):
            # Django's debug pages (DEBUG only) are built with inline styles and scripts.
            return response
        response["Content-Security-Policy"] = content_security_policy(request)
        return response


class PrivacyHeadersMiddleware:
    """Members' content is never indexed, and pages never leak their URL to other sites."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("X-Robots-Tag", "noindex, nofollow, noarchive")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response
