"""The interface's periodic jobs: members' data exports."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.interface import export_worker


# The export rows are the truth: whatever the worker lost, the clock hands on.
@periodic("interface.sweep_data_exports", every=timedelta(minutes=1))
def sweep_data_exports(now: datetime) -> int:
    return export_worker.sweep_data_exports(now)


@periodic("interface.expire_data_exports", every=timedelta(hours=1))
def expire_data_exports(now: datetime) -> int:
    return export_worker.expire_data_exports(now)
