"""Markdown for members' posts, comments and FAQ: CommonMark with tables and strikethrough and
the CJK-friendly emphasis rule (so **強調**も効く), then an allow-list sanitiser, so nothing a
member types can run script, load outside resources or restyle the page."""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from cityhall.core.cjk_emphasis import cjk_friendly_plugin
from cityhall.core.mentions import mentions_plugin, render_env

# What CommonMark + tables + strikethrough produce, minus images (no outside resources).
TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # html=False: raw HTML in the source is shown as text, never passed through.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.use(cjk_friendly_plugin)  # **（B類疾病）**として: Japanese has no spaces around emphasis
    return md.use(mentions_plugin)  # @山田太郎#123 → a link to the member's profile


def render_markdown(text: str) -> SafeString:
    html = _parser().render(text or "", render_env(text or ""))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(clean)  # sanitised by nh3 against the allow-list above
