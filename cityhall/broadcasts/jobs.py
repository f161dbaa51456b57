"""The broadcasts app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.broadcasts.actions import do_announce_live_episodes
from cityhall.lib.periodic import periodic


@periodic("broadcasts.announce_live", every=timedelta(minutes=1))
def announce_live(now: datetime) -> int:
    return do_announce_live_episodes(now)
