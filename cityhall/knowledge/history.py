"""An entry's versions for the history page, newest first, each with what it changed."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cityhall.core.markdown import render_markdown
from cityhall.knowledge.models import FaqEntry, FaqRevision

COMPARED: tuple[tuple[str, Promise], ...] = (
    ("question", _("質問")),
    ("answer", _("回答")),
    ("as_of", _("情報の時点")),
    ("notice", _("通知")),
    ("duties", _("担当業務")),
    ("tags", _("タグ")),
    ("status", _("公開状態")),
)


@dataclass
class Version:
    revision: FaqRevision
    html: SafeString
    changes: list[Promise] = field(default_factory=list)
    first: bool = False


def versions(entry: FaqEntry) -> list[Version]:
    revisions = list(entry.revisions.select_related("edited_by").order_by("version"))
    result: list[Version] = []
    previous: FaqRevision | None = None
    for revision in revisions:
        changes = [
            label
            for name, label in COMPARED
            if previous is not None and getattr(previous, name) != getattr(revision, name)
        ]
        result.append(
            Version(revision, render_markdown(revision.answer), changes, first=previous is None)
        )
        previous = revision
    return result[::-1]
