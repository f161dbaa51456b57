import pytest
from django.urls import reverse

from cityhall.audit.models import AuditEntry
from cityhall.members.models import Duty

pytestmark = pytest.mark.django_db


def test_it_seeds_the_curated_duties_with_categories():
    assert Duty.objects.count() >= 50
    for name in (
        "児童手当",
        "防災",
        "住民記録",
        "税務（住民税）",
        "情報システム・DX",
        "図書館",
        "地域おこし協力隊",
        "ふるさと納税",
        "マイナンバー",
        "議会事務局",
    ):
        duty = Duty.objects.get(name=name)
        assert duty.category and duty.kana and duty.is_active
    assert Duty.objects.get(name="児童手当").category == "子ども・子育て"


@pytest.mark.parametrize("name", ["list", "create"])
def test_it_keeps_the_duty_pages_to_staff(as_user, member, name):
    assert as_user(member).get(reverse(f"staff_duties:{name}")).status_code == 403


def test_it_refuses_members_changes(as_user, member):
    duty = Duty.objects.get(name="防災")
    client = as_user(member)
    assert (
        client.post(reverse("staff_duties:set_active", args=[duty.pk]), {"active": "0"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("staff_duties:edit", args=[duty.pk]), {"name": "防災・危機管理"}
        ).status_code
        == 403
    )
    duty.refresh_from_db()
    assert (duty.name, duty.is_active) == ("防災", True)


def test_it_lists_duties_with_how_many_profiles_use_each(
    as_user, staff, member, outsider, django_assert_max_num_queries
):
    bosai = Duty.objects.get(name="防災")
    member.profile.duties.add(bosai)
    outsider.profile.duties.add(bosai)
    client = as_user(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff_duties:list"))
    assert response.status_code == 200
    rows = {duty.name: duty.profile_count for duty in response.context["duties"]}
    assert rows["防災"] == 2 and rows["児童手当"] == 0
    assert "選んでいる会員 2人" in response.content.decode()


def test_it_lets_staff_add_a_duty(as_user, staff):
    response = as_user(staff).post(
        reverse("staff_duties:create"),
        {
            "name": "公営企業",
            "kana": "こうえいきぎょう",
            "category": "行政経営",
            "sort_order": "",
        },
    )
    assert response.status_code == 302
    duty = Duty.objects.get(name="公営企業")
    assert duty.kana == "コウエイキギョウ"
    assert duty.sort_order > Duty.objects.exclude(pk=duty.pk).order_by("-sort_order")[0].sort_order
    entry = AuditEntry.objects.get(action="members.duty.created")
    assert entry.actor == staff and entry.target_id == str(duty.pk)


def test_it_lets_staff_edit_a_duty(as_user, staff):
    duty = Duty.objects.get(name="防災")
    client = as_user(staff)
    assert client.get(reverse("staff_duties:edit", args=[duty.pk])).status_code == 200
    response = client.post(
        reverse("staff_duties:edit", args=[duty.pk]),
        {
            "name": "防災・危機管理",
            "kana": "ボウサイ・キキカンリ",
            "category": "安全・安心",
            "sort_order": "5",
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.name, duty.sort_order) == ("防災・危機管理", 5)
    entry = AuditEntry.objects.get(action="members.duty.updated")
    assert entry.data["changes"]["name"] == ["防災", "防災・危機管理"]


def test_it_lets_staff_hide_and_show_a_duty_without_losing_it(as_user, staff, member):
    duty = Duty.objects.get(name="統計")
    member.profile.duties.add(duty)
    client = as_user(staff)
    url = reverse("staff_duties:set_active", args=[duty.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    duty.refresh_from_db()
    assert not duty.is_active
    assert duty not in Duty.objects.active()
    assert duty in member.profile.duties.all()
    client.post(url, {"active": "1"})
    duty.refresh_from_db()
    assert duty.is_active
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["members.duty.hidden", "members.duty.shown"]


def test_it_only_hides_by_post(as_user, staff):
    duty = Duty.objects.get(name="統計")
    assert as_user(staff).get(reverse("staff_duties:set_active", args=[duty.pk])).status_code == 405


@pytest.mark.parametrize("name", ["児童手当", " 児童手当 ", "情報システム・ＤＸ"])
def test_it_refuses_a_duplicate_name_and_keeps_the_input(as_user, staff, name):
    count = Duty.objects.count()
    response = as_user(staff).post(
        reverse("staff_duties:create"),
        {
            "name": name,
            "kana": "",
            "category": "新しい分野",
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["name"]
    assert "はすでに登録されています" in error
    assert Duty.objects.count() == count
    assert 'value="新しい分野"' in response.content.decode()


def test_it_points_to_a_hidden_duplicate(as_user, staff):
    Duty.objects.filter(name="選挙").update(is_active=False)
    response = as_user(staff).post(reverse("staff_duties:create"), {"name": "選挙"})
    assert "非表示中" in response.context["form"].errors["name"][0]


def test_it_allows_keeping_a_duty_name_when_editing(as_user, staff):
    duty = Duty.objects.get(name="選挙")
    response = as_user(staff).post(
        reverse("staff_duties:edit", args=[duty.pk]),
        {
            "name": "選挙",
            "kana": "センキョ",
            "category": "選挙・監査",
            "sort_order": "",
        },
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.category == "選挙・監査"


def test_it_refuses_a_reading_that_is_not_kana(as_user, staff):
    response = as_user(staff).post(
        reverse("staff_duties:create"),
        {
            "name": "公営企業",
            "kana": "koueikigyou",
        },
    )
    assert response.context["form"].errors["kana"] == [
        "よみはカタカナまたはひらがなで入力してください。"
    ]
    assert not Duty.objects.filter(name="公営企業").exists()


def test_it_shows_404_for_a_missing_duty(as_user, staff):
    assert as_user(staff).get(reverse("staff_duties:edit", args=[999999])).status_code == 404
