import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cityhall.posts.actions import do_accept_answer, do_add_comment, do_toggle_reaction
from cityhall.posts.models import Comment, Post, Reaction
from cityhall.posts.tests.conftest import join, make_post


def test_it_adds_comments_and_bumps_the_post(as_user, member, leader):
    post = make_post(leader, None)
    before = post.last_activity_at
    response = as_user(member).post(reverse("posts:comment", args=[post.pk]), {"body": "同じです"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.comment_count == 1 and post.last_activity_at > before


def test_it_allows_one_level_of_replies_only(member, leader):
    post = make_post(leader, None)
    top = do_add_comment(post, body="質問への回答", actor=member)
    reply = do_add_comment(post, body="ありがとう", parent=top, actor=leader)
    with pytest.raises(ValidationError):
        do_add_comment(post, body="返信への返信", parent=reply, actor=member)
    other = make_post(leader, None)
    with pytest.raises(PermissionDenied):
        do_add_comment(other, body="よその返信", parent=top, actor=member)
    assert Comment.objects.count() == 2


def test_it_shows_replies_under_their_comment(as_user, member, leader):
    post = make_post(leader, None)
    top = do_add_comment(post, body="親コメント", actor=member)
    client = as_user(leader)
    client.post(reverse("posts:comment", args=[post.pk]), {"body": "子の返信", "parent": top.pk})
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert html.index("親コメント") < html.index("comment-replies") < html.index("子の返信")


def test_it_shows_a_deleted_comment_as_a_placeholder(as_user, member, leader):
    post = make_post(leader, None)
    comment = do_add_comment(post, body="消す予定", actor=member)
    as_user(member).post(reverse("posts:delete_comment", args=[comment.pk]))
    html = as_user(leader).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "消す予定" not in html and "このコメントは削除されました" in html


def test_it_lets_the_question_author_or_a_leader_accept_an_answer(
    as_user, member, leader, outsider, section
):
    join(section, member)
    join(section, outsider)
    question = make_post(member, section, kind="question")
    answer = do_add_comment(question, body="こうします", actor=outsider)
    with pytest.raises(PermissionDenied):
        do_accept_answer(question, answer, actor=outsider)
    as_user(member).post(reverse("posts:accept", args=[question.pk, answer.pk]))
    question.refresh_from_db()
    assert question.is_solved and question.accepted_comment == answer
    do_accept_answer(question, None, actor=leader)
    assert not Post.objects.get().is_solved
    html = as_user(member).get(reverse("posts:detail", args=[question.pk])).content.decode()
    assert "この回答で解決" in html


def test_it_accepts_answers_on_questions_only(member, leader):
    post = make_post(member, None)
    comment = do_add_comment(post, body="回答", actor=leader)
    with pytest.raises(PermissionDenied):
        do_accept_answer(post, comment, actor=member)


def test_it_toggles_reactions(as_user, member, leader):
    post = make_post(leader, None)
    client = as_user(member)
    url = reverse("posts:react", args=[post.pk])
    client.post(url, {"kind": "like"})
    client.post(url, {"kind": "thanks"})
    assert set(Reaction.objects.values_list("kind", flat=True)) == {"like", "thanks"}
    client.post(url, {"kind": "like"})
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["thanks"]
    assert client.post(url, {"kind": "angry"}).status_code == 404


def test_it_toggles_reactions_on_comments(as_user, member, leader):
    post = make_post(leader, None)
    comment = do_add_comment(post, body="回答", actor=leader)
    assert do_toggle_reaction(kind="insight", comment=comment, actor=member) is True
    html = as_user(member).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert 'aria-pressed="true"' in html
    assert do_toggle_reaction(kind="insight", comment=comment, actor=member) is False
