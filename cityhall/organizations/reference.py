"""Reference data of who can be a member: the 1,788 local governments and the national bodies.

One loader for both ways the data arrives: the data migration loads the committed CSV files in
``data/`` (so every fresh database, test databases included, has them), and the
``import_organizations`` command reads a newer official 総務省 list (.xlsx or .csv). Both write
through ``sync_local_governments``, which works on whichever model class it is given, because a
migration must use its historical model.
"""

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from cityhall.organizations.models import check_digit, search_text, validate_lg_code

DATA_DIR = Path(__file__).resolve().parent / "data"
LOCAL_GOVERNMENTS_CSV = DATA_DIR / "local_governments.csv"
NATIONAL_CSV = DATA_DIR / "national.csv"

# The official list's column headings (compared after NFKC, without spaces or line breaks).
OFFICIAL_HEADERS = {
    "code": "団体コード",
    "prefecture": "都道府県名（漢字）",
    "city": "市区町村名（漢字）",
    "prefecture_kana": "都道府県名（カナ）",
    "city_kana": "市区町村名（カナ）",
}
LOCAL_FIELDS = ["code", "kind", "name", "kana", "prefecture_code"]
SYNCED_FIELDS = ["kind", "name", "kana", "prefecture_id", "sort_key", "is_active", "search_text"]
NATIONAL = "national"
PREFECTURE = "prefecture"
SPECIAL_WARD_PREFIX = "131"  # Tokyo's 23 special wards, 131016..131237
SUFFIX_KINDS = {"市": "city", "町": "town", "村": "village"}


class ReferenceDataError(Exception):
    """The list cannot be used; the message names the row. Nothing has been written."""


@dataclass(frozen=True)
class LocalGovernment:
    code: str
    kind: str
    name: str
    kana: str
    prefecture_code: str


@dataclass(frozen=True)
class NationalBody:
    slug: str
    name: str
    kana: str
    parent_slug: str


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # kana, kind or prefecture changed

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in ("added", "renamed", "deactivated", "reactivated", "updated")
        }


def prefecture_code_of(code: str) -> str:
    """01xxxx → 010006: the prefecture's own code is its two digits, 000 and a check digit."""
    five = code[:2] + "000"
    return f"{five}{check_digit(five)}"


def _clean(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _kana(value: Any) -> str:
    """The official list spells readings in half-width katakana; we keep full width."""
    return _clean(value).replace(" ", "")


def _code(value: Any) -> str:
    # Excel may hold the code as a number and drop the leading zero of 01..09.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):06d}"
    return _clean(value)


def local_government_from_official(line: int, values: dict[str, Any]) -> LocalGovernment:
    """One row of the official list, validated; raises ReferenceDataError naming the row."""
    code = _code(values.get("code"))
    prefecture, city = _clean(values.get("prefecture")), _clean(values.get("city"))
    try:
        validate_lg_code(code)
    except ValidationError as error:
        raise ReferenceDataError(
            f"{line}行目: 団体コード「{code}」（{prefecture}{city}）: {error.messages[0]}"
        ) from error
    if not prefecture:
        raise ReferenceDataError(f"{line}行目: 都道府県名がありません（団体コード {code}）。")
    if not city:
        if code[2:5] != "000":
            raise ReferenceDataError(f"{line}行目: 市区町村名がありません（団体コード {code}）。")
        kind, name, kana = PREFECTURE, prefecture, _kana(values.get("prefecture_kana"))
    else:
        name, kana = city, _kana(values.get("city_kana"))
        if code.startswith(SPECIAL_WARD_PREFIX) and city.endswith("区"):
            kind = "special_ward"
        elif city[-1] in SUFFIX_KINDS:
            kind = SUFFIX_KINDS[city[-1]]
        else:
            # Wards of designated cities (札幌市中央区 …) are not local governments.
            raise ReferenceDataError(
                f"{line}行目: 「{city}」の種別（市・町・村・特別区）を判別できません。"
            )
    if not kana:
        raise ReferenceDataError(f"{line}行目: 「{name}」のよみ（カナ）がありません。")
    pref_code = "" if kind == PREFECTURE else prefecture_code_of(code)
    return LocalGovernment(code, kind, name, kana, pref_code)


def _header_key(value: Any) -> str:
    return "".join(_clean(value).split())


_WANTED = {_header_key(text): key for key, text in OFFICIAL_HEADERS.items()}


def _official_rows(table: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Finds the header row, then yields (line, {key: value}) for every non-blank row."""
    columns: dict[int, str] | None = None
    for line, cells in table:
        if columns is None:
            found = {
                i: _WANTED[_header_key(c)] for i, c in enumerate(cells) if _header_key(c) in _WANTED
            }
            if len(found) == len(_WANTED):
                columns = found
            continue
        if not any(_clean(c) for c in cells):
            continue
        yield line, {key: cells[i] if i < len(cells) else "" for i, key in columns.items()}
    if columns is None:
        headings = "、".join(OFFICIAL_HEADERS.values())
        raise ReferenceDataError(f"見出し行（{headings}）が見つかりません。")


def _xlsx_table(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file it cannot read
        raise ReferenceDataError(f"Excel ファイルとして読み込めません（{error}）。") from error
    try:
        # The first sheet is the list of local governments; a later one lists the wards of
        # designated cities, which are not local governments.
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        workbook.close()


def _csv_table(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")  # a CSV saved from Excel on Windows
        except UnicodeDecodeError as error:
            raise ReferenceDataError(
                "文字コードを読み取れません。UTF-8 か Shift_JIS で保存してください。"
            ) from error
    yield from enumerate(csv.reader(text.splitlines()), start=1)


def read_official_list(path: Path) -> list[LocalGovernment]:
    """The 総務省 list (.xlsx, or .csv with the same headings), every row validated."""
    table = _xlsx_table(path) if path.suffix.lower() == ".xlsx" else _csv_table(path)
    rows: list[LocalGovernment] = []
    seen: dict[str, int] = {}
    for line, values in _official_rows(table):
        row = local_government_from_official(line, values)
        if row.code in seen:
            raise ReferenceDataError(
                f"{line}行目: 団体コード {row.code} が{seen[row.code]}行目と重複しています。"
            )
        seen[row.code] = line
        rows.append(row)
    for row in rows:
        if row.prefecture_code and row.prefecture_code not in seen:
            raise ReferenceDataError(
                f"{seen[row.code]}行目: 「{row.name}」の都道府県（団体コード "
                f"{row.prefecture_code}）の行がありません。"
            )
    if not rows:
        raise ReferenceDataError("団体の行が1行もありません。")
    return rows


def read_local_governments(path: Path = LOCAL_GOVERNMENTS_CSV) -> list[LocalGovernment]:
    with path.open(encoding="utf-8", newline="") as f:
        return [LocalGovernment(**row) for row in csv.DictReader(f)]


def write_local_governments(
    rows: Iterable[LocalGovernment], path: Path = LOCAL_GOVERNMENTS_CSV
) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(LOCAL_FIELDS)
        for row in rows:
            writer.writerow([getattr(row, name) for name in LOCAL_FIELDS])


def read_national_bodies(path: Path = NATIONAL_CSV) -> list[NationalBody]:
    with path.open(encoding="utf-8", newline="") as f:
        return [NationalBody(**row) for row in csv.DictReader(f)]


def sync_local_governments(
    model: Any, rows: list[LocalGovernment], *, deactivate_missing: bool = True
) -> ImportSummary:
    """Upsert by code; local governments missing from ``rows`` become inactive, never deleted
    (members and applications point at them). Call inside a transaction."""
    summary = ImportSummary()
    by_code = {r.code: r for r in rows}
    existing = {o.code: o for o in model.objects.exclude(kind=NATIONAL)}
    # Prefectures first, so that municipalities can point at them.
    prefectures = [r for r in rows if r.kind == PREFECTURE]
    for wave in (prefectures, [r for r in rows if r.kind != PREFECTURE]):
        pks = {code: o.pk for code, o in existing.items() if o.kind == PREFECTURE}
        new, changed = [], []
        for row in wave:
            pref = by_code.get(row.prefecture_code)
            values = {
                "kind": row.kind,
                "name": row.name,
                "kana": row.kana,
                "prefecture_id": pks.get(row.prefecture_code),
                "sort_key": row.code,
                "is_active": True,
                "search_text": search_text(
                    row.name,
                    row.kana,
                    row.code,
                    pref.name if pref else "",
                    pref.kana if pref else "",
                ),
            }
            org = existing.get(row.code)
            if org is None:
                new.append(model(code=row.code, **values))
                summary.added.append(f"{row.code} {row.name}")
                continue
            diff = [name for name, value in values.items() if getattr(org, name) != value]
            if not diff:
                continue
            if org.name != row.name:
                summary.renamed.append(f"{row.code} {org.name} → {row.name}")
            elif not org.is_active:
                summary.reactivated.append(f"{row.code} {row.name}")
            elif set(diff) - {"search_text", "sort_key"}:
                summary.updated.append(f"{row.code} {row.name}")
            for name in diff:
                setattr(org, name, values[name])
            changed.append(org)
        model.objects.bulk_create(new, batch_size=500)
        model.objects.bulk_update(changed, SYNCED_FIELDS, batch_size=500)
        for org in model.objects.filter(code__in=[o.code for o in new]):
            existing[org.code] = org
    if deactivate_missing:
        gone = [o for code, o in existing.items() if code not in by_code and o.is_active]
        for org in gone:
            org.is_active = False
            summary.deactivated.append(f"{org.code} {org.name}")
        model.objects.bulk_update(gone, ["is_active"], batch_size=500)
    return summary


def sync_national_bodies(model: Any, bodies: list[NationalBody]) -> None:
    """Upsert the ministries and agencies by slug, in the order of the file."""
    existing = {o.slug: o for o in model.objects.filter(kind=NATIONAL)}
    for position, body in enumerate(bodies, start=1):
        parent = existing[body.parent_slug] if body.parent_slug else None
        values = {
            "kind": NATIONAL,
            "name": body.name,
            "kana": body.kana,
            "parent": parent,
            "sort_key": f"n{position:03d}",
            "is_active": True,
            "search_text": search_text(body.name, body.kana, ""),
        }
        org, _ = model.objects.update_or_create(slug=body.slug, defaults=values)
        existing[body.slug] = org


def load_reference_data(model: Any) -> None:
    """What the data migration runs: the committed lists, idempotent."""
    sync_local_governments(model, read_local_governments(), deactivate_missing=False)
    sync_national_bodies(model, read_national_bodies())
