"""What the review queue shows staff about an application: evidence, never proof.

A government mail domain suggests the applicant works where they say; a possible duplicate
suggests a second account. Both are hints for a person to weigh. Pure functions, plus one query
helper that finds the duplicates of one application.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.core.text import compact, to_katakana
from cityhall.members.models import MembershipApplication
from cityhall.organizations.models import Organization

# lg.jp, go.jp, metro.tokyo.jp and pref|city|town|vill.<name>.jp, with any subdomain. Plain
# the test is run once, when the application is stored (match_fields).
_GOVERNMENT_DOMAIN = r"(lg\.jp|go\.jp|metro\.tokyo\.jp|(pref|city|town|vill)\.[a-z0-9-]+\.jp)"
GOVERNMENT_DOMAIN_RE = re.compile(r"(^|\.)" + _GOVERNMENT_DOMAIN + "$")

# Providers that ignore dots in the local part; "+tag" is ignored for every domain.
GMAIL_LIKE_DOMAINS = {"gmail.com", "googlemail.com"}


def mail_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def is_government_domain(domain: str) -> bool:
    return bool(GOVERNMENT_DOMAIN_RE.search(domain.strip().lower()))


def email_key(email: str) -> str:
    """One address per mailbox: lower case, no "+tag", no dots for Gmail-like providers."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_LIKE_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def name_key(family_name: str, given_name: str) -> str:
    """A full name compared without spaces, width or case differences."""
    return compact(family_name + given_name)


def match_fields(email: str, family_name: str, given_name: str) -> dict[str, Any]:
    """The derived columns the review queue filters on, stored with every application."""
    return {
        "email_key": email_key(email),
        "name_key": name_key(family_name, given_name),
        "government_domain": is_government_domain(mail_domain(email)),
    }


# --- Does the domain look like the chosen organisation's? -------------------------------
# Municipal domains spell the place in romaji (city.yokohama.lg.jp); we romanise the
# organisation's kana and compare both in a loose form that forgives Hepburn/Kunrei spelling,
# long vowels and doubled consonants. A heuristic: None when it cannot tell.

_KANA_ROWS = {
    "": "アイウエオ",
    "k": "カキクケコ",
    "s": "サシスセソ",
    "t": "タチツテト",
    "n": "ナニヌネノ",
    "h": "ハヒフヘホ",
    "m": "マミムメモ",
    "y": "ヤ_ユ_ヨ",
    "r": "ラリルレロ",
    "w": "ワヰ_ヱヲ",
    "g": "ガギグゲゴ",
    "z": "ザジズゼゾ",
    "d": "ダヂヅデド",
    "b": "バビブベボ",
    "p": "パピプペポ",
}
_ROMAJI = {
    kana: consonant + vowel
    for consonant, row in _KANA_ROWS.items()
    for kana, vowel in zip(row, "aiueo", strict=True)
    if kana != "_"
}
_ROMAJI.update({"ン": "n", "ヴ": "bu", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"})
_ROMAJI.update({"ヲ": "o", "ヂ": "zi", "ヅ": "zu"})
_SMALL_Y = {"ャ": "ya", "ュ": "yu", "ョ": "yo"}
_PLACE_LABELS = {"pref", "metro", "city", "town", "vill"}
_KIND_SUFFIXES: dict[str, tuple[str, ...]] = {
    Organization.Kind.PREFECTURE: ("ケン", "フ", "ト", "ドウ"),
    Organization.Kind.CITY: ("シ",),
    Organization.Kind.SPECIAL_WARD: ("ク",),
    Organization.Kind.TOWN: ("チョウ", "マチ"),
    Organization.Kind.VILLAGE: ("ムラ", "ソン"),
}


def romanize(kana: str) -> str:
    """Katakana or hiragana to Kunrei-style romaji; sokuon and long marks are dropped."""
    out: list[str] = []
    for ch in to_katakana(kana):
        if ch in _SMALL_Y and out and out[-1].endswith("i"):
            out[-1] = out[-1][:-1] + _SMALL_Y[ch]
        else:
            out.append(_ROMAJI.get(ch, ""))
    return "".join(out)


def _loose(romaji: str) -> str:
    text = re.sub(r"[^a-z]", "", romaji.lower())
    for hepburn, kunrei in (
        ("tch", "tt"),
        ("sh", "sy"),
        ("ch", "ty"),
        ("ts", "t"),
        ("j", "zy"),
        ("f", "h"),
    ):
        text = text.replace(hepburn, kunrei)
    text = re.sub(r"(sy|ty|zy)i", lambda m: m.group(1)[0] + "i", text)
    text = re.sub(r"m(?=[bmp])", "n", text)
    text = re.sub(r"o[uh](?![aiueo])", "o", text)
    return re.sub(r"(.)\1+", r"\1", text)


def place_label(domain: str) -> str:
    """ "yokohama" in city.yokohama.lg.jp, "tokyo" in metro.tokyo.lg.jp; "" if none."""
    labels = domain.strip().lower().split(".")
    for i, label in enumerate(labels[:-2]):
        if label in _PLACE_LABELS:
            return labels[i + 1]
    return ""


def domain_matches_organization(domain: str, organization: Organization) -> bool | None:
    """True when the domain names the organisation, False when it names another place,
    None when it cannot tell (not a municipal or prefectural domain, or a national body)."""
    if not is_government_domain(domain):
        return None
    if organization.kind == Organization.Kind.NATIONAL:
        return None  # ministries' domains (mhlw.go.jp) are abbreviations we cannot derive
    place = place_label(domain)
    if not place or not organization.kana:
        return None
    kana = to_katakana(organization.kana)
    candidates = {kana}
    for suffix in _KIND_SUFFIXES.get(organization.kind, ()):
        if kana.endswith(suffix) and len(kana) > len(suffix):
            candidates.add(kana[: -len(suffix)])
    return _loose(place) in {_loose(romanize(c)) for c in candidates}


@dataclass(frozen=True)
class Flags:
    government_domain: bool
    domain_matches: bool | None
    possible_duplicate: bool


def flags_for(application: Any) -> Flags:
    """Evidence for one application; `possible_duplicate` comes from with_duplicate_flags()."""
    domain = mail_domain(application.email)
    return Flags(
        government_domain=is_government_domain(domain),
        domain_matches=domain_matches_organization(domain, application.organization),
        possible_duplicate=any(
            getattr(application, name, False)
            for name in ("duplicate_email", "duplicate_name_application", "duplicate_name_user")
        ),
    )


def _other_applications_same_email() -> QuerySet[MembershipApplication]:
    return (
        MembershipApplication.objects.filter(email_key=OuterRef("email_key"))
        .exclude(email_key="")
        .exclude(user=OuterRef("user"))
    )


def with_duplicate_flags(applications: QuerySet[MembershipApplication]) -> QuerySet:
    """Annotate duplicate_email and duplicate_name in the same query (no query per row).

    By email: another account's application to the same mailbox (email_key). By name: another
    account's application with the same normalised name at the same organisation, or a user
    whose name is exactly the same and whose profile is at that organisation.
    """
    if "duplicate_email" in applications.query.annotations:
        return applications
    same_name_apps = (
        MembershipApplication.objects.filter(
            organization=OuterRef("organization"), name_key=OuterRef("name_key")
        )
        .exclude(name_key="")
        .exclude(user=OuterRef("user"))
    )
    # Plain equality on both name columns so the (family_name, given_name) index is used.
    same_name_users = User.objects.filter(
        family_name=OuterRef("family_name"),
        given_name=OuterRef("given_name"),
        profile__organization=OuterRef("organization"),
    ).exclude(pk=OuterRef("user"))
    return applications.annotate(
        duplicate_email=Exists(_other_applications_same_email()),
        duplicate_name_application=Exists(same_name_apps),
        duplicate_name_user=Exists(same_name_users),
    )


POSSIBLE_DUPLICATE = (
    Q(duplicate_email=True) | Q(duplicate_name_application=True) | Q(duplicate_name_user=True)
)


@dataclass(frozen=True)
class Match:
    user: User
    application: MembershipApplication | None  # their latest application, when they have one


@dataclass(frozen=True)
class Duplicates:
    by_email: list[Match]
    by_name: list[Match]

    def __bool__(self) -> bool:
        return bool(self.by_email or self.by_name)


def find_duplicates(application: MembershipApplication) -> Duplicates:
    """The other accounts behind the duplicate flags, for links on the detail page."""
    others = (
        MembershipApplication.objects.exclude(user_id=application.user_id)
        .select_related("user")
        .order_by("-submitted_at")
    )
    by_email: dict[int, Match] = {}
    if application.email_key:
        for other in others.filter(email_key=application.email_key):
            by_email.setdefault(other.user_id, Match(other.user, other))
    by_name: dict[int, Match] = {}
    if application.name_key:
        for other in others.filter(
            organization_id=application.organization_id, name_key=application.name_key
        ):
            by_name.setdefault(other.user_id, Match(other.user, other))
    for user in User.objects.filter(
        profile__organization_id=application.organization_id,
        family_name=application.family_name,
        given_name=application.given_name,
    ).exclude(pk=application.user_id):
        by_name.setdefault(user.pk, Match(user, None))
    return Duplicates(by_email=list(by_email.values()), by_name=list(by_name.values()))
