import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cityhall.audit.models import AuditEntry
from cityhall.posts.actions import do_delete_post, do_edit_post, do_pin_post, do_restore_post
from cityhall.posts.models import Post
from cityhall.posts.tests.conftest import join, make_post


def test_it_keeps_every_previous_version(as_user, member):
    post = make_post(member, None, title="初版", body="最初の本文")
    client = as_user(member)
    client.post(reverse("posts:edit", args=[post.pk]), {"title": "第2版", "body": "二つ目"})
    client.post(reverse("posts:edit", args=[post.pk]), {"title": "第3版", "body": "三つ目"})
    post.refresh_from_db()
    assert (post.title, post.body) == ("第3版", "三つ目") and post.edited_at
    assert [r.title for r in post.revisions.order_by("-created_at", "-id")] == ["第2版", "初版"]
    html = client.get(reverse("posts:history", args=[post.pk])).content.decode()
    assert html.index("第2版") < html.index("初版")


def test_it_does_not_keep_a_revision_when_nothing_changed(member):
    post = make_post(member, None)
    do_edit_post(post, data={"title": post.title, "body": post.body}, actor=member)
    assert not post.revisions.exists() and post.edited_at is None


def test_it_lets_only_the_author_edit(as_user, member, leader, staff):
    post = make_post(member, None)
    for person in (leader, staff):
        with pytest.raises(PermissionDenied):
            do_edit_post(post, data={"title": "書き換え"}, actor=person)
        assert as_user(person).get(reverse("posts:edit", args=[post.pk])).status_code == 404


def test_it_keeps_what_was_typed_when_an_edit_is_refused(as_user, member):
    post = make_post(member, None)
    response = as_user(member).post(
        reverse("posts:edit", args=[post.pk]), {"title": "", "body": "新しい本文を残す"}
    )
    assert response.status_code == 200 and "新しい本文を残す" in response.content.decode()
    post.refresh_from_db()
    assert post.body == "どのように進めましたか。"


def test_it_soft_deletes_and_staff_restore(as_user, member, staff):
    post = make_post(member, None)
    as_user(member).post(reverse("posts:delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.deleted_at and post.deleted_by == member
    assert not AuditEntry.objects.filter(action="posts.post.deleted").exists()
    with pytest.raises(PermissionDenied):
        do_restore_post(post, actor=member)
    as_user(staff).post(reverse("posts:restore", args=[post.pk]))
    post.refresh_from_db()
    assert post.deleted_at is None
    assert AuditEntry.objects.filter(action="posts.post.restored", actor=staff).exists()


def test_it_lets_the_sections_leader_delete_and_audits_it(member, leader, section):
    join(section, member)
    post = make_post(member, section)
    do_delete_post(post, actor=leader)
    entry = AuditEntry.objects.get(action="posts.post.deleted")
    assert entry.actor == leader and entry.subject_user == member


def test_it_refuses_deletion_by_another_member(as_user, member, outsider):
    post = make_post(member, None)
    assert as_user(outsider).post(reverse("posts:delete", args=[post.pk])).status_code == 404
    assert Post.objects.get().deleted_at is None


def test_it_lets_leaders_and_staff_pin_in_their_reach(member, leader, staff, section):
    join(section, member)
    post = make_post(member, section)
    with pytest.raises(PermissionDenied):
        do_pin_post(post, pinned=True, actor=member)
    do_pin_post(post, pinned=True, actor=leader)
    assert AuditEntry.objects.filter(action="posts.post.pinned", actor=leader).exists()
    lobby_post = make_post(member, None)
    with pytest.raises(PermissionDenied):
        do_pin_post(lobby_post, pinned=True, actor=leader)
    do_pin_post(lobby_post, pinned=True, actor=staff)
    assert Post.objects.filter(is_pinned=True).count() == 2
