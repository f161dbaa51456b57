"""Fields a member limited to staff are neither shown nor searchable by other members."""

from django.urls import reverse

from cityhall.directory.tests.helpers import duty, names, person

URL = reverse("directory:search")
BADGE = '<li class="badge">児童手当</li>'  # the duty select lists every duty anyway


def _private_person(**visibility: str):
    return person(
        "private@a.lg.jp", "秘田", "匿子", "ヒダ", "トクコ",
        duties=(duty("児童手当"),), department="こども家庭課", title="課長",
        photo="photos/private.jpg", visibility=visibility,
    )  # fmt: skip


def test_a_hidden_duty_does_not_find_the_member(as_user, member):
    hidden = _private_person(duties="staff")
    response = as_user(member).get(URL, {"duty": duty("児童手当").pk})
    assert hidden.full_name not in names(response)


def test_staff_find_the_member_by_a_hidden_duty_and_see_it(as_user, staff):
    hidden = _private_person(duties="staff")
    response = as_user(staff).get(URL, {"duty": duty("児童手当").pk})
    assert names(response) == [hidden.full_name]
    assert response.context["page_obj"].object_list[0].duties == [duty("児童手当")]


def test_the_member_finds_themself_by_their_own_hidden_duty(as_user, db):
    hidden = _private_person(duties="staff")
    response = as_user(hidden).get(URL, {"duty": duty("児童手当").pk})
    assert names(response) == [hidden.full_name]


def test_hidden_fields_are_left_out_but_the_member_is_still_listed_by_name(as_user, member):
    hidden = _private_person(duties="staff", department="staff", title="staff", photo="staff")
    response = as_user(member).get(URL, {"q": "ひだ"})
    assert names(response) == [hidden.full_name]
    body = response.content.decode()
    for secret in ["こども家庭課", "課長", BADGE, reverse("profiles:photo", args=[hidden.pk])]:
        assert secret not in body


def test_open_fields_are_shown(as_user, member):
    shown = _private_person()
    body = as_user(member).get(URL, {"q": "ひだ"}).content.decode()
    for text in ["こども家庭課", "課長", BADGE, reverse("profiles:photo", args=[shown.pk])]:
        assert text in body


def test_staff_see_hidden_fields(as_user, staff):
    _private_person(duties="staff", department="staff", title="staff", photo="staff")
    body = as_user(staff).get(URL, {"q": "ひだ"}).content.decode()
    for text in ["こども家庭課", "課長", BADGE]:
        assert text in body


def test_hidden_duties_are_not_counted_for_members_but_are_for_staff(as_user, member, staff):
    _private_person(duties="staff")
    person("open@a.lg.jp", "公開", "太郎", "コウカイ", "タロウ", duties=(duty("児童手当"),))
    counts = {
        who: dict(
            (d.name, n)
            for _, pairs in as_user(who).get(reverse("directory:duties")).context["categories"]
            for d, n in pairs
        )
        for who in (member, staff)
    }
    assert counts[member]["児童手当"] == 1
    assert counts[staff]["児童手当"] == 2


def test_a_hidden_duty_leaves_the_member_off_the_duty_page(as_user, member, staff):
    hidden = _private_person(duties="staff")
    url = reverse("directory:duty", args=[duty("児童手当").pk])
    assert hidden.full_name not in names(as_user(member).get(url))
    assert hidden.full_name in names(as_user(staff).get(url))
