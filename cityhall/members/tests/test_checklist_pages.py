"""One newcomer checklist: the home page and /welcome/ show the same steps, and
「自己紹介を投稿する」 leads to the composer and is ticked once the member has posted."""

from dataclasses import replace

from django.urls import reverse

from cityhall.members import onboarding
from cityhall.members.onboarding import checklist_for
from cityhall.posts.actions import do_create_post

INTRODUCTION = {"title": "はじめまして", "body": "猿払村の企画政策課で働いています。"}


def row(user, key):
    return next(r for r in checklist_for(user) if r.key == key)


def test_it_links_the_introduction_step_to_the_composer(as_user, member):
    step = row(member, "introduction")
    assert step.state == "todo"
    assert step.url == reverse("posts:new")
    page = as_user(member).get(reverse("members:welcome")).content.decode()
    assert "まもなく" not in page
    assert f'href="{reverse("posts:new")}"' in page


def test_it_ticks_the_introduction_once_the_member_has_posted(member):
    do_create_post(section=None, kind="discussion", data=INTRODUCTION, actor=member)
    assert row(member, "introduction").state == "done"
    assert row(member, "introduction").url == ""


def test_it_does_not_count_a_removed_post(member):
    post = do_create_post(section=None, kind="discussion", data=INTRODUCTION, actor=member)
    post.deleted_at = post.created_at
    post.save(update_fields=["deleted_at"])
    assert row(member, "introduction").state == "todo"


def test_it_shows_the_same_steps_on_home_and_welcome(as_user, member):
    do_create_post(section=None, kind="discussion", data=INTRODUCTION, actor=member)
    client = as_user(member)
    home = client.get("/").content.decode()
    welcome = client.get(reverse("members:welcome")).content.decode()
    for step in checklist_for(member):
        assert step.title in home
        assert step.title in welcome
    assert home.count("checklist__item--done") == welcome.count("checklist__item--done") == 1


def test_it_leaves_the_checklist_off_home_once_everything_is_done(as_user, member, monkeypatch):
    done = [replace(item, done=lambda user: True) for item in onboarding.CHECKLIST]
    monkeypatch.setattr(onboarding, "CHECKLIST", done)
    assert "home-steps-title" not in as_user(member).get("/").content.decode()
