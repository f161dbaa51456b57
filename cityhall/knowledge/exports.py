"""FAQ documents (FAQ資料): a selection of published entries as a printable page, a PDF and an
Excel workbook, built from one FaqDocument so the three always agree."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityhall.core.exports import content_disposition, xlsx_response
from cityhall.core.jst import now_jst, to_jst
from cityhall.knowledge.models import FaqEntry
from cityhall.knowledge.pdf import build_pdf

# A document is for handing out: past this many entries, narrow the selection.
DOCUMENT_LIMIT = 300


@dataclass
class FaqDocument:
    label: str  # the selection in words ("予防接種 / 接種券"), "" for everything
    entries: list[FaqEntry]
    truncated: bool = False
    today: date = field(default_factory=lambda: now_jst().date())

    @property
    def title(self) -> str:
        if self.label:
            return _("FAQ資料：%(label)s") % {"label": self.label}
        return _("FAQ資料")

    def filename(self, extension: str) -> str:
        name = self.title.replace("/", "・").replace(" ", "")
        return f"{name}_{self.today.isoformat()}.{extension}"

    def fallback(self, extension: str) -> str:
        return f"faq-{self.today.isoformat()}.{extension}"

    def subtitle(self) -> list[str]:
        lines = [
            _("%(site)s　%(date)s 現在の公開内容（%(count)d件）")
            % {
                "site": settings.SITE_NAME,
                "date": date_format(self.today, "Y年n月j日"),
                "count": len(self.entries),
            },
            _("会員向けの資料です。各回答の「情報の時点」以降に制度や通知が変わっていないか、"
              "最新の通知等もあわせてご確認ください。"),
        ]  # fmt: skip
        if self.truncated:
            lines.append(
                _("件数が多いため、最初の%(limit)d件だけを収録しています。")
                % {"limit": DOCUMENT_LIMIT}
            )
        return lines


def event_label(event: Any) -> str:
    """「シリーズ名 回のタイトル（2021/05/16）」, the series left out when the title has it."""
    title = event.title
    if event.series_id and not title.startswith(event.series.title):
        title = f"{event.series.title} {title}"
    return f"{title}（{to_jst(event.starts_at):%Y/%m/%d}）"


def source_text(entry: FaqEntry) -> str:
    """Set by the view (`entry.source_label`) from the sessions the reader may see."""
    parts = [getattr(entry, "source_label", ""), entry.source_note]
    return "／".join(p for p in parts if p)


def notice_text(entry: FaqEntry) -> str:
    details = [entry.notice_issuer] if entry.notice_issuer else []
    if entry.notice_date:
        details.append(date_format(entry.notice_date, "Y年n月j日"))
    text = entry.notice_title + (f"（{'、'.join(details)}）" if details else "")
    return f"{text} {entry.notice_url}".strip()


def stale_warning(entry: FaqEntry, today: date) -> str:
    if not entry.is_stale(today):
        return ""
    return _("1年以上前の情報です。最新の通知等で変更がないかご確認ください。")


def meta_lines(entry: FaqEntry) -> list[str]:
    lines = [_("情報の時点：%(date)s") % {"date": date_format(entry.as_of, "Y年n月j日")}]
    if entry.has_notice:
        lines.append(_("通知：%(notice)s") % {"notice": notice_text(entry)})
    duties = "、".join(d.name for d in entry.duties.all())
    tags = "、".join(t.name for t in entry.tags.all())
    if duties:
        lines.append(_("担当業務：%(duties)s") % {"duties": duties})
    if tags:
        lines.append(_("タグ：%(tags)s") % {"tags": tags})
    if source_text(entry):
        lines.append(_("出典：%(source)s") % {"source": source_text(entry)})
    return lines


def pdf_response(document: FaqDocument) -> HttpResponse:
    entries: list[dict[str, Any]] = [
        {
            "question": e.question,
            "answer": e.answer,
            "meta": meta_lines(e),
            "warning": stale_warning(e, document.today),
        }
        for e in document.entries
    ]
    content = build_pdf(
        title=document.title,
        subtitle=document.subtitle(),
        entries=entries,
        footer=f"{settings.SITE_NAME}　{document.title}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        document.filename("pdf"), document.fallback("pdf")
    )
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_headers() -> list[str]:
    return [
        _("番号"), _("質問"), _("回答（Markdown）"), _("情報の時点"), _("担当業務"), _("タグ"),
        _("通知の件名"), _("発出元"), _("通知の日付"), _("通知のURL"), _("出典"),
        _("最終更新"), _("URL"),
    ]  # fmt: skip


def xlsx_rows(document: FaqDocument) -> list[list[Any]]:
    return [
        [
            number,
            e.question,
            e.answer,
            e.as_of,
            "、".join(d.name for d in e.duties.all()),
            "、".join(t.name for t in e.tags.all()),
            e.notice_title,
            e.notice_issuer,
            e.notice_date,
            e.notice_url,
            source_text(e),
            to_jst(e.updated_at).date(),
            settings.SITE_URL + reverse("knowledge:detail", args=[e.pk]),
        ]
        for number, e in enumerate(document.entries, start=1)
    ]


def xlsx_document_response(document: FaqDocument) -> HttpResponse:
    return xlsx_response(
        document.filename("xlsx"),
        _("FAQ資料"),
        xlsx_headers(),
        xlsx_rows(document),
        fallback=document.fallback("xlsx"),
    )
