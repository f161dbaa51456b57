"""FAQ documents as PDF, with the Japanese font embedded so they print anywhere.

The font is IPAex Gothic (static/vendor/fonts/ipaexg.ttf, IPA Font License v1.0); ReportLab
embeds only the glyphs a document uses. Answers are Markdown: they are laid out from
markdown-it's tokens, and every piece of text is escaped, so nothing typed is read as markup.
"""

import io
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "IPAexGothic"
FONT_PATH = settings.BASE_DIR / "static" / "vendor" / "fonts" / "ipaexg.ttf"


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    # One face only: bold and italic map to it, so **強調** in an answer cannot fail.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    base = ParagraphStyle(
        "base", fontName=FONT, fontSize=10, leading=17, wordWrap="CJK", spaceAfter=3
    )
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, textColor=colors.HexColor("#555555")),
        "question": ParagraphStyle(
            "question", parent=base, fontSize=12.5, leading=20, spaceBefore=10, spaceAfter=4,
            textColor=colors.HexColor("#0031d8"),
        ),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11, leading=18, spaceBefore=4),
        "meta": ParagraphStyle(
            "meta", parent=base, fontSize=8.5, leading=13, spaceAfter=0,
            textColor=colors.HexColor("#555555"),
        ),
        "warning": ParagraphStyle(
            "warning", parent=base, fontSize=8.5, leading=13, spaceAfter=0,
            textColor=colors.HexColor("#b3261e"),
        ),
        "code": ParagraphStyle(
            "code", parent=base, fontSize=9, leading=14, backColor=colors.HexColor("#f2f2f2"),
            borderPadding=4, leftIndent=4, rightIndent=4, spaceBefore=2, spaceAfter=4,
        ),
    }  # fmt: skip


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


INLINE_TAGS = {
    "strong_open": "<b>", "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>",
    "s_open": "<strike>", "s_close": "</strike>", "hardbreak": "<br/>", "softbreak": " ",
}  # fmt: skip


def _inline(token: Token) -> str:
    """Paragraph mini-markup for one inline token; only text we escaped goes in."""
    out: list[str] = []
    href = ""
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            out.append(escape(child.content))
        elif child.type in INLINE_TAGS:
            out.append(INLINE_TAGS[child.type])
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close" and href:
            out.append(f" ({escape(href)})")
            href = ""
        elif child.type == "image":
            out.append(escape(child.content))
    return "".join(out)


def markdown_flowables(text: str) -> list[Flowable]:
    """Headings, paragraphs, lists (one level of markers per depth), quotes, code and tables."""
    styles = _styles()
    flow: list[Flowable] = []
    lists: list[list[Any]] = []  # [ordered, next number] per open list
    bullet = ""
    quote = 0
    rows: list[list[Paragraph]] = []
    cell_open = False
    heading = False
    for token in _parser().parse(text or ""):
        kind = token.type
        if kind in {"bullet_list_open", "ordered_list_open"}:
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            bullet = f"{number}." if ordered else "・"
            lists[-1][1] = number + 1
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            heading = True
        elif kind == "tr_open":
            rows.append([])
        elif kind in {"th_open", "td_open"}:
            cell_open = True
        elif kind in {"th_close", "td_close"}:
            cell_open = False
        elif kind == "table_close" and rows:
            flow.append(_table(rows))
            rows = []
        elif kind == "inline":
            markup = _inline(token)
            if cell_open:
                rows[-1].append(Paragraph(markup, styles["body"]))
                continue
            style = styles["heading"] if heading else styles["body"]
            indent = 14 * (len(lists) + quote)
            if bullet:
                markup = f"{escape(bullet)} {markup}"
                bullet = ""
            flow.append(Paragraph(markup, ParagraphStyle("p", parent=style, leftIndent=indent)))
            heading = False
        elif kind in {"fence", "code_block"}:
            lines = escape(token.content.rstrip("\n")).replace("\n", "<br/>")
            flow.append(Paragraph(lines, styles["code"]))
        elif kind == "hr":
            flow.append(HRFlowable(width="100%", color=colors.HexColor("#cccccc")))
    return flow


def _table(rows: list[list[Paragraph]]) -> Table:
    width = max(len(r) for r in rows)
    padded = [r + [Paragraph("", _styles()["body"])] * (width - len(r)) for r in rows]
    table = Table(padded, repeatRows=1, hAlign="LEFT", spaceAfter=6)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _footer(label: str) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(18 * mm, 10 * mm, label)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    return draw


def build_pdf(
    *, title: str, subtitle: Sequence[str], entries: Sequence[dict[str, Any]], footer: str
) -> bytes:
    """A4 document: title, subtitle lines, then each entry as a question, its answer and its
    meta lines ({"question", "answer", "meta": [...], "warning": str})."""
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=title, author=str(settings.SITE_NAME), subject=title,
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
    )  # fmt: skip
    story: list[Flowable] = [Paragraph(escape(title), styles["title"])]
    story += [Paragraph(escape(line), styles["subtitle"]) for line in subtitle]
    story.append(Spacer(1, 6 * mm))
    for number, entry in enumerate(entries, start=1):
        story.append(CondPageBreak(40 * mm))  # a question never sits alone at a page's foot
        head = Paragraph(escape(f"Q{number}. {entry['question']}"), styles["question"])
        story.append(KeepTogether([head]))
        story += markdown_flowables(entry["answer"])
        if entry.get("warning"):
            story.append(Paragraph(escape(entry["warning"]), styles["warning"]))
        story += [Paragraph(escape(line), styles["meta"]) for line in entry.get("meta", [])]
        story.append(Spacer(1, 3 * mm))
        story.append(HRFlowable(width="100%", color=colors.HexColor("#dddddd")))
    doc.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return out.getvalue()
