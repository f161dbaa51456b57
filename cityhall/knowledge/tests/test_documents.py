import io
from datetime import date
from typing import cast

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from cityhall.knowledge.tests.conftest import days_ago, make_entry


def _fonts(reader: PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        # A page's resources and their fonts are dictionaries; the stubs say PdfObject.
        resources = cast(DictionaryObject, page["/Resources"])
        for font in cast(DictionaryObject, resources["/Font"]).values():
            fonts.append(font.get_object())
    return fonts


def test_it_makes_a_printable_document_of_the_selection(as_user, member, staff, vaccination):
    make_entry(staff, question="接種券の再発行", duties=[vaccination])
    make_entry(staff, question="会場の導線", tags=["会場運営"])
    make_entry(staff, question="下書きの質問", status="draft", duties=[vaccination])
    page = (
        as_user(member)
        .get(reverse("knowledge:document"), {"duty": vaccination.pk})
        .content.decode()
    )
    assert "FAQ資料：予防接種" in page
    assert "Q1. 接種券の再発行" in page
    assert "会場の導線" not in page and "下書きの質問" not in page
    assert f"/faq/document.pdf?duty={vaccination.pk}" in page
    assert f"/faq/document.xlsx?duty={vaccination.pk}" in page


def test_it_leaves_drafts_out_of_documents_even_for_writers(as_user, staff):
    make_entry(staff, question="下書きの質問", status="draft")
    page = as_user(staff).get(reverse("knowledge:document")).content.decode()
    assert "下書きの質問" not in page
    assert "この条件に合う公開済みのFAQはありません。" in page


def test_it_downloads_a_pdf_with_the_japanese_font_embedded(as_user, member, staff):
    make_entry(
        staff,
        question="副反応の相談はどこで受けますか。",
        answer="## 体制\n\n- 専用の**コールセンター**\n- 医師会と連携\n\n"
        "| 時間 | 窓口 |\n|---|---|\n| 平日 | 保健センター |\n\n<script>alert(1)</script>",
        tags=["副反応"],
        notice_title="副反応疑い報告について",
        notice_issuer="厚生労働省",
        as_of=days_ago(500),
    )
    response = as_user(member).get(reverse("knowledge:document_pdf"), {"tag": "副反応"})
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ["FAQ資料：副反応", "Q1. 副反応の相談はどこで受けますか。", "コールセンター",
                  "保健センター", "副反応疑い報告について", "1年以上前の情報です",
                  "<script>alert(1)</script>"]:  # fmt: skip
        assert words in text
    fonts = _fonts(reader)
    assert any("IPAexGothic" in str(f["/BaseFont"]) for f in fonts)
    # The TrueType program itself is in the file (not just a reference to a system font).
    embedded = [
        f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        for f in fonts
        if "/DescendantFonts" in f
    ] + [f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f]
    assert any("/FontFile2" in d for d in embedded)
    assert len(content) < 500_000  # only the glyphs used are embedded


def test_it_downloads_an_excel_workbook_one_row_per_entry(as_user, member, staff, vaccination):
    make_entry(staff, question="接種券の再発行", duties=[vaccination], tags=["接種券"])
    second = make_entry(
        staff,
        question="=HYPERLINK(危険)",
        notice_title="接種の手引き",
        notice_date=date(2021, 3, 1),
        notice_url="https://example.go.jp/tebiki",
    )
    response = as_user(member).get(reverse("knowledge:document_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("番号", "質問", "回答（Markdown）", "情報の時点")
    assert len(rows) == 3
    assert rows[1][1] == "接種券の再発行" and rows[1][4] == "予防接種" and rows[1][5] == "接種券"
    assert rows[2][1] == "'=HYPERLINK(危険)"  # never a formula
    assert rows[2][6] == "接種の手引き" and rows[2][9] == "https://example.go.jp/tebiki"
    assert rows[2][12].endswith(reverse("knowledge:detail", args=[second.pk]))


def test_it_names_the_download_after_the_selection(as_user, member, staff):
    make_entry(staff, tags=["接種券"])
    response = as_user(member).get(reverse("knowledge:document_pdf"), {"tag": "接種券"})
    disposition = response["Content-Disposition"]
    assert 'filename="faq-' in disposition
    assert "filename*=UTF-8''FAQ" in disposition


def test_it_makes_an_empty_pdf_when_nothing_is_published(as_user, member):
    response = as_user(member).get(reverse("knowledge:document_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
