"""The accounts app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.accounts.deletion_actions import do_erase_due_accounts
from cityhall.core.periodic import periodic


@periodic("accounts.erase_deleted_accounts", every=timedelta(hours=1))
def erase_deleted_accounts(now: datetime) -> int:
    return do_erase_due_accounts(now)
