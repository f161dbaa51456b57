"""The periodic catch-up: whatever reached the sources without a signal (QuerySet.update,
bulk_create, a failed indexing) is indexed within ten minutes."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.search.index import catch_up


@periodic("search.catch_up", every=timedelta(minutes=10))
def search_catch_up(now: datetime) -> dict[str, int]:
    return catch_up(now)
