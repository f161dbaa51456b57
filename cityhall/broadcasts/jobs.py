"""The broadcasts app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.broadcasts import live
from cityhall.broadcasts.actions import do_announce_live_episodes
from cityhall.broadcasts.models import Episode
from cityhall.core.periodic import periodic


@periodic("broadcasts.announce_live", every=timedelta(minutes=1))
def announce_live(now: datetime) -> int:
    return do_announce_live_episodes(now)


@periodic("broadcasts.save_peaks", every=timedelta(minutes=1))
def save_peaks(now: datetime) -> int:
    """Peak viewers of the episodes on air or ended in the last hour, from the cache."""
    recent = Episode.objects.filter(starts_at__lte=now, ends_at__gte=now - timedelta(hours=1))
    return live.save_peaks(list(recent.values_list("pk", flat=True)))
