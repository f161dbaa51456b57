import csv
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from cityhall import testing
from cityhall.core.text import normalize
from cityhall.organizations.models import Organization, check_digit, validate_lg_code
from cityhall.organizations.reference import LOCAL_GOVERNMENTS_CSV, read_national_bodies

pytestmark = pytest.mark.django_db


def test_it_has_all_1788_local_governments_on_a_fresh_database():
    local = Organization.objects.local_governments()
    counts = dict(local.values_list("kind").order_by("kind").annotate(n=Count("id")))
    assert counts == {
        "prefecture": 47,
        "city": 792,
        "town": 743,
        "village": 183,
        "special_ward": 23,
    }
    assert local.count() == 1788
    assert local.active().count() == 1788


def test_it_has_tokyos_23_special_wards_and_no_designated_city_wards():
    wards = Organization.objects.filter(kind="special_ward")
    # Only national bodies go without a code.
    codes = cast("list[str]", list(wards.values_list("code", flat=True)))
    assert sorted(codes)[0] == "131016"
    assert sorted(codes)[-1] == "131237"
    assert all(code.startswith("131") for code in codes)
    assert not Organization.objects.filter(name="中央区", prefecture__name="北海道").exists()
    assert not Organization.objects.filter(name__startswith="札幌市", kind="special_ward").exists()


def test_it_passes_every_codes_check_digit():
    for code in Organization.objects.local_governments().values_list("code", flat=True):
        assert code is not None
        validate_lg_code(code)
        assert check_digit(code[:5]) == int(code[5])


def test_it_knows_the_municipalities_the_personas_use():
    sarufutsu = testing.organization("015113")
    assert (sarufutsu.name, sarufutsu.kind, sarufutsu.kana) == ("猿払村", "village", "サルフツムラ")
    assert sarufutsu.prefecture is not None
    assert sarufutsu.prefecture.code == "010006"
    assert sarufutsu.display_name == "北海道 猿払村"
    assert testing.organization("141003").display_name == "神奈川県 横浜市"
    assert testing.organization("402311").name == "那珂川市"  # a city since 2018-10


def test_it_fills_search_text_with_name_hiragana_code_and_prefecture():
    sarufutsu = testing.organization("015113")
    assert sarufutsu.search_text == sarufutsu.build_search_text()
    for part in ("猿払村", "さるふつむら", "015113", "北海道", "ほっかいどう"):
        assert part in sarufutsu.search_text


def test_it_keeps_full_width_katakana_readings_in_the_committed_file():
    with LOCAL_GOVERNMENTS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1788
    assert all(normalize(row["kana"]) != row["kana"] or not row["kana"] for row in rows)
    assert not any("ｱ" <= ch <= "ﾝ" for row in rows for ch in row["kana"])


def test_it_has_the_national_ministries_and_their_agencies():
    national = Organization.objects.filter(kind="national")
    assert national.count() == len(read_national_bodies())
    assert national.filter(code__isnull=True).count() == national.count()
    for name in ("内閣官房", "デジタル庁", "こども家庭庁", "総務省", "会計検査院", "防衛装備庁"):
        assert national.filter(name=name).exists(), name
    parent = national.get(name="国税庁").parent
    assert parent is not None
    assert parent.name == "財務省"
    parent = national.get(name="観光庁").parent
    assert parent is not None
    assert parent.name == "国土交通省"
    assert national.get(name="財務省").parent is None
    assert national.get(name="国税庁").search_text == "国税庁 こくぜいちょう"


@pytest.mark.parametrize(
    "code, message",
    [
        ("01511", "団体コードは6桁の数字です。"),
        ("0151133", "団体コードは6桁の数字です。"),
        ("01511a", "団体コードは6桁の数字です。"),
        ("０１５１１３", "団体コードは6桁の数字です。"),
        ("015114", "団体コードの検査数字が正しくありません。"),
        ("141004", "団体コードの検査数字が正しくありません。"),
    ],
)
def test_it_rejects_malformed_codes_in_japanese(code, message):
    with pytest.raises(ValidationError) as error:
        validate_lg_code(code)
    assert error.value.messages == [message]


def test_it_computes_check_digits_with_weights_6_to_2_modulo_11():
    assert check_digit("01000") == 6  # 北海道 010006
    assert check_digit("13101") == 6  # 千代田区 131016
    assert check_digit("14100") == 3  # 横浜市 141003
    assert check_digit("01205") == 0  # 室蘭市 012050: sum % 11 == 1, so (11 - 1) % 10
    assert check_digit("01213") == 1  # 苫小牧市 012131: sum % 11 == 0, so 11 % 10
