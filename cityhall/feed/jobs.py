"""The feed's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.feed.actions import do_prune_reads


@periodic("feed.prune_reads", every=timedelta(days=1))
def prune_reads(now: datetime) -> int:
    return do_prune_reads(now=now)
