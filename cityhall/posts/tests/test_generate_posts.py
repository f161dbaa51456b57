"""The benchmark data generator: small runs give counts that agree with each other."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max

from cityhall.posts.models import Comment, Post, Reaction
from cityhall.sections.models import Section, SectionMembership

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Counted(TypedDict):
    n: int
    latest: datetime | None


# --scale 0.01 of 4,000 posts and 60,000 comments: 40 posts, 600 comments.
SIZE = {"posts": 4_000, "comments": 60_000, "scale": 0.01, "force": True}


@pytest.fixture
def community(db):
    call_command("generate_members", members=60, applications=0, force=True, stdout=None)
    call_command("generate_posts", **SIZE, stdout=None)


def test_it_makes_the_asked_numbers_and_keeps_them_consistent(community):
    assert Post.objects.count() == 40
    assert Comment.objects.count() == 600
    assert Reaction.objects.exists()
    assert Section.objects.count() >= 50
    posts = Post.objects.annotate(n=Count("comments"), latest=Max("comments__created_at"))
    for row in posts:
        # PostQuerySet iterates as a plain Post; the rows carry the annotations all the same.
        post = cast("WithAnnotations[Post, Counted]", row)
        assert post.comment_count == post.n
        assert post.last_activity_at == (post.latest or post.created_at)
        assert post.created_at <= post.last_activity_at
    # One long thread for the benchmark, found by its count.
    assert Post.objects.filter(comment_count=200).count() == 1
    assert Post.objects.exclude(comment_count=200).aggregate(m=Max("comment_count"))["m"] <= 150


def test_it_writes_replies_answers_and_authors_that_fit(community):
    for reply in Comment.objects.exclude(parent=None).select_related("parent"):
        assert reply.parent is not None
        assert reply.parent.post_id == reply.post_id
        assert reply.parent.parent_id is None
    for post in Post.objects.exclude(accepted_comment=None).select_related("accepted_comment"):
        assert post.kind == Post.Kind.QUESTION
        assert post.accepted_comment is not None
        assert post.accepted_comment.post_id == post.pk
    # In closed sections only members write.
    for post in Post.objects.filter(section__is_closed=True):
        members = set(
            SectionMembership.objects.filter(section=post.section, status="active").values_list(
                "user_id", flat=True
            )
        )
        assert post.author_id in members
        assert set(post.comments.values_list("author_id", flat=True)) <= members


def test_it_is_repeatable_and_refuses_to_run_twice(community):
    first = list(Post.objects.order_by("pk").values_list("title", "author_id", "comment_count"))
    with pytest.raises(CommandError):
        call_command("generate_posts", **SIZE, stdout=None)
    Post.objects.all().delete()
    call_command("generate_posts", **SIZE, stdout=None)
    again = list(Post.objects.order_by("pk").values_list("title", "author_id", "comment_count"))
    assert again == first
