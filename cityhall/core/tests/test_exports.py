import csv
import io
from datetime import date
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from cityhall.core.exports import content_disposition, csv_response, guard, xlsx_response

HEADERS = ["月", "入会", "会員数"]
ROWS = [
    ["2026-10", 3, 120],
    ["2026-11", 0, 120],
]
HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\t=1", "a,b", 'say "hi"']


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    book = load_workbook(io.BytesIO(response.content))
    return book, book.active


def test_it_writes_utf8_csv_with_a_byte_order_mark_and_crlf():
    response = csv_response("会員数の推移_2026-11-24.csv", HEADERS, ROWS)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff月,入会,会員数\r\n".encode())
    assert read_csv(response) == [HEADERS, ["2026-10", "3", "120"], ["2026-11", "0", "120"]]


def test_it_quotes_commas_quotes_and_newlines_as_rfc_4180_says():
    response = csv_response("x.csv", ["名前"], [["a,b"], ['say "hi"'], ["two\nlines"]])
    text = response.content.decode("utf-8-sig")
    assert text == '名前\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n'


def test_it_neutralises_formulas_in_csv_cells_and_headers():
    response = csv_response("x.csv", ["=cmd"], [HOSTILE])
    header, row = read_csv(response)
    assert header == ["'=cmd"]
    assert row[:5] == ['\'=HYPERLINK("http://evil")', "'+1", "'-2+3", "'@SUM(A1)", "'\t=1"]
    assert row[5:] == ["a,b", 'say "hi"']


def test_it_leaves_numbers_alone_even_when_negative():
    assert guard(-5) == -5
    assert guard(1.5) == 1.5
    assert guard("-5") == "'-5"
    assert guard(None) is None


def test_it_writes_an_xlsx_with_a_bold_header_and_the_rows():
    response = xlsx_response("会員数の推移_2026-11-24.xlsx", "会員数の推移", HEADERS, ROWS)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    _, sheet = read_xlsx(response)
    assert sheet.title == "会員数の推移"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [HEADERS, *ROWS]
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 9


def test_it_sizes_columns_for_wide_japanese_text():
    response = xlsx_response("x.xlsx", "s", ["団体"], [["北海道 猿払村役場企画政策課"]])
    _, sheet = read_xlsx(response)
    assert sheet.column_dimensions["A"].width >= 26


def test_it_neutralises_formulas_in_xlsx_cells():
    response = xlsx_response("x.xlsx", "s", ["=cmd"], [HOSTILE, [date(2026, 11, 1)]])
    _, sheet = read_xlsx(response)
    assert sheet["A1"].value == "'=cmd"
    values = [c.value for c in sheet[2]]
    assert values[:4] == ['\'=HYPERLINK("http://evil")', "'+1", "'-2+3", "'@SUM(A1)"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A3"].value.date() == date(2026, 11, 1)


def test_it_makes_sheet_titles_excel_accepts():
    response = xlsx_response("x.xlsx", "申請[2026/11]: 受付?*" + "あ" * 40, ["a"], [])
    _, sheet = read_xlsx(response)
    assert len(sheet.title) == 31
    assert not set("[]:*?/\\") & set(sheet.title)


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("会員数の推移_2026-11-24.xlsx", "2026-11-24.xlsx"),
        ("参加申請.csv", "download.csv"),
        ('funnel "all".csv', "funnel_all.csv"),
    ],
)
def test_it_names_the_file_in_ascii_and_in_utf8(filename, fallback):
    header = content_disposition(filename)
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert header.isascii()
    assert unquote(header.split("''", 1)[1]) == filename


def test_it_uses_the_ascii_name_it_is_given():
    response = xlsx_response(
        "参加申請の状況（直近30日）_2026-11-24.xlsx",
        "s",
        ["a"],
        [],
        fallback="funnel_30d_2026-11-24.xlsx",
    )
    assert response["Content-Disposition"].startswith(
        "attachment; filename=\"funnel_30d_2026-11-24.xlsx\"; filename*=UTF-8''%E5%8F%82"
    )


def test_it_sends_the_download_headers():
    response = csv_response("会員数の推移_2026-11-24.csv", HEADERS, ROWS)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2026-11-24.csv\"; filename*=UTF-8''"
        "%E4%BC%9A%E5%93%A1%E6%95%B0%E3%81%AE%E6%8E%A8%E7%A7%BB_2026-11-24.csv"
    )
    assert "no-store" in response["Cache-Control"]
