"""@mentions in posts and comments: ``@山田太郎#123``.

Japanese members have no handles, and names repeat (there are many 佐藤 花子), so a mention
carries the member's id after the name. The id decides who is meant; the name is only there so
the writer can read their own text. Rendering shows the member's CURRENT name, linked to their
profile; an unknown id, or someone who is no longer a member, stays plain text.

At most MAX_MENTIONS different people count per text, so nobody can page the whole community.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

MAX_MENTIONS = 20
NAME_SECONDS = 60
# "@" + a name without spaces, "@" or "#" + "#" + the member's id. Not after an ASCII letter,
# digit or dot, so mail addresses and URLs ("a@b.jp#1") are left alone.
MENTION_RE = re.compile(r"(?<![A-Za-z0-9._%+\-/])@([^\s@#]{0,40})#([1-9][0-9]{0,11})(?![0-9])")


def mentioned_ids(text: str) -> list[int]:
    """The distinct ids mentioned in the text, in order of appearance, at most MAX_MENTIONS."""
    ids: list[int] = []
    for match in MENTION_RE.finditer(text or ""):
        pk = int(match.group(2))
        if pk not in ids:
            ids.append(pk)
            if len(ids) == MAX_MENTIONS:
                break
    return ids


def mention_token(user: Any) -> str:
    """What the type-ahead inserts for a member: their name without spaces, then the id."""
    name = re.sub(r"[\s@#]+", "", f"{user.family_name}{user.given_name}")[:40]
    return f"@{name}#{user.pk}"


def display_names(ids: Iterable[int]) -> dict[int, str]:
    """Current names of the members among the ids, read through a short cache (one query for
    the misses). Ids of non-members map to nothing."""
    User = get_user_model()
    ids = list(ids)
    if not ids:
        return {}
    keys = {pk: f"mentions:name:{pk}" for pk in ids}
    cached = cache.get_many(keys.values())
    names = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in ids if pk not in names]
    if missing:
        found = {
            pk: f"{family} {given}".strip()
            for pk, family, given in User.objects.filter(
                pk__in=missing, status=User.Status.MEMBER, is_active=True
            ).values_list("pk", "family_name", "given_name")
        }
        # "" remembers that an id is nobody, so hostile ids do not cost a query each time.
        fresh = {pk: found.get(pk, "") for pk in missing}
        cache.set_many({keys[pk]: name for pk, name in fresh.items()}, NAME_SECONDS)
        names.update(fresh)
    return {pk: name for pk, name in names.items() if name}


def warm_names(texts: Iterable[str]) -> None:
    """Look up every name a page's texts mention in one query, so rendering them one by one
    (a post and its comments) reads only the cache."""
    ids = {pk for text in texts for pk in mentioned_ids(text)}
    display_names(sorted(ids))


def render_env(text: str) -> dict[str, Any]:
    """The markdown environment for one text: the names of the members it mentions."""
    ids = mentioned_ids(text)
    return {"mention_names": display_names(ids) if ids else {}}


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@" or state.linkLevel > 0:
        return False
    match = MENTION_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.content = match.group(0)
        token.meta = {"id": int(match.group(2))}
    state.pos = match.end()
    return True


def _render_mention(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    name = (env or {}).get("mention_names", {}).get(token.meta["id"])
    if not name:
        return escape(token.content)
    url = reverse("profiles:detail", args=[token.meta["id"]])
    return f'<a href="{escape(url)}">@{escape(name)}</a>'


def mentions_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin: mentions become links (outside code and links)."""
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
