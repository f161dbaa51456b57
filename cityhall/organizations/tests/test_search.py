import pytest
from django.urls import reverse

from cityhall.organizations.models import Organization

pytestmark = pytest.mark.django_db


def names(query: str, limit: int = 20) -> list[str]:
    found = Organization.objects.active().search(query).select_related("prefecture")[:limit]
    return [org.display_name for org in found]


@pytest.mark.parametrize(
    "query",
    [
        "猿払",
        "猿払村",
        "さるふつ",
        "サルフツ",
        "ｻﾙﾌﾂ",
        "015113",
        "０１５１１３",
        "北海道 猿払",
        "北海道　猿払村",
        "北海道猿払村",
        "ほっかいどう さるふつ",
    ],
)
def test_it_finds_a_village_however_its_name_is_typed(query):
    assert names(query)[0] == "北海道 猿払村"


def test_it_puts_the_exact_code_first():
    assert names("141003") == ["神奈川県 横浜市"]
    assert names("01511")[0] == "北海道 猿払村"  # the code without its check digit


def test_it_puts_name_prefixes_before_other_matches():
    found = names("ふくしま")
    assert found[:3] == ["北海道 福島町", "福島県", "福島県 福島市"]
    assert "福島県 会津若松市" in found[3:]


def test_it_narrows_by_prefecture_and_name():
    assert names("東京 府中") == ["東京都 府中市"]
    assert set(names("府中市")) == {"東京都 府中市", "広島県 府中市"}


def test_it_finds_national_bodies_by_name_and_reading():
    assert names("国税")[0] == "国税庁"
    assert names("ざいむしょう") == ["財務省"]


def test_it_leaves_out_inactive_organizations():
    Organization.objects.filter(code="015113").update(is_active=False)
    assert names("猿払") == []


def test_it_matches_nothing_for_an_empty_query():
    assert names("   ") == []


def test_it_serves_options_to_anonymous_visitors(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("organizations:search"), {"q": "さるふつ"})
    assert response.status_code == 200
    html = response.content.decode()
    sarufutsu = Organization.objects.get(code="015113")
    assert 'role="option"' in html
    assert f'data-value="{sarufutsu.pk}"' in html
    assert 'data-label="北海道 猿払村"' in html
    assert "北海道・村" in html  # prefecture and kind


def test_it_returns_at_most_20_options(client):
    response = client.get(reverse("organizations:search"), {"q": "市"})
    assert response.content.decode().count('role="option"') == 20


def test_it_returns_no_options_without_a_query(client):
    response = client.get(reverse("organizations:search"))
    assert response.status_code == 200
    assert 'role="option"' not in response.content.decode()


def test_it_shows_the_ministry_of_an_agency(client):
    response = client.get(reverse("organizations:search"), {"q": "国税庁"})
    assert "国の機関・財務省" in response.content.decode()
