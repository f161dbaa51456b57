"""Every badge's text reaches WCAG AA contrast (4.5:1, badges are small bold text) against its
background, as declared in static/css/app.css with the design tokens resolved."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_CSS = ROOT / "static/css/app.css"
TOKENS_CSS = ROOT / "static/vendor/design-tokens/tokens.css"
AA = 4.5

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
CUSTOM_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]+))?\)")


def declarations(body: str) -> dict[str, str]:
    found = {}
    for part in body.split(";"):
        name, _, value = part.partition(":")
        if value:
            found[name.strip()] = value.strip()
    return found


def custom_properties() -> dict[str, str]:
    text = TOKENS_CSS.read_text(encoding="utf-8") + APP_CSS.read_text(encoding="utf-8")
    return dict(CUSTOM_PROPERTY.findall(re.sub(r"/\*.*?\*/", "", text, flags=re.S)))


def resolve(value: str, properties: dict[str, str]) -> str:
    for _ in range(10):
        match = VAR.search(value)
        if match is None:
            return value.strip()
        name, fallback = match.groups()
        value = value.replace(match.group(0), properties.get(name, fallback or ""))
    raise AssertionError(f"unresolved {value}")


def badge_rules() -> dict[str, dict[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", APP_CSS.read_text(encoding="utf-8"), flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in RULE.findall(css):
        for selector in selectors.split(","):
            selector = selector.strip()
            if re.fullmatch(r"\.badge(--[\w-]+)?", selector):
                rules.setdefault(selector, {}).update(declarations(body))
    return rules


def badge_colour_pairs() -> dict[str, tuple[str, str]]:
    """Each badge class's (text, background) colours; modifiers inherit from .badge, whose
    text colour is the body's."""
    properties = custom_properties()
    rules = badge_rules()
    base = rules[".badge"]
    pairs = {}
    for selector, rule in rules.items():
        text = rule.get("color", base.get("color", "var(--c-text)"))
        background = rule.get("background", base.get("background"))
        assert background, selector
        pairs[selector] = (resolve(text, properties), resolve(background, properties))
    return pairs


def luminance(colour: str) -> float:
    colour = colour.lower()
    if colour in ("#fff", "white"):
        colour = "#ffffff"
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_it_computes_contrast_like_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#c74700", "#ffeee2") == pytest.approx(4.29, abs=0.01)


def test_it_finds_every_badge_in_the_stylesheet():
    assert {".badge", ".badge--good", ".badge--warn", ".badge--bad", ".badge--on-air"} <= set(
        badge_colour_pairs()
    )


@pytest.mark.parametrize("selector", sorted(badge_colour_pairs()))
def test_it_gives_each_badge_aa_contrast(selector):
    text, background = badge_colour_pairs()[selector]
    assert contrast(text, background) >= AA, (selector, text, background)
