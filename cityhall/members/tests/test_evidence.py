import pytest

from cityhall import testing
from cityhall.members import evidence
from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import pending_application

GOVERNMENT = [
    "city.yokohama.lg.jp",
    "vill.sarufutsu.lg.jp",
    "pref.hokkaido.lg.jp",
    "lg.jp",
    "mail.city.kawasaki.jp",
    "pref.osaka.jp",
    "town.niseko.jp",
    "vill.ogasawara.jp",
    "metro.tokyo.jp",
    "section.metro.tokyo.jp",
    "mhlw.go.jp",
    "soumu.go.jp",
    "CITY.SAPPORO.JP",
]
NOT_GOVERNMENT = [
    "gmail.com",
    "example.jp",
    "city.example.com",
    "notlg.jp",
    "lg.jp.example.com",
    "citizen.co.jp",
    "city.yokohama.co.jp",
    "go.jp.evil.com",
    "cityyokohama.jp",
]


@pytest.mark.parametrize("domain", GOVERNMENT)
def test_it_recognises_government_mail_domains(domain):
    assert evidence.is_government_domain(domain)


@pytest.mark.parametrize("domain", NOT_GOVERNMENT)
def test_it_does_not_take_other_domains_for_government(domain):
    assert not evidence.is_government_domain(domain)


def test_it_stores_the_rule_with_every_application(db, member):
    emails = [f"u{i}@{d}" for i, d in enumerate(GOVERNMENT + NOT_GOVERNMENT)]
    for email in emails:
        testing.make_application(member, email=email)
    found = set(
        MembershipApplication.objects.filter(government_domain=True).values_list("email", flat=True)
    )
    assert found == {e for e in emails if evidence.is_government_domain(evidence.mail_domain(e))}


def test_it_folds_addresses_that_reach_the_same_mailbox():
    key = evidence.email_key
    assert key("Taro.Yamada+city@gmail.com") == key("taroyamada@googlemail.com")
    assert key("taro+x@city.yokohama.lg.jp") == key("TARO@city.yokohama.lg.jp")
    assert key("ta.ro@city.yokohama.lg.jp") != key("taro@city.yokohama.lg.jp")


def test_it_compares_names_without_spaces_or_width():
    assert evidence.name_key("山田", " 花子") == evidence.name_key("山田　", "花子")
    assert evidence.name_key("ﾔﾏﾀﾞ", "") == evidence.name_key("ヤマダ", "")


def test_it_romanises_kana():
    assert evidence.romanize("ヨコハマシ") == "yokohamasi"
    assert evidence.romanize("しんじゅく") == "sinzyuku"
    assert evidence.romanize("ホッカイドウ") == "hokaidou"  # the small tsu is dropped


@pytest.mark.parametrize(
    ("domain", "code", "expected"),
    [
        ("city.yokohama.lg.jp", "141003", True),
        ("vill.sarufutsu.lg.jp", "015113", True),
        ("pref.hokkaido.lg.jp", "010006", True),
        ("metro.tokyo.lg.jp", "130001", True),
        ("city.sapporo.jp", "011002", True),
        ("city.yokohama.lg.jp", "015113", False),
        ("pref.kanagawa.lg.jp", "141003", False),
        ("gmail.com", "141003", None),
        ("example.lg.jp", "141003", None),
    ],
)
def test_it_tells_whether_the_domain_looks_like_the_organisation(db, domain, code, expected):
    assert evidence.domain_matches_organization(domain, testing.organization(code)) is expected


def test_it_cannot_tell_for_national_bodies(db):
    from cityhall.organizations.models import Organization

    ministry = Organization.objects.filter(kind=Organization.Kind.NATIONAL).first()
    assert ministry is not None
    assert evidence.domain_matches_organization("mhlw.go.jp", ministry) is None


def test_it_finds_duplicates_by_mailbox_and_by_name_at_the_organisation(db, member):
    first = pending_application(family_name="重複", email="dup.licate@gmail.com")
    second = pending_application(
        family_name="重複", given_name="別名", email="duplicate+2@gmail.com"
    )
    namesake = pending_application(
        family_name=member.family_name, given_name=member.given_name, email="namesake@example.jp"
    )
    alone = pending_application(family_name="単独", email="alone@example.jp")

    found = evidence.find_duplicates(second)
    assert [m.user for m in found.by_email] == [first.user]
    assert [m.application for m in found.by_email] == [first]
    assert [m.user for m in evidence.find_duplicates(namesake).by_name] == [member]
    assert not evidence.find_duplicates(alone)

    flagged = {
        a.pk: evidence.flags_for(a).possible_duplicate
        for a in evidence.with_duplicate_flags(MembershipApplication.objects.all())
    }
    assert flagged == {first.pk: True, second.pk: True, namesake.pk: True, alone.pk: False}


def test_it_does_not_count_the_same_persons_earlier_application(db, rejected):
    again = pending_application(
        email=rejected.email, family_name=rejected.family_name, given_name=rejected.given_name
    )
    assert not evidence.find_duplicates(again)
