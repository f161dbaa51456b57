"""What the member start page shows: the newcomer's checklist while steps remain, then the feed."""

from typing import Any

from cityhall.accounts.models import User
from cityhall.feed.queries import feed_page
from cityhall.members import onboarding


def home_context(user: User) -> dict[str, Any]:
    return {"checklist": onboarding.unfinished_checklist_for(user), "feed": feed_page(user)}
