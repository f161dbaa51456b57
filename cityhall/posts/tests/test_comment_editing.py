import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cityhall.posts.actions import (
    do_add_comment,
    do_delete_comment,
    do_delete_post,
    do_edit_comment,
)
from cityhall.posts.models import Comment, CommentRevision
from cityhall.posts.tests.conftest import make_post


def test_it_keeps_the_previous_text_when_the_author_edits(as_user, member, leader):
    post = make_post(leader)
    comment = do_add_comment(post, body="最初の文", actor=member)
    response = as_user(member).post(
        reverse("posts:edit_comment", args=[comment.pk]), {"body": "直した文"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "直した文" and comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", "edited_by")) == [
        ("最初の文", member.pk)
    ]


def test_it_marks_an_edited_comment_with_a_link_to_its_history(as_user, member, leader):
    post = make_post(leader)
    comment = do_add_comment(post, body="最初の文", actor=member)
    do_edit_comment(comment, body="直した文", actor=member)
    html = as_user(leader).get(reverse("posts:detail", args=[post.pk])).content.decode()
    history = reverse("posts:comment_history", args=[comment.pk])
    assert f'<a href="{history}">編集済み</a>' in html
    page = as_user(leader).get(history).content.decode()
    assert "最初の文" in page and "に編集される前の内容" in page


def test_it_offers_editing_to_the_author_only(as_user, member, leader):
    post = make_post(leader)
    comment = do_add_comment(post, body="会員の意見", actor=member)
    edit = reverse("posts:edit_comment", args=[comment.pk])
    assert edit in as_user(member).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert edit not in as_user(leader).get(reverse("posts:detail", args=[post.pk])).content.decode()


def test_it_lets_leaders_and_staff_delete_but_not_edit(as_user, member, leader, staff, section):
    post = make_post(leader, section)
    comment = do_add_comment(post, body="会員の意見", actor=member)
    for person in (leader, staff):
        with pytest.raises(PermissionDenied):
            do_edit_comment(comment, body="書き換え", actor=person)
        url = reverse("posts:edit_comment", args=[comment.pk])
        assert as_user(person).post(url, {"body": "書き換え"}).status_code == 404
        assert as_user(person).get(url).status_code == 404
    assert Comment.objects.get().body == "会員の意見"


def test_it_keeps_an_empty_edit_from_saving(as_user, member, leader):
    post = make_post(leader)
    comment = do_add_comment(post, body="元の文", actor=member)
    response = as_user(member).post(
        reverse("posts:edit_comment", args=[comment.pk]), {"body": "   "}
    )
    assert response.status_code == 200 and "入力内容を確認してください" in response.content.decode()
    with pytest.raises(ValidationError):
        do_edit_comment(comment, body="", actor=member)
    assert Comment.objects.get().body == "元の文" and not CommentRevision.objects.exists()


def test_it_shows_the_text_being_edited(as_user, member, leader):
    comment = do_add_comment(make_post(leader), body="今の文面", actor=member)
    page = as_user(member).get(reverse("posts:edit_comment", args=[comment.pk]))
    assert "今の文面" in page.content.decode()


def test_it_makes_no_revision_when_nothing_changed(member, leader):
    comment = do_add_comment(make_post(leader), body="同じ", actor=member)
    do_edit_comment(comment, body="同じ", actor=member)
    assert comment.edited_at is None and not CommentRevision.objects.exists()


def test_it_refuses_to_edit_deleted_comments_or_comments_on_deleted_posts(member, leader):
    post = make_post(leader)
    gone = do_add_comment(post, body="消した", actor=member)
    do_delete_comment(gone, actor=member)
    with pytest.raises(PermissionDenied):
        do_edit_comment(gone, body="復活", actor=member)
    kept = do_add_comment(post, body="残る", actor=member)
    do_delete_post(post, actor=leader)
    with pytest.raises(PermissionDenied):
        do_edit_comment(kept, body="書き換え", actor=member)


def test_it_keeps_the_reply_where_it_was(member, leader):
    post = make_post(leader)
    top = do_add_comment(post, body="親", actor=leader)
    reply = do_add_comment(post, body="子", parent=top, actor=member)
    do_edit_comment(reply, body="子（修正）", actor=member)
    reply.refresh_from_db()
    assert reply.parent_id == top.pk


def test_it_shows_the_history_only_to_readers_of_the_post(
    as_user, member, leader, outsider, closed_section
):
    post = make_post(leader, closed_section)
    comment = do_add_comment(post, body="非公開の話", actor=leader)
    do_edit_comment(comment, body="非公開の話（修正）", actor=leader)
    url = reverse("posts:comment_history", args=[comment.pk])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(member).get(url).status_code == 404
    assert as_user(leader).get(url).status_code == 200


def test_it_hides_a_deleted_comments_history(as_user, member, leader):
    comment = do_add_comment(make_post(leader), body="最初", actor=member)
    do_edit_comment(comment, body="二回目", actor=member)
    do_delete_comment(comment, actor=member)
    url = reverse("posts:comment_history", args=[comment.pk])
    assert as_user(leader).get(url).status_code == 404
