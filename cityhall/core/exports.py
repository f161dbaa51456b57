"""Tables as downloads: CSV that Excel in Japan opens correctly, and real .xlsx workbooks.

Both guard against formula injection: a text cell starting with = + - @ (or a tab or carriage
return, which some spreadsheets skip before reading a formula) gets a leading apostrophe, so a
name typed by an applicant can never run as a formula on a staff member's computer.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Row = Sequence[Any]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guard(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula is made plain text; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """`attachment` with an ASCII fallback name and the real (UTF-8, RFC 5987) one.

    "会員数の推移_2026-11-24.xlsx" → filename="2026-11-24.xlsx";
    filename*=UTF-8''%E4%BC%9A…  Browsers use the second; old clients the first, which is
    `fallback` when given, else what is left of the name in ASCII.
    """
    stem, dot, suffix = (fallback or filename).rpartition(".")
    if not dot:
        stem, suffix = fallback or filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9.-]+", "_", ascii_stem).strip("._-") or "download"
    ascii_suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)
    ascii_name = ascii_stem + (f".{ascii_suffix}" if ascii_suffix else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(
    content: bytes, content_type: str, filename: str, fallback: str | None
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    # Staff figures: the browser may keep the file it saved, but no cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(
    filename: str, headers: Row, rows: Iterable[Row], *, fallback: str | None = None
) -> HttpResponse:
    """RFC 4180 CSV (CRLF, quotes doubled) in UTF-8 with a byte order mark for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard(cell) for cell in headers])
    writer.writerows([guard(cell) for cell in row] for row in rows)
    content = ("\ufeff" + out.getvalue()).encode("utf-8")
    return _download(content, "text/csv; charset=utf-8", filename, fallback)


def _display_width(value: Any) -> int:
    """Characters as Excel lays them out: full-width ones count double."""
    if value is None:
        return 0
    if isinstance(value, datetime | date):
        return 10
    text = f"{value:,}" if isinstance(value, int | float) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet_name(title: str) -> str:
    """Excel refuses [ ] : * ? / \\ in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1"


def xlsx_response(
    filename: str,
    sheet_title: str,
    headers: Row,
    rows: Iterable[Row],
    *,
    fallback: str | None = None,
) -> HttpResponse:
    """One worksheet: a bold, frozen header row, then the rows; columns sized to their text."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(sheet_title)
    sheet.append([guard(cell) for cell in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [_display_width(h) for h in headers]
    for row in rows:
        values = [guard(cell) for cell in row]
        sheet.append(values)
        for i, value in enumerate(values):
            if i < len(widths):
                widths[i] = max(widths[i], _display_width(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), XLSX_TYPE, filename, fallback)
