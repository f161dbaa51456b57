"""`manage.py load_demo_posts`: the demo community's posts, run by `load_demo`."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.core.mentions import mentioned_ids
from cityhall.core.models import OutboundEmail
from cityhall.interface.management.demo_posts import POSTS
from cityhall.notifications.models import Notification
from cityhall.posts.models import Comment, Post, Reaction
from cityhall.sections.models import SectionMembership


def test_it_builds_a_lively_consistent_community_once(db, settings):
    # One test: building the demo takes a few seconds, so every check shares one build.
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())  # which runs load_demo_posts
    fills_many_sections_and_the_lobby()
    has_solved_and_unanswered_questions()
    keeps_counts_and_activity_consistent()
    spreads_activity_over_six_weeks_with_some_today()
    lets_only_members_write_in_closed_sections()
    gives_the_demo_logins_posts_and_notifications()
    writes_mentions_that_point_at_members()
    sends_no_mail_and_writes_no_audit()
    creates_nothing_the_second_time()


def fills_many_sections_and_the_lobby() -> None:
    posts = Post.objects.all()
    assert posts.count() == len(POSTS)
    assert posts.exclude(section=None).values("section").distinct().count() >= 40
    assert posts.filter(section=None).count() >= 8
    assert set(posts.values_list("kind", flat=True)) == set(Post.Kind.values)
    assert posts.filter(
        section=None, kind=Post.Kind.ANNOUNCEMENT, is_pinned=True, author__role="staff"
    ).exists()


def has_solved_and_unanswered_questions() -> None:
    questions = Post.objects.filter(kind=Post.Kind.QUESTION)
    solved = questions.exclude(accepted_comment=None)
    assert solved.exists()
    assert questions.filter(comment_count=0).exists()
    for post in solved.select_related("accepted_comment"):
        answer = post.accepted_comment
        assert answer is not None
        assert answer.post_id == post.pk
        assert answer.parent_id is None
        assert answer.author_id != post.author_id
    assert Notification.objects.filter(kind="answer_accepted").count() == solved.count()


def keeps_counts_and_activity_consistent() -> None:
    counted = Post.objects.annotate(n=Count("comments")).values_list("comment_count", "n")
    assert all(stored == actual for stored, actual in counted)
    assert Comment.objects.count() == sum(stored for stored, _ in counted)
    for post in Post.objects.filter(comment_count__gt=0).prefetch_related("comments"):
        times = [c.created_at for c in post.comments.all()]
        assert post.created_at < min(times)
        assert post.last_activity_at == max(times)
    replies = Comment.objects.exclude(parent=None).select_related("parent")
    assert replies.exists()
    for reply in replies:
        parent = reply.parent
        assert parent is not None
        assert parent.parent_id is None
        assert parent.post_id == reply.post_id
        assert parent.created_at < reply.created_at


def spreads_activity_over_six_weeks_with_some_today() -> None:
    now = timezone.now()
    ages = [(now - p.created_at).days for p in Post.objects.all()]
    assert max(ages) <= 42
    assert Post.objects.filter(last_activity_at__gt=now - timedelta(days=1)).count() >= 5
    assert not Post.objects.filter(last_activity_at__gt=now).exists()


def lets_only_members_write_in_closed_sections() -> None:
    closed = Post.objects.filter(section__is_closed=True)
    assert closed.exists()
    active = SectionMembership.objects.filter(status="active")
    for post in closed:
        members = set(active.filter(section=post.section).values_list("user_id", flat=True))
        assert post.author_id in members
        writers = set(post.comments.values_list("author_id", flat=True))
        reactors = set(Reaction.objects.filter(post=post).values_list("user_id", flat=True))
        staff = set(User.objects.filter(role="staff").values_list("pk", flat=True))
        assert writers | reactors <= members | staff


def gives_the_demo_logins_posts_and_notifications() -> None:
    leader = User.objects.get(email="leader@demo.cityhall.jp")
    member = User.objects.get(email="member@demo.cityhall.jp")
    assert Post.objects.filter(author=leader, section__slug="writing").exists()
    assert Post.objects.filter(author=leader, section__slug="photo-labo").exists()
    assert Post.objects.filter(author=member).exists()
    mine = Notification.objects.for_recipient(member)
    assert mine.filter(kind="post_reply").exists()
    assert mine.unread().exists()
    assert not Notification.objects.filter(recipient=member, actor=member).exists()


def writes_mentions_that_point_at_members() -> None:
    texts = list(Comment.objects.values_list("body", flat=True))
    ids = {pk for text in texts for pk in mentioned_ids(text)}
    assert ids
    assert User.objects.filter(pk__in=ids, status="member").count() == len(ids)
    assert Notification.objects.filter(kind="mention").exists()
    assert not Post.objects.filter(Q(body__contains="{") | Q(title__contains="{")).exists()
    assert not Comment.objects.filter(body__contains="{").exists()


def sends_no_mail_and_writes_no_audit() -> None:
    assert not OutboundEmail.objects.exists()
    assert not AuditEntry.objects.exists()


def creates_nothing_the_second_time() -> None:
    counts = (
        Post.objects.count(),
        Comment.objects.count(),
        Reaction.objects.count(),
        Notification.objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo_posts", stdout=out)
    output = out.getvalue()
    assert "作成済み" in output
    assert (
        Post.objects.count(),
        Comment.objects.count(),
        Reaction.objects.count(),
        Notification.objects.count(),
    ) == counts


def test_it_refuses_outside_debug_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_posts", stdout=io.StringIO())
