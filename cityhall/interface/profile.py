"""What a profile shows of a member's activity: their sections and their latest posts."""

from typing import Any

from cityhall.accounts.models import User
from cityhall.directory.access import membership_visible
from cityhall.posts.models import Post
from cityhall.sections.models import SectionMembership

RECENT_POSTS = 5


def profile_activity(viewer: User, person: User) -> dict[str, Any]:
    """The person's active sections whose membership the viewer may see (a closed section's
    only to its members and staff), and their latest posts the viewer may read. Two queries."""
    memberships = list(
        SectionMembership.objects.of(person)
        .active()
        .filter(section__archived_at=None)
        .filter(membership_visible(viewer, prefix="section__"))
        .select_related("section")
        .order_by("section__kind", "section__name")
    )
    posts = list(
        Post.objects.visible_to(viewer)
        .alive()
        .filter(author_id=person.pk)
        .select_related("section")
        .defer("body", "case_what", "case_outcome")
        .order_by("-created_at", "-id")[:RECENT_POSTS]
    )
    return {"member_sections": memberships, "recent_posts": posts}
