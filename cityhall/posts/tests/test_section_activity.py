from datetime import timedelta

from django.utils import timezone

from cityhall.posts.models import Comment, Post
from cityhall.sections.health import section_health
from cityhall.sections.models import Section


def test_it_counts_posts_and_comments_as_a_sections_activity(member):
    now = timezone.now()
    long_ago = now - timedelta(days=200)
    quiet = Section.objects.create(
        name="静かな課", slug="quiet", kind="social", purpose="…", created_at=long_ago
    )
    lively = Section.objects.create(
        name="賑やかな課", slug="lively", kind="work", purpose="…", created_at=long_ago
    )
    post = Post.objects.create(
        author=member, section=lively, kind="discussion", title="t", body="b"
    )
    Comment.objects.create(post=post, author=member, body="c")
    old = Post.objects.create(
        author=member,
        section=quiet,
        kind="discussion",
        title="t",
        body="b",
        created_at=now - timedelta(days=90),
    )

    health = {row.section.slug: row for row in section_health(now)}

    assert health["lively"].recent_activity == 2
    assert not health["lively"].dormant
    assert health["quiet"].recent_activity == 0
    assert health["quiet"].last_activity == old.created_at
    assert health["quiet"].dormant
