"""Small feeds other pages show (the section page's latest posts)."""

from cityhall.posts.models import Post
from cityhall.sections.models import Section

LATEST = 5


def latest_posts(section: Section) -> list[Post]:
    """The newest activity in a section; the caller has checked the viewer may read it."""
    return list(Post.objects.alive().filter(section=section).for_list()[:LATEST])
