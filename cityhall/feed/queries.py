"""The home feed: the lobby, the member's sections and announcements, newest activity first.

Each source is read newest-first through its own index (posts_feed_idx for the lobby and each
section, posts_kind_feed_idx for announcements), one page deep, and the page is the newest of
those few rows: the cost stays flat at a million posts, and paging uses a cursor, never OFFSET.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.feed.reads import mark_unread
from cityhall.posts.models import Post, PostQuerySet
from cityhall.sections.models import SectionMembership

PER_PAGE = 20
PINNED_MAX = 5


@dataclass
class FeedPage:
    posts: list[Post]
    pinned: list[Post] = field(default_factory=list)
    next_query: str = ""  # "?before=…" for the next page, "" on the last one
    is_first_page: bool = True
    has_sections: bool = False


def parse_cursor(raw: str) -> tuple[datetime, int] | None:
    stamp, _sep, pk = raw.rpartition("|")
    try:
        when = datetime.fromisoformat(stamp)
        return (when, int(pk)) if when.tzinfo is not None else None
    except ValueError:
        return None


def cursor_query(stamp: datetime, pk: int) -> str:
    return "?" + urlencode({"before": f"{stamp.isoformat()}|{pk}"})


def older_than(stamp: datetime, pk: int, field_name: str) -> Q:
    return Q(**{f"{field_name}__lt": stamp}) | Q(**{field_name: stamp, "id__lt": pk})


def active_section_ids(user: User) -> list[int]:
    return list(SectionMembership.objects.of(user).active().values_list("section_id", flat=True))


def feed_page(user: User, before: str = "", *, per_page: int = PER_PAGE) -> FeedPage:
    """One page of the member's feed, with unread markers: a fixed number of queries."""
    section_ids = active_section_ids(user)
    cursor = parse_cursor(before)
    # Announcements pinned in the lobby or in the member's sections sit above the first page
    # (and so leave the stream); pinned elsewhere, an announcement just takes its place in time.
    pinned_here = Q(is_pinned=True, kind=Post.Kind.ANNOUNCEMENT) & (
        Q(section=None) | Q(section_id__in=section_ids)
    )
    readable: PostQuerySet = Post.objects.visible_to(user).alive()
    stream = readable.exclude(pinned_here)
    if cursor is not None:
        stream = stream.filter(older_than(*cursor, "last_activity_at"))
    sources = [Q(section=None), *(Q(section_id=pk) for pk in section_ids)]
    sources.append(Q(kind=Post.Kind.ANNOUNCEMENT))
    newest = [
        Q(
            pk__in=stream.filter(source)
            .order_by("-last_activity_at", "-id")
            .values("pk")[: per_page + 1]
        )
        for source in sources
    ]
    rows = list(readable.filter(reduce(or_, newest)).for_list()[: per_page + 1])
    posts, more = rows[:per_page], len(rows) > per_page
    pinned = list(readable.filter(pinned_here).for_list()[:PINNED_MAX]) if cursor is None else []
    mark_unread(user, pinned + posts)
    return FeedPage(
        posts=posts,
        pinned=pinned,
        next_query=cursor_query(posts[-1].last_activity_at, posts[-1].pk) if more else "",
        is_first_page=cursor is None,
        has_sections=bool(section_ids),
    )


def posts_by(viewer: User, author: User, before: str = "", *, per_page: int = PER_PAGE) -> FeedPage:
    """A member's posts the viewer may read, newest first (by when they were written)."""
    posts = Post.objects.visible_to(viewer).alive().filter(author_id=author.pk)
    cursor = parse_cursor(before)
    if cursor is not None:
        posts = posts.filter(older_than(*cursor, "created_at"))
    rows = list(posts.for_list().order_by("-created_at", "-id")[: per_page + 1])
    page, more = rows[:per_page], len(rows) > per_page
    mark_unread(viewer, page)
    return FeedPage(
        posts=page,
        next_query=cursor_query(page[-1].created_at, page[-1].pk) if more else "",
        is_first_page=cursor is None,
    )
