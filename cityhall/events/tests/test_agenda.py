from datetime import timedelta

import pytest
from django.urls import reverse

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.events.agenda import PER_EVENT
from cityhall.events.models import AgendaItem, AgendaVote, EventHost
from cityhall.events.tests.conftest import join, make_event


def agenda_url(event):
    return reverse("events:agenda", args=[event.pk])


def ask(client, event, title="接種券の再発行の手順", detail="再発行の手順を教えてください。"):
    return client.post(agenda_url(event), {"title": title, "detail": detail})


def vote(client, item):
    return client.post(reverse("events:agenda_vote", args=[item.pk]))


def test_it_takes_a_members_question_and_shows_it(as_user, member, event):
    response = ask(as_user(member), event, detail="転出者の扱いが知りたい")
    assert response.status_code == 302
    item = AgendaItem.objects.get(event=event)
    assert (item.author, item.status, item.vote_count) == (member, "open", 0)
    html = as_user(member).get(agenda_url(event)).content.decode()
    assert "接種券の再発行の手順" in html and "転出者の扱いが知りたい" in html


def test_it_counts_one_vote_per_member_and_a_second_click_takes_it_back(
    as_user, member, outsider, event
):
    ask(as_user(member), event)
    item = AgendaItem.objects.get()
    vote(as_user(outsider), item)
    vote(as_user(member), item)
    item.refresh_from_db()
    assert item.vote_count == 2 and AgendaVote.objects.count() == 2
    vote(as_user(member), item)
    item.refresh_from_db()
    assert item.vote_count == 1
    assert list(AgendaVote.objects.values_list("user", flat=True)) == [outsider.pk]


def test_it_lists_planned_items_first_then_by_votes_and_answered_apart(
    as_user, member, staff, event
):
    for title in ("会場の運営について", "予約システムの比較", "副反応の相談窓口"):
        AgendaItem.objects.create(event=event, author=member, title=title)
    AgendaItem.objects.filter(title="予約システムの比較").update(vote_count=5)
    AgendaItem.objects.filter(title="会場の運営について").update(vote_count=1)
    planned = AgendaItem.objects.get(title="副反応の相談窓口")
    done = AgendaItem.objects.create(event=event, author=member, title="保管温度の管理")
    client = as_user(staff)
    client.post(
        reverse("events:agenda_decide", args=[planned.pk]), {"status": "planned", "note": ""}
    )
    client.post(
        reverse("events:agenda_decide", args=[done.pk]),
        {"status": "answered", "note": "第3回で扱いました"},
    )
    html = as_user(member).get(agenda_url(event)).content.decode()
    order = [
        html.index(t) for t in ("副反応の相談窓口", "予約システムの比較", "会場の運営について")
    ]
    assert order == sorted(order)
    assert html.index("回答済み</h2>") < html.rindex("保管温度の管理")
    assert "第3回で扱いました" in html
    assert AuditEntry.objects.filter(action="events.agenda.decided").count() == 2


def test_it_lets_only_hosts_decide(as_user, member, leader, event):
    item = AgendaItem.objects.create(event=event, author=member, title="会場の運営について")
    url = reverse("events:agenda_decide", args=[item.pk])
    assert as_user(member).post(url, {"status": "planned"}).status_code == 404
    EventHost.objects.create(event=event, user=leader)
    as_user(leader).post(url, {"status": "out_of_scope", "note": "次回扱います"})
    item.refresh_from_db()
    assert (item.status, item.host_note, item.decided_by) == (
        "out_of_scope",
        "次回扱います",
        leader,
    )


def test_it_refuses_oversized_empty_and_duplicate_items_keeping_the_text(as_user, member, event):
    client = as_user(member)
    response = ask(client, event, title="あ" * 121, detail="補足はそのまま")
    assert response.status_code == 400
    html = response.content.decode()
    assert "120文字以内" in html and "補足はそのまま" in html
    assert ask(client, event, title="", detail="x" * 2001).status_code == 400
    ask(client, event, title="予約システムの比較")
    response = ask(client, event, title="予約システム の 比較")
    assert "同じ内容の希望がすでにあります" in response.content.decode()
    assert AgendaItem.objects.count() == 1


def test_it_limits_how_many_items_one_member_posts(as_user, member, event):
    client = as_user(member)
    for i in range(PER_EVENT):
        assert ask(client, event, title=f"テーマ{i}の相談").status_code == 302
    response = ask(client, event, title="もう一つのテーマ")
    assert response.status_code == 400
    assert "1人5件まで" in response.content.decode()
    other = make_event(title="別の勉強会")
    response = ask(client, other, title="続けて投稿したテーマ")
    assert "しばらくしてから" in response.content.decode()
    assert AgendaItem.objects.count() == PER_EVENT


@pytest.mark.parametrize("state", ["cancelled", "started", "past"])
def test_it_closes_the_agenda_once_the_session_starts_or_is_cancelled(as_user, member, state):
    if state == "cancelled":
        event = make_event(status="cancelled")
    else:
        event = make_event(starts_in=-timedelta(minutes=10 if state == "started" else 300))
    item = AgendaItem.objects.create(event=event, author=member, title="会場の運営について")
    assert ask(as_user(member), event).status_code == 400
    vote(as_user(member), item)
    item.refresh_from_db()
    assert item.vote_count == 0
    assert AgendaItem.objects.count() == 1


def test_it_answers_404_to_outsiders_of_a_closed_section(as_user, member, outsider, closed_section):
    event = make_event(organizer="section", section=closed_section)
    join(closed_section, member)
    item = AgendaItem.objects.create(event=event, author=member, title="人事評価の相談")
    client = as_user(outsider)
    assert client.get(agenda_url(event)).status_code == 404
    assert ask(client, event).status_code == 404
    assert vote(client, item).status_code == 404
    assert AgendaVote.objects.count() == 0
    assert vote(as_user(member), item).status_code == 302


def test_it_keeps_the_agenda_from_people_who_are_not_members(client, applicant, event):
    item = AgendaItem.objects.create(
        event=event, author=testing.make_user("a@city.example.lg.jp"), title="会場の運営"
    )
    assert client.get(agenda_url(event)).url.startswith(reverse("accounts:login"))
    assert client.post(reverse("events:agenda_vote", args=[item.pk])).status_code == 302
    testing.sign_in(client, applicant)
    assert client.post(reverse("events:agenda_vote", args=[item.pk])).url == reverse(
        "members:status"
    )
    assert AgendaVote.objects.count() == 0


def test_it_shows_the_agenda_in_a_fixed_number_of_queries(
    as_user, member, event, django_assert_max_num_queries
):
    for i in range(30):
        author = testing.make_user(f"a{i}@city.example.lg.jp")
        AgendaItem.objects.create(event=event, author=author, title=f"テーマ{i}")
    client = as_user(member)
    client.get(agenda_url(event))
    with django_assert_max_num_queries(14):
        assert client.get(agenda_url(event)).status_code == 200


def test_it_turns_an_answered_item_into_a_prefilled_faq_after_the_session(as_user, member, staff):
    event = make_event(starts_in=-timedelta(hours=3))
    item = AgendaItem.objects.create(
        event=event, author=member, title="接種券の再発行", detail="転出者", status="answered",
        host_note="住所地の自治体で再発行します。",
    )  # fmt: skip
    html = as_user(staff).get(agenda_url(event)).content.decode()
    link = f"{reverse('knowledge:new')}?event={event.pk}&amp;agenda={item.pk}"
    assert link in html
    form = as_user(staff).get(link.replace("&amp;", "&")).content.decode()
    assert "接種券の再発行（転出者）" in form and "住所地の自治体で再発行します。" in form
    assert f'value="{event.pk}" selected' in form
    # Members who do not manage the session get no prefill and no button.
    assert "FAQにする" not in as_user(member).get(agenda_url(event)).content.decode()
