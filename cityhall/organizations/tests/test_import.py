import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.organizations.models import Organization, check_digit

pytestmark = pytest.mark.django_db

# As in the official file: headings with line breaks, half-width kana.
HEADERS = [
    "団体コード",
    "都道府県名\n（漢字）",
    "市区町村名\n（漢字）",
    "都道府県名\n（カナ）",
    "市区町村名\n（カナ）",
]
NEW_CODE = f"01599{check_digit('01599')}"
HOKKAIDO = ["010006", "北海道", "", "ﾎｯｶｲﾄﾞｳ", ""]
KANAGAWA = ["140007", "神奈川県", "", "ｶﾅｶﾞﾜｹﾝ", ""]
YOKOHAMA = ["141003", "神奈川県", "横浜市", "ｶﾅｶﾞﾜｹﾝ", "ﾖｺﾊﾏｼ"]
RENAMED = ["015113", "北海道", "さるふつ村", "ﾎｯｶｲﾄﾞｳ", "ｻﾙﾌﾂﾑﾗ"]
ADDED = [NEW_CODE, "北海道", "新町", "ﾎｯｶｲﾄﾞｳ", "ｼﾝﾏﾁ"]


def xlsx(path: Path, rows: list[list[str]], *, numeric_codes: bool = False) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["全国地方公共団体コード"])  # a title row above the headings
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([int(row[0]) if numeric_codes else row[0], *row[1:]])
    wards = workbook.create_sheet("政令指定都市")  # must be ignored
    wards.append(HEADERS)
    wards.append(["011011", "北海道", "札幌市中央区", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ"])
    file = path / "000925835.xlsx"
    workbook.save(file)
    return file


# A None (the code of a national body) is written as an empty cell.
def write_csv(
    path: Path, rows: Sequence[Sequence[str | None]], encoding: str = "utf-8-sig"
) -> Path:
    file = path / "list.csv"
    with file.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow([h.replace("\n", "") for h in HEADERS])
        writer.writerows(rows)
    return file


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_organizations", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(Organization.objects.order_by("pk").values_list("code", "name", "is_active"))


def test_it_renames_adds_and_deactivates_from_the_official_xlsx(tmp_path, member):
    out = run(
        str(xlsx(tmp_path, [HOKKAIDO, RENAMED, ADDED, KANAGAWA, YOKOHAMA], numeric_codes=True))
    )

    sarufutsu = Organization.objects.get(code="015113")
    assert (sarufutsu.name, sarufutsu.is_active) == ("さるふつ村", True)
    assert "さるふつ村" in sarufutsu.search_text
    added = Organization.objects.get(code=NEW_CODE)
    assert added.prefecture is not None
    assert (added.kind, added.kana, added.prefecture.code) == ("town", "シンマチ", "010006")
    assert added.search_text == added.build_search_text()
    sapporo = Organization.objects.get(code="011002")
    assert not sapporo.is_active  # absent from the new list: kept, but inactive
    assert Organization.objects.local_governments().active().count() == 5
    assert Organization.objects.filter(kind="national", is_active=True).exists()
    assert member.profile.organization.code == "015113"
    assert not Organization.objects.filter(name="札幌市中央区").exists()

    assert "追加: 1件" in out and f"{NEW_CODE} 新町" in out
    assert "名称変更: 1件" in out and "015113 猿払村 → さるふつ村" in out
    assert "無効化: 1784件" in out
    entry = AuditEntry.objects.get(action="organizations.reference.imported")
    assert entry.data["counts"]["added"] == 1 and entry.data["counts"]["renamed"] == 1
    assert entry.data["counts"]["deactivated"] == 1784
    assert "015113 猿払村 → さるふつ村" in entry.data["changes"]["renamed"]
    assert entry.data["source"] == "000925835.xlsx"


def test_it_reactivates_a_local_government_that_returns(tmp_path):
    Organization.objects.filter(code="015113").update(is_active=False)
    out = run(
        str(write_csv(tmp_path, [HOKKAIDO, ["015113", "北海道", "猿払村", "ﾎｯｶｲﾄﾞｳ", "ｻﾙﾌﾂﾑﾗ"]]))
    )
    assert Organization.objects.get(code="015113").is_active
    assert "再有効化: 1件" in out


def test_it_reads_a_csv_saved_from_excel_in_shift_jis(tmp_path):
    run(str(write_csv(tmp_path, [HOKKAIDO, RENAMED], encoding="cp932")))
    assert Organization.objects.get(code="015113").name == "さるふつ村"


def test_it_refuses_a_bad_code_naming_the_row_and_writes_nothing(tmp_path):
    before = snapshot()
    bad = ["015114", "北海道", "猿払村", "ﾎｯｶｲﾄﾞｳ", "ｻﾙﾌﾂﾑﾗ"]
    with pytest.raises(CommandError) as error:
        run(str(xlsx(tmp_path, [HOKKAIDO, RENAMED, bad])))
    assert "5行目" in str(error.value)
    assert "団体コードの検査数字が正しくありません" in str(error.value)
    assert "何も変更していません" in str(error.value)
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="organizations.reference.imported").exists()


@pytest.mark.parametrize(
    "row, message",
    [
        (["01511", "北海道", "猿払村", "ﾎｯｶｲﾄﾞｳ", "ｻﾙﾌﾂﾑﾗ"], "6桁の数字"),
        (["011011", "北海道", "札幌市中央区", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ"], "種別"),
        (["015113", "北海道", "猿払村", "ﾎｯｶｲﾄﾞｳ", ""], "よみ"),
        (["010006", "北海道", "", "ﾎｯｶｲﾄﾞｳ", ""], "重複"),
        (["141003", "神奈川県", "横浜市", "ｶﾅｶﾞﾜｹﾝ", "ﾖｺﾊﾏｼ"], "都道府県"),
    ],
)
def test_it_refuses_other_broken_rows(tmp_path, row, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run(str(write_csv(tmp_path, [HOKKAIDO, row])))
    assert snapshot() == before


def test_it_refuses_a_file_without_the_headings(tmp_path):
    file = tmp_path / "other.csv"
    file.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="見出し行"):
        run(str(file))


def test_it_refuses_a_file_that_is_not_excel(tmp_path):
    file = tmp_path / "list.xlsx"
    file.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="Excel ファイルとして読み込めません"):
        run(str(file))


def test_it_changes_nothing_on_a_dry_run(tmp_path):
    before = snapshot()
    out = run(str(xlsx(tmp_path, [HOKKAIDO, RENAMED, ADDED])), "--dry-run")
    assert "名称変更: 1件" in out and "追加: 1件" in out
    assert "何も書き込んでいません" in out
    assert snapshot() == before
    assert not AuditEntry.objects.exists()


def test_it_changes_nothing_when_the_official_list_is_unchanged(tmp_path):
    rows = [
        [
            org.code,
            org.prefecture.name if org.prefecture else org.name,
            "" if org.kind == "prefecture" else org.name,
            (org.prefecture or org).kana,
            "" if org.kind == "prefecture" else org.kana,
        ]
        for org in Organization.objects.local_governments().select_related("prefecture")
    ]
    out = run(str(write_csv(tmp_path, rows)))
    for section in ("追加", "名称変更", "無効化", "再有効化", "よみ・種別などの更新"):
        assert f"{section}: 0件" in out
    assert testing.organization("015113").is_active
