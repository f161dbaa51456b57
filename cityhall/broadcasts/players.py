"""The outside video players an episode page may frame.

PLAYER_ORIGINS is the one allow-list: player_embed() only ever answers an address on one of
these origins, and the site's Content-Security-Policy lets pages frame exactly these (frame-src,
registered in BroadcastsConfig.ready()). To add a service, add its player's origin here and teach
player_embed() its stream URLs; the policy follows.
"""

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"
VIMEO_PLAYER = "https://player.vimeo.com"
PLAYER_ORIGINS = (YOUTUBE_PLAYER, VIMEO_PLAYER)

VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def player_embed(url: str) -> str:
    """An embeddable player address for the services that offer one, else empty (the page
    then links to the stream instead of framing an arbitrary site)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in {"www.youtube.com", "youtube.com", "m.youtube.com"}:
        video = parse_qs(parts.query).get("v", [""])[0]
        if not video and parts.path.startswith("/live/"):
            video = parts.path.removeprefix("/live/")
    elif host == "youtu.be":
        video = parts.path.strip("/")
    else:
        video = ""
    if video:
        return f"{YOUTUBE_PLAYER}/embed/{video}" if VIDEO_ID.fullmatch(video) else ""
    if host in {"vimeo.com", "www.vimeo.com"} and parts.path.strip("/").isdigit():
        return f"{VIMEO_PLAYER}/video/{parts.path.strip('/')}"
    return ""
