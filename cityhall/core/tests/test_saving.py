"""A full disk or a read-only database: a clear 503, and no file left from a change that was
not saved."""

import errno

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse

from cityhall.core.saving import cannot_write
from cityhall.posts import actions, views
from cityhall.posts.models import Post
from cityhall.posts.tests.test_attachments import FORM, pdf, photo


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def failing_after_files(message: str):
    """do_create_post that stores its files, then meets the database's refusal to commit."""
    real = actions.do_create_post

    def create(**kwargs):
        with transaction.atomic():
            real(**kwargs)
            raise OperationalError(message)

    return create


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "message", ["database or disk is full", "attempt to write a readonly database"]
)
def test_it_answers_503_and_removes_the_files_of_a_post_that_could_not_be_saved(
    as_user, member, media, monkeypatch, message
):
    monkeypatch.setattr(views, "do_create_post", failing_after_files(message))
    response = as_user(member).post(reverse("posts:new"), {**FORM, "attachments": [photo(), pdf()]})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "ただいま保存できません" in response.content.decode()
    assert not Post.objects.exists()
    assert stored_files(media) == [], "files of the unsaved post were left on disk"


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_files_of_a_post_that_was_saved(as_user, member, media):
    response = as_user(member).post(reverse("posts:new"), {**FORM, "attachments": [pdf()]})
    assert response.status_code == 302
    assert len(stored_files(media)) == 1


@pytest.mark.django_db(transaction=True)
def test_it_answers_scripts_in_json_when_the_disk_is_full(as_user, member, media, monkeypatch):
    post = actions.do_create_post(section=None, kind="discussion", data=FORM, actor=member)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(views, "do_add_comment", full)
    response = as_user(member).post(
        reverse("posts:comment", args=[post.pk]),
        {"body": "ありがとうございます"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 503
    assert "ただいま保存できません" in response.json()["error"]


def test_it_tells_a_cannot_write_failure_from_a_wrong_change():
    assert cannot_write(OperationalError("database or disk is full"))
    assert cannot_write(OperationalError("cannot execute INSERT in a read-only transaction"))
    assert cannot_write(OSError(errno.ENOSPC, "No space left on device"))
    assert not cannot_write(OperationalError("no such column: foo"))
    assert not cannot_write(ValueError("database or disk is full"))
