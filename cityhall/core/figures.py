"""Where domains leave their figures for the pages that show the community's numbers.

- `cached()`: a figure computed once and kept for CACHE_SECONDS under a key per name and
  arguments, so pages that show the same number agree and stay cheap.
- `register_count()`: a headline figure of a feature (sections, study sessions), registered
  from the feature's AppConfig.ready(); `feature_counts()` reads them all.
- `Table`: a staff table as the page shows it and the CSV and workbook downloads contain it.

Domains register and build here; the insights pages read. Nothing here knows any domain.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.functional import Promise

from cityhall.core.jst import now_jst

CACHE_SECONDS = 5 * 60
# Part of every cache key: bump it when a cached dataclass changes shape, so no old pickle is
# read. The "insights" prefix predates this module; keeping it keeps existing entries valid.
CACHE_VERSION = 1
CACHE_PREFIX = "insights"

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------
# Caching


def cached(name: str, args: tuple[Any, ...], compute: Callable[[], T], *, fresh: bool = False) -> T:
    """The value of `compute()`, cached for CACHE_SECONDS under `name` and `args`.

    `fresh=True` skips the cache and stores the new value.
    """
    key = f"{CACHE_PREFIX}:v{CACHE_VERSION}:{name}:" + ":".join(_key_part(a) for a in args)
    if not fresh:
        value = cache.get(key)
        if value is not None:
            return value
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def _key_part(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return "-" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Headline figures of features


@dataclass(frozen=True)
class FeatureCount:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class _Registered:
    key: str
    label: str | Promise
    count: Callable[[], int]


_FEATURE_COUNTS: dict[str, _Registered] = {}


def register_count(key: str, label: str | Promise, count: Callable[[], int]) -> None:
    """Add a headline figure of a feature, e.g. from the sections app's ready()::

        figures.register_count("sections", _("活動中の課"), lambda: Section.objects.count())

    `count` should be one aggregate query. Registering the same key again replaces it.
    """
    _FEATURE_COUNTS[key] = _Registered(key, label, count)


def feature_counts(*, fresh: bool = False) -> list[FeatureCount]:
    """The registered figures, in the order registered; empty until a feature registers one."""
    if not _FEATURE_COUNTS:
        return []
    values = cached(
        "feature_counts",
        tuple(_FEATURE_COUNTS),
        lambda: {key: item.count() for key, item in _FEATURE_COUNTS.items()},
        fresh=fresh,
    )
    return [FeatureCount(k, str(item.label), values[k]) for k, item in _FEATURE_COUNTS.items()]


# ---------------------------------------------------------------------------------------------
# Staff tables: what a page shows beside each chart, and what the downloads contain


@dataclass(frozen=True)
class Cell:
    text: str
    css: str = ""  # "num": right-aligned figures; "nowrap": a month kept on one line


@dataclass
class Table:
    name: str  # in the export URL
    title: str  # heading, sheet name and file name
    headers: list[str]
    rows: list[list[Any]]
    footer: list[Any] | None = None
    period: str = ""  # the period's key, for tables that depend on it

    def export_rows(self) -> list[list[Any]]:
        """Months as 2026-11, missing values as empty cells; numbers stay numbers."""
        return [[_export_cell(c) for c in row] for row in [*self.rows, self.footer or []] if row]

    def display_rows(self) -> list[list[Cell]]:
        return [[_display_cell(c) for c in row] for row in self.rows]

    def display_footer(self) -> list[Cell]:
        return [_display_cell(c) for c in self.footer or []]

    @property
    def query(self) -> str:
        """What the export links carry."""
        return f"period={self.period}" if self.period else ""

    def filename(self, extension: str) -> str:
        return f"{self.title}_{now_jst().date().isoformat()}.{extension}"

    def ascii_filename(self, extension: str) -> str:
        """For clients that cannot read the UTF-8 name: funnel_30d_2026-11-24.csv."""
        parts = [self.name, self.period, now_jst().date().isoformat()]
        return "_".join(p for p in parts if p) + f".{extension}"


def _export_cell(value: Any) -> Any:
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return "" if value is None else value


def _display_cell(value: Any) -> Cell:
    if value is None:
        return Cell("—", "num")
    if isinstance(value, date):
        return Cell(date_format(value, "YEAR_MONTH_FORMAT"), "nowrap")
    if isinstance(value, float):  # percentages and hours: one decimal, as in the downloads
        return Cell(f"{value:,.1f}", "num")
    if isinstance(value, int):
        return Cell(f"{value:,}", "num")
    return Cell(str(value))
