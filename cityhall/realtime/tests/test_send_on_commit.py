"""send_on_commit: pages hear of a write once it is saved, and never of one rolled back."""

from unittest import mock

import pytest
from django.db import transaction

from cityhall.realtime import send

pytestmark = pytest.mark.django_db


def test_it_sends_after_the_commit_only(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(send, "group_send") as group_send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        send.send_on_commit("user.1", {"type": "session_ended"})
        group_send.assert_not_called()
    group_send.assert_called_once_with("user.1", {"type": "session_ended"})


def test_a_rolled_back_write_sends_nothing():
    with (
        mock.patch.object(send, "group_send") as group_send,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send.send_on_commit("user.1", {"type": "session_ended"})
        raise RuntimeError
    group_send.assert_not_called()
