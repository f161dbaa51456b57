"""The feed's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.feed.actions import do_prune_reads
from cityhall.lib.periodic import periodic


@periodic("feed.prune_reads", every=timedelta(days=1))
def prune_reads(now: datetime) -> int:
    return do_prune_reads(now=now)
