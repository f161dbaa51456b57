import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.accounts.models import User, UserSession
from cityhall.audit.models import AuditEntry
from cityhall.moderation.actions import ModerationError, do_decide
from cityhall.moderation.models import Case, Decision
from cityhall.moderation.tests.conftest import reported


def decide(client, case, decision, note="ルール4に反するため", **extra):
    data = {"decision": decision, "note": note, **extra}
    return client.post(reverse("staff_moderation:decide", args=[case.pk]), data)


def test_it_hides_a_post_and_tells_its_author(
    as_user, staff, member, outsider, leader, post, django_capture_on_commit_callbacks
):
    case = reported(post, outsider, leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            as_user(staff), case, "hide", message="住所の部分を削って再投稿してください"
        )
    assert response.status_code == 302
    post.refresh_from_db()
    case.refresh_from_db()
    assert post.deleted_at and post.deleted_by == staff
    assert (case.status, case.decision, case.decided_by) == ("resolved", "hide", staff)
    assert case.content_hidden
    entry = AuditEntry.objects.get(action="moderation.case.hide")
    assert (entry.actor, entry.subject_user) == (staff, member)
    assert entry.data["note"] == "ルール4に反するため" and entry.data["reports"] == 2
    assert AuditEntry.objects.filter(action="posts.post.deleted", actor=staff).exists()
    [sent] = mail.outbox
    assert sent.to == [member.email] and "非表示にしました" in sent.subject
    assert "窓口の混雑対策" in sent.body and "住所の部分を削って" in sent.body
    # Reporters are never named to the author.
    for reporter in (outsider, leader):
        assert reporter.family_name not in sent.body


def test_it_shows_the_author_what_was_hidden_and_nobody_else(
    as_user, staff, member, outsider, leader, post, comment
):
    # The comment is the leader's; the member's post stays.
    case = reported(comment, outsider)
    do_decide(case, decision="hide", note="中傷", actor=staff)
    comment.refresh_from_db()
    assert comment.deleted_at
    detail = reverse("posts:detail", args=[post.pk])
    mark = "運営事務局が非表示にしました"
    assert mark in as_user(leader).get(detail).content.decode()
    assert mark not in as_user(outsider).get(detail).content.decode()
    page = as_user(leader).get(reverse("moderation:hidden")).content.decode()
    assert "うちでは予約制にしました。" in page and outsider.family_name not in page
    assert (
        "うちでは予約制にしました。"
        not in as_user(member).get(reverse("moderation:hidden")).content.decode()
    )


def test_it_does_not_mark_comments_their_author_deleted(as_user, leader, post, comment):
    comment_url = reverse("posts:delete_comment", args=[comment.pk])
    client = as_user(leader)
    client.post(comment_url)
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "このコメントは削除されました" in html and "運営事務局が非表示にしました" not in html


def test_it_restores_a_deleted_post(staff, member, outsider, post):
    post.deleted_at, post.deleted_by = post.created_at, member
    post.save()
    case = reported(post, outsider)
    do_decide(case, decision="restore", note="問題なし", actor=staff)
    post.refresh_from_db()
    assert post.deleted_at is None
    assert AuditEntry.objects.filter(action="moderation.case.restore").exists()
    assert AuditEntry.objects.filter(action="posts.post.restored").exists()


def test_it_restores_a_deleted_comment(staff, outsider, comment):
    do_decide(reported(comment, outsider), decision="hide", note="誤解", actor=staff)
    case = reported(comment, outsider)
    do_decide(case, decision="restore", note="誤解だった", actor=staff)
    comment.refresh_from_db()
    assert comment.deleted_at is None
    assert AuditEntry.objects.filter(action="posts.comment.restored", actor=staff).exists()


def test_it_refuses_to_restore_what_is_not_deleted(staff, outsider, post):
    case = reported(post, outsider)
    with pytest.raises(ModerationError):
        do_decide(case, decision="restore", note="念のため", actor=staff)
    case.refresh_from_db()
    assert case.is_open


def test_it_dismisses_without_touching_the_content(
    staff, outsider, post, django_capture_on_commit_callbacks
):
    case = reported(post, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(case, decision="dismiss", note="ルールの範囲内", actor=staff)
    post.refresh_from_db()
    case.refresh_from_db()
    assert post.deleted_at is None and case.status == "resolved" and not mail.outbox
    assert AuditEntry.objects.get(action="moderation.case.dismiss").data["hidden"] is False


def test_it_warns_the_author_with_the_rules(
    staff, member, outsider, post, django_capture_on_commit_callbacks
):
    case = reported(post, outsider, reason="harassment")
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(
            case, decision="warn", note="言葉がきつい", message="表現にご配慮ください", actor=staff
        )
    [sent] = mail.outbox
    assert sent.to == [member.email] and "コミュニティのルール" in sent.subject
    assert "誹謗中傷、ハラスメント、差別的な表現" in sent.body
    assert "住民や事業者の個人情報" not in sent.body
    assert "表現にご配慮ください" in sent.body and outsider.family_name not in sent.body
    post.refresh_from_db()
    assert post.deleted_at is None
    assert AuditEntry.objects.filter(action="moderation.case.warn", subject_user=member).exists()


def test_it_can_warn_and_hide_at_once(staff, outsider, post, django_capture_on_commit_callbacks):
    case = reported(post, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(case, decision="warn", note="注意", also_hide=True, actor=staff)
    post.refresh_from_db()
    assert post.deleted_at is not None
    [sent] = mail.outbox
    assert "この書き込みは非表示にしました" in sent.body


def test_it_suspends_the_author_and_ends_their_sessions(
    staff, member, outsider, post, django_capture_on_commit_callbacks
):
    testing.sign_in(Client(), member)
    assert UserSession.objects.filter(user=member).exists()
    case = reported(post, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(case, decision="suspend", note="度重なる違反", also_hide=True, actor=staff)
    member.refresh_from_db()
    post.refresh_from_db()
    assert member.status == User.Status.SUSPENDED and member.suspension_reason == "度重なる違反"
    assert not UserSession.objects.filter(user=member).exists()
    assert post.deleted_at is not None
    assert AuditEntry.objects.filter(action="accounts.user.suspended", actor=staff).exists()
    assert AuditEntry.objects.filter(action="moderation.case.suspend").exists()
    assert [m.to for m in mail.outbox] == [[member.email]]  # the suspension notice only


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.ADMIN])
def test_it_never_suspends_staff_or_admins(as_user, staff, outsider, role):
    from cityhall.moderation.tests.conftest import make_post

    colleague = testing.make_user(f"{role}2@pref.example.lg.jp", role=role)
    case = reported(make_post(colleague, None), outsider)
    response = decide(as_user(staff), case, "suspend")
    assert response.status_code == 200
    assert "ここから利用停止にできません" in response.content.decode()
    colleague.refresh_from_db()
    case.refresh_from_db()
    assert colleague.status == User.Status.MEMBER and case.is_open
    assert not AuditEntry.objects.filter(action__startswith="moderation.").exists()


def test_it_requires_a_note_and_keeps_what_was_typed(as_user, staff, outsider, post):
    case = reported(post, outsider)
    response = decide(as_user(staff), case, "hide", note="", message="残しておく文")
    html = response.content.decode()
    assert (
        response.status_code == 200 and "メモに入力してください" in html and "残しておく文" in html
    )
    case.refresh_from_db()
    assert case.is_open


def test_it_lets_only_one_of_two_simultaneous_decisions_win(
    as_user, staff, admin_user, outsider, post
):
    case = reported(post, outsider)
    stale = Case.objects.get(pk=case.pk)  # the second staff member opened the page too
    do_decide(case, decision="dismiss", note="問題なし", actor=staff)
    with pytest.raises(ModerationError, match="すでにほかの運営メンバーが対応しました"):
        do_decide(stale, decision="hide", note="削除すべき", actor=admin_user)
    case.refresh_from_db()
    post.refresh_from_db()
    assert (case.decision, case.decided_by) == ("dismiss", staff) and post.deleted_at is None
    assert AuditEntry.objects.filter(action__startswith="moderation.").count() == 1


def test_it_tells_the_slower_staff_member_who_decided_first(
    as_user, staff, admin_user, outsider, post
):
    case = reported(post, outsider)
    decide(as_user(staff), case, "dismiss")
    response = decide(as_user(admin_user), case, "hide")
    assert response.status_code == 302
    page = as_user(admin_user).get(response["Location"]).content.decode()
    assert "すでにほかの運営メンバーが対応しました" in page and "対応しない" in page
    post.refresh_from_db()
    assert post.deleted_at is None


def test_it_resolves_every_open_report_on_the_target(staff, outsider, leader, admin_user, post):
    case = reported(post, outsider, leader, admin_user)
    do_decide(case, decision=Decision.DISMISS, note="問題なし", actor=staff)
    assert not Case.objects.open().exists()


def test_it_refuses_decisions_by_members(as_user, member, leader, outsider, post):
    case = reported(post, outsider)
    with pytest.raises(PermissionDenied):
        do_decide(case, decision="hide", note="x", actor=leader)
    assert decide(as_user(leader), case, "hide").status_code == 403
    case.refresh_from_db()
    assert case.is_open
