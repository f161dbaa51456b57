from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.moderation.actions import REPORT_LIMIT, ModerationError, do_report
from cityhall.moderation.models import Case, Report
from cityhall.moderation.tests.conftest import join, make_comment, make_post, reported


def report_url(target):
    kind = "report_post" if target.__class__.__name__ == "Post" else "report_comment"
    return reverse(f"moderation:{kind}", args=[target.pk])


def test_it_lets_a_member_report_a_post(as_user, outsider, post):
    client = as_user(outsider)
    response = client.post(
        report_url(post), {"reason": "personal_data", "note": "住所が書かれています"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("posts:detail", args=[post.pk])
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (
        outsider,
        "personal_data",
        "住所が書かれています",
    )
    assert report.case.post == post and report.case.author == post.author and report.case.is_open
    page = client.get(response["Location"]).content.decode()
    assert "ご報告ありがとうございます" in page


def test_it_lets_a_member_report_a_comment(as_user, outsider, comment):
    response = as_user(outsider).post(report_url(comment), {"reason": "spam"})
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    case = Case.objects.get()
    assert case.comment == comment and case.post is None and case.author == comment.author


def test_it_shows_the_form_with_the_content(as_user, outsider, post):
    html = as_user(outsider).get(report_url(post)).content.decode()
    assert "窓口の混雑対策" in html and "住民の個人情報・非公開の情報" in html


def test_it_hides_closed_sections_from_outsiders(as_user, outsider, leader, closed_section):
    secret = make_post(leader, closed_section)
    reply = make_comment(secret, leader)
    client = as_user(outsider)
    for target in (secret, reply):
        assert client.get(report_url(target)).status_code == 404
        assert client.post(report_url(target), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_it_lets_members_of_a_closed_section_report(as_user, member, leader, closed_section):
    join(closed_section, member)
    secret = make_post(leader, closed_section)
    as_user(member).post(report_url(secret), {"reason": "harassment"})
    assert Report.objects.filter(reporter=member).exists()


@pytest.mark.parametrize("persona", ["applicant", "rejected", "suspended"])
def test_it_refuses_accounts_that_are_not_members(request, as_user, post, persona):
    client = as_user(request.getfixturevalue(persona))
    response = client.post(report_url(post), {"reason": "spam"})
    assert response.status_code == 302 and response["Location"] == reverse("members:status")
    assert not Report.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, post):
    response = client.post(report_url(post), {"reason": "spam"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_reporting_ones_own_content(as_user, member, post):
    response = as_user(member).post(report_url(post), {"reason": "spam"}, follow=True)
    assert "ご自身の投稿やコメントは報告できません" in response.content.decode()
    assert not Report.objects.exists()
    with pytest.raises(ModerationError):
        do_report(post, reason="spam", note="", actor=member)


def test_it_updates_a_second_report_instead_of_adding_one(as_user, outsider, post):
    client = as_user(outsider)
    client.post(report_url(post), {"reason": "spam", "note": "一回目"})
    form = client.get(report_url(post)).content.decode()
    assert "すでに報告いただいています" in form and "一回目" in form
    response = client.post(
        report_url(post), {"reason": "harassment", "note": "二回目"}, follow=True
    )
    assert "前回の報告の理由と補足を更新しました" in response.content.decode()
    report = Report.objects.get()
    assert (report.reason, report.note) == ("harassment", "二回目")


def test_it_gathers_reports_on_one_target_in_one_open_case(as_user, outsider, staff, post):
    as_user(outsider).post(report_url(post), {"reason": "spam"})
    as_user(staff).post(report_url(post), {"reason": "harassment"})
    assert Case.objects.count() == 1 and Case.objects.get().reports.count() == 2


def test_it_opens_a_new_case_once_the_last_one_was_decided(outsider, post):
    case = reported(post, outsider)
    case.status = Case.Status.RESOLVED
    case.save()
    _report, created = do_report(post, reason="spam", note="また", actor=outsider)
    assert created and Case.objects.open().get() != case


def test_it_rate_limits_new_reports_politely(as_user, outsider, member):
    posts = [make_post(member, None, title=f"投稿{i}") for i in range(REPORT_LIMIT + 1)]
    for target in posts[:REPORT_LIMIT]:
        do_report(target, reason="spam", note="", actor=outsider)
    response = as_user(outsider).post(report_url(posts[-1]), {"reason": "spam", "note": "残す"})
    html = response.content.decode()
    assert response.status_code == 200 and "1時間ほどしてから" in html and "残す" in html
    assert Report.objects.count() == REPORT_LIMIT
    # An hour later the member may report again.
    Report.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    do_report(posts[-1], reason="spam", note="", actor=outsider)


def test_it_keeps_what_was_typed_when_the_note_is_too_long(as_user, outsider, post):
    response = as_user(outsider).post(report_url(post), {"reason": "other", "note": "あ" * 1001})
    assert response.status_code == 200 and "1,000文字以内" in response.content.decode()
    assert not Report.objects.exists()


def test_it_cannot_report_deleted_content(as_user, outsider, member, post):
    post.deleted_at = timezone.now()
    post.save()
    assert as_user(outsider).post(report_url(post), {"reason": "spam"}).status_code == 404


def test_it_links_to_reporting_from_posts_and_comments(as_user, outsider, member, post, comment):
    html = as_user(outsider).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert report_url(post) in html and report_url(comment) in html
    html = as_user(member).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert report_url(post) not in html and report_url(comment) in html
