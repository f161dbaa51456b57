"""The newcomer's checklist on the welcome page.

Each item knows how to tell whether a member has done it. Features that arrive later replace
their placeholder from their AppConfig.ready(), e.g.::

    onboarding.register(ChecklistItem(key="sections", title=..., description=...,
                                      done=lambda user: user.section_memberships.exists(),
                                      url_name="sections:list"))
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User

BriefingTime = tuple[datetime, datetime]
_briefing_sources: list[Callable[[datetime | None], BriefingTime | None]] = []


def provide_briefing_time(source: Callable[[datetime | None], BriefingTime | None]) -> None:
    """The events app, which holds the 説明会 sessions, says at start-up how to find the next
    one (EventsConfig.ready); members show it on the welcome page and in the welcome mail."""
    _briefing_sources[:] = [source]


def next_briefing_time(now: datetime | None = None) -> BriefingTime | None:
    """(start, end) of the next 説明会 in JST, or None when there is none to show."""
    return _briefing_sources[0](now) if _briefing_sources else None


def _has_photo(user: User) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.photo)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str | Promise
    description: str | Promise | Callable[[], str]
    # None while the feature does not exist yet: the item shows as "coming soon".
    done: Callable[[User], bool] | None = None
    url_name: str = ""
    action_label: str | Promise = ""


@dataclass(frozen=True)
class ChecklistRow:
    key: str
    title: str
    description: str
    state: str  # "done", "todo" or "soon"
    url: str
    action_label: str


INTRODUCTION_DESCRIPTION = _(
    "所属や担当業務、やってみたいことを紹介しましょう。全体への投稿で、仲間にあいさつできます。"
)

CHECKLIST: list[ChecklistItem] = [
    ChecklistItem(
        key="profile_photo",
        title=_("プロフィールに写真を登録する"),
        description=_(
            "顔写真と担当業務があると、ほかの自治体の仲間があなたを見つけやすくなります。"
        ),
        done=_has_photo,
        url_name="profiles:edit",
        action_label=_("プロフィールを編集"),
    ),
    ChecklistItem(
        key="sections",
        title=_("興味のある課に参加する"),
        description=_(
            "仕事・スキル・趣味など50以上の課があります。課への参加はまもなく始まります。"
        ),
    ),
    ChecklistItem(
        key="orientation",
        title=_("金曜日の説明会に参加する"),
        description=_("はじめての方向けに、コミュニティの歩き方をご案内します。"),
    ),
    ChecklistItem(
        key="introduction",
        title=_("自己紹介を投稿する"),
        description=INTRODUCTION_DESCRIPTION,
    ),
]


def register(item: ChecklistItem) -> None:
    """Add an item, or replace the item with the same key (keeping its place)."""
    for i, existing in enumerate(CHECKLIST):
        if existing.key == item.key:
            CHECKLIST[i] = item
            return
    CHECKLIST.append(item)


def checklist_for(user: User) -> list[ChecklistRow]:
    """The one checklist, as the welcome page and the home page both show it."""
    rows = []
    for item in CHECKLIST:
        state = "soon" if item.done is None else "done" if item.done(user) else "todo"
        description = item.description() if callable(item.description) else item.description
        rows.append(
            ChecklistRow(
                key=item.key,
                title=str(item.title),
                description=str(description),
                state=state,
                url=reverse(item.url_name) if item.url_name and state == "todo" else "",
                action_label=str(item.action_label),
            )
        )
    return rows


def unfinished_checklist_for(user: User) -> list[ChecklistRow]:
    """The whole checklist while something is left to do, else nothing (the home page)."""
    rows = checklist_for(user)
    return rows if any(row.state == "todo" for row in rows) else []
