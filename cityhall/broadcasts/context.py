"""The "on air now" banner every member's page carries."""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from cityhall.broadcasts.models import Episode

CACHE_KEY = "broadcasts:on_air"
CACHE_SECONDS = 30  # an episode's banner appears within half a minute of its start


def on_air(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_member", False):
        return {}
    episodes = cache.get(CACHE_KEY)
    if episodes is None:
        episodes = [
            {"id": e.pk, "title": e.title, "programme": e.programme.title}
            for e in Episode.objects.on_air()
            .filter(programme__archived_at=None)
            .select_related("programme")[:3]
        ]
        cache.set(CACHE_KEY, episodes, CACHE_SECONDS)
    return {"on_air_episodes": episodes}
