from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.moderation.actions import do_decide
from cityhall.moderation.models import Case
from cityhall.moderation.tests.conftest import make_comment, make_post, reported

QUEUE = reverse("staff_moderation:queue")


@pytest.mark.parametrize("persona", ["member", "leader", "outsider"])
def test_it_is_for_staff_only(request, as_user, outsider, post, persona):
    case = reported(post, outsider)
    client = as_user(request.getfixturevalue(persona))
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("staff_moderation:case", args=[case.pk])).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_open_reports_by_target_oldest_first(
    as_user, staff, member, outsider, leader, post
):
    newer = make_post(member, None, title="新しい話題")
    old_case = reported(post, outsider, leader, reason="personal_data")
    new_case = reported(newer, outsider, reason="spam")
    Case.objects.filter(pk=old_case.pk).update(opened_at=timezone.now() - timedelta(days=1))
    html = as_user(staff).get(QUEUE).content.decode()
    assert html.index("窓口の混雑対策") < html.index("新しい話題")
    assert (
        "報告 2件" in html
        and "住民の個人情報・非公開の情報 2" in html
        and "宣伝・勧誘・スパム 1" in html
    )
    assert "新家 一郎" in html  # the author
    assert reverse("staff_moderation:case", args=[new_case.pk]) in html


def test_it_shows_content_even_when_already_deleted(as_user, staff, outsider, leader, post):
    comment = make_comment(post, leader, body="消された本文")
    case = reported(comment, outsider)
    comment.deleted_at = timezone.now()
    comment.save()
    client = as_user(staff)
    assert "消された本文" in client.get(QUEUE).content.decode()
    html = client.get(reverse("staff_moderation:case", args=[case.pk])).content.decode()
    assert "消された本文" in html and "削除済み" in html
    assert outsider.family_name in html  # staff see who reported


def test_it_keeps_the_reported_text_when_the_author_edits_it(as_user, staff, outsider, post):
    case = reported(post, outsider)
    case.snapshot = f"{post.title}\n\n{post.body}"
    case.save()
    post.body = "書き換えた本文"
    post.save()
    html = as_user(staff).get(reverse("staff_moderation:case", args=[case.pk])).content.decode()
    assert "報告後に編集されています" in html and "番号札を導入しました。" in html


def test_it_lists_decisions_in_the_resolved_tab(as_user, staff, outsider, post):
    case = reported(post, outsider)
    do_decide(case, decision="dismiss", note="ルールの範囲内です", actor=staff)
    client = as_user(staff)
    assert "窓口の混雑対策" not in client.get(QUEUE).content.decode()
    html = client.get(QUEUE + "?tab=resolved").content.decode()
    assert "窓口の混雑対策" in html and "対応しない" in html and "ルールの範囲内です" in html


def test_it_pages_the_queue_in_a_fixed_number_of_queries(
    as_user, staff, member, outsider, leader, django_assert_max_num_queries
):
    for i in range(25):
        target = make_post(member, None, title=f"話題{i}")
        reported(target if i % 2 else make_comment(target, leader), outsider, leader)
    client = as_user(staff)
    client.get(QUEUE)  # warm the session
    with django_assert_max_num_queries(10):
        first = client.get(QUEUE)
    assert first.context["page_obj"].paginator.num_pages == 2
    with django_assert_max_num_queries(10):
        client.get(QUEUE + "?tab=open&page=2")


def test_it_shows_the_open_count_in_the_staff_menu(as_user, staff, outsider, post):
    reported(post, outsider)
    html = as_user(staff).get(reverse("staff:dashboard")).content.decode()
    assert QUEUE in html and "未対応 1件" in html
