"""The English catalogue is complete, compiled, and chosen only by the language switcher.

Japanese is the source language (the msgids are the Japanese text); `make messages` extracts
and compiles locale/en. These tests read the .po file directly, so they do not depend on
Django's translation machinery being right about it.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"
TEMPLATE_DIRS = [
    settings.BASE_DIR / "templates",
    *sorted(settings.BASE_DIR.glob("cityhall/**/templates")),
]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """How GNU gettext keys the entry in a compiled catalogue."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]


def read_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for what makemessages writes (no obsolete entries)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")$')
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := keyword.match(line):
            name, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if name == "msgid" and target is None:
                entry.line = number
            target = (name, int(index) if index is not None else None)
            _append(entry, target, text)
        elif line.startswith('"') and target is not None:
            _append(entry, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path.name}:{number}: cannot read {line!r}")
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str) -> None:
    name, index = target
    if index is not None:
        entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif name == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = read_po(PO_FILE)
    assert entries and entries[0].msgid == "", "the .po file should start with its header"
    return entries[1:]


def test_it_has_a_translation_for_every_entry(catalogue):
    assert len(catalogue) > 500
    empty = [f"line {e.line}: {e.msgid[:40]}" for e in catalogue if not all(e.translations)]
    fuzzy = [f"line {e.line}: {e.msgid[:40]}" for e in catalogue if "fuzzy" in e.flags]
    assert not empty, f"untranslated entries: {empty}"
    assert not fuzzy, f"fuzzy entries (check the translation, then drop the flag): {fuzzy}"


def test_it_keeps_every_placeholder_in_the_translations(catalogue):
    printf = re.compile(r"%\(\w+\)[sd]")
    brace = re.compile(r"\{\w+\}")
    for entry in catalogue:
        pattern = brace if "python-brace-format" in entry.flags else printf
        expected = sorted(set(pattern.findall(entry.msgid)))
        for text in entry.translations:
            assert sorted(set(pattern.findall(text))) == expected, entry.msgid


def test_it_has_compiled_the_catalogue_from_the_current_po_file(catalogue):
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in catalogue:
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr
        else:
            expected.update({(entry.key, n): s for n, s in entry.msgstr_plural.items()})
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == expected, "run `make messages` to recompile locale/en"


def test_it_has_an_entry_for_every_translate_tag_in_the_templates(catalogue):
    keys = {entry.key for entry in catalogue}
    tag = re.compile(
        r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)"""
        r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?"""
    )
    # Format strings and other literals passed through _() in filter arguments, e.g. dates.
    literal = re.compile(r"""\b_\((?P<q>["'])(?P<text>.*?)(?P=q)\)""")
    missing = []
    checked = 0
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*")):
            if path.suffix not in {".html", ".txt"}:
                continue
            source = path.read_text(encoding="utf-8")
            for match in [*tag.finditer(source), *literal.finditer(source)]:
                text = match.group("text")
                if "{{" in text or "{%" in text:
                    continue
                context = match.groupdict().get("context")
                key = text if context is None else f"{context}\x04{text}"
                checked += 1
                if key not in keys:
                    missing.append(f"{path.relative_to(settings.BASE_DIR)}: {text}")
    assert checked > 300
    assert not missing, f"not in locale/en (run `make messages`): {missing}"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


ENGLISH_PAGES = [
    ("/", ["Apply to join", "Join in three steps", "Sign in"]),
    ("/join/", ["Apply to join Online City Hall", "Work email address", "Family name"]),
    ("/accounts/login/", ["Forgot your password?", "Get a sign-in link", "Password"]),
]


@pytest.mark.parametrize(("url", "words"), ENGLISH_PAGES)
def test_it_shows_public_pages_in_english_when_chosen(client, db, url, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, url)
    assert '<html lang="en">' in html
    for word in words:
        assert word in html, word
    assert "ログイン" not in html


def test_it_shows_the_welcome_page_in_english_when_chosen(as_user, member):
    client = as_user(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, "/welcome/")
    assert '<html lang="en">' in html
    for word in ["Getting started", "Add a photo to your profile", "Next orientation"]:
        assert word in html, word
    assert "ようこそ" not in html


@pytest.mark.parametrize("url", ["/", "/join/", "/accounts/login/"])
def test_it_ignores_the_browsers_language(client, db, url):
    html = client.get(url, headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="ja">' in html
    assert "ログイン" in html
    assert "Sign in" not in html


def test_it_offers_each_language_under_its_own_name(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, "/")
    assert ">日本語</option>" in html
    assert ">English</option>" in html


def test_it_leaves_the_language_as_it_was_after_an_english_request(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page(client, "/")
    assert translation.get_language() == "ja"
