"""Sending a form twice writes once.

A form that creates something carries a one-time key: a random UUID rendered into the page as
a hidden field (`SubmissionKeyField`, or `{% submission_key %}` in a template), or made by the
page's script for each message and sent again when it retries. The action runs its write
inside `once()`: the first request with a key records what it created, in the write's own
transaction, and a repeat (a double tap, a retry after a cut connection) gets that result back
and writes nothing::

    with once(actor, submission_key, Comment, post=post) as sent:
        if sent.previous is not None:
            return sent.previous
        comment = Comment.objects.create(...)
        return sent.record(comment)

Two requests racing with one key meet at the unique constraint on (user, key): the second
one's claim waits for the first one's transaction and fails when it commits, and the second
request then returns the first one's result. Keys belong to the member who sent them, so a key
never reaches another member's result. Without a key (an old page, a script, a test) the write
happens as before. Keys are forgotten after `KEEP_FOR` (core.jobs).
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from cityhall.core.models import Submission

M = TypeVar("M", bound=models.Model)

FIELD = "submission_key"
KEEP_FOR = timedelta(days=2)
INVALID = "submission_key"
INVALID_MESSAGE = _(
    "送信キーが正しくないため、受け付けられませんでした。"
    "もう一度送信してください（続くときはページを読み込み直してください）。"
)


def invalid_key() -> ValidationError:
    return ValidationError(INVALID_MESSAGE, code=INVALID)


def parse_key(raw: Any) -> uuid.UUID | None:
    """The key sent with a request: None when there is none, ValidationError when malformed."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, uuid.UUID):
        return raw
    if not isinstance(raw, str) or len(raw) > 64:
        raise invalid_key()
    try:
        return uuid.UUID(raw.strip())
    except ValueError as error:
        raise invalid_key() from error


class SubmissionKeyField(forms.UUIDField):
    """The hidden one-time key of a form; optional, so pages and scripts without it still work."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": INVALID_MESSAGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def bound_data(self, data: Any, initial: Any) -> str:
        """A page shown again (a refusal, a preview) keeps its key, so sending it then is still
        the same submission; a missing or malformed key is replaced so the page can be sent."""
        try:
            key = parse_key(data)
        except ValidationError:
            key = None
        return str(key or uuid.uuid4())


@dataclass
class Sent(Generic[M]):
    """What `once()` found: the earlier result of this key, or the claim to record one in."""

    previous: M | None
    claim: Submission | None

    def record(self, result: M) -> M:
        if self.claim is not None:
            self.claim.result_id = result.pk
            self.claim.save(update_fields=["result_id"])
        return result


def earlier_result(user: Any, key: uuid.UUID | None, model: type[M], **belongs: Any) -> M | None:
    """What an earlier request of this member with this key created, if there was one.

    `belongs` is what that result must match (post=post): a key sent again for another target
    or another kind of write is refused like a malformed one."""
    if key is None:
        return None
    row = Submission.objects.filter(user=user, key=key).values_list("kind", "result_id").first()
    if row is None:
        return None
    kind, result_id = row
    result = None
    if kind == model._meta.label_lower and result_id is not None:
        result = model._default_manager.filter(pk=result_id, **belongs).first()
    if result is None:
        raise invalid_key()
    return result


@contextmanager
def once(user: Any, key: uuid.UUID | None, model: type[M], **belongs: Any) -> Iterator[Sent[M]]:
    """Run a write at most once per key and member, in one transaction with its record.

    Yields `previous`, the earlier result of the key (return it and write nothing), or a claim
    the write must `record()` its result in before the block ends."""
    with transaction.atomic():
        if key is None:
            yield Sent(previous=None, claim=None)
            return
        previous = earlier_result(user, key, model, **belongs)
        if previous is None:
            try:
                with transaction.atomic():  # a savepoint: a twin's commit fails this INSERT
                    claim = Submission.objects.create(
                        user=user, key=key, kind=model._meta.label_lower
                    )
            except IntegrityError:
                # A request with the same key committed first, while this one waited for it.
                previous = earlier_result(user, key, model, **belongs)
                if previous is None:
                    raise
        if previous is not None:
            yield Sent(previous=previous, claim=None)
            return
        sent = Sent[M](previous=None, claim=claim)
        yield sent
        if claim.result_id is None:
            raise RuntimeError(f"once(): the write of {claim.kind} did not record its result")
