"""What the member start page shows: the newcomer's remaining steps, then the feed."""

from typing import Any

from cityhall.feed.queries import feed_page
from cityhall.members import onboarding


def home_context(user: Any) -> dict[str, Any]:
    steps = [row for row in onboarding.checklist_for(user) if row.state == "todo"]
    return {"checklist": steps, "feed": feed_page(user)}
