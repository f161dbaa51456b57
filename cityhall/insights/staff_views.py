"""Staff's view of the community's numbers: growth, joining and coverage, each table downloadable.

The dashboard is a list of panels (PANELS). A feature that brings numbers of its own (a 課's
activity, attendance per study-session series, broadcast viewers) adds a panel builder there
and its tables to TABLES; the page, the print view and the downloads follow. Every number comes
from cityhall.insights.figures or the feature's own figures, and each table (a
cityhall.core.figures.Table) is built once for the page, the CSV and the workbook alike, so the
three always agree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from cityhall.broadcasts.figures import ProgrammeFigures, programme_figures
from cityhall.core import charts
from cityhall.core.exports import csv_response, xlsx_response
from cityhall.core.figures import Table, feature_counts
from cityhall.core.gate import staff_only
from cityhall.core.jst import now_jst
from cityhall.events import figures as event_figures
from cityhall.events.figures import event_series_table
from cityhall.insights import figures
from cityhall.sections.health import SectionHealth, section_health


@dataclass(frozen=True)
class Period:
    key: str
    days: int | None
    label: str | Promise

    @property
    def since(self) -> datetime | None:
        """From midnight (JST) `days` calendar days back, today included: whole days keep the
        figures cacheable for the rest of the day."""
        if self.days is None:
            return None
        midnight = now_jst().replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=self.days - 1)


PERIODS = (
    Period("30d", 30, gettext_lazy("直近30日")),
    Period("90d", 90, gettext_lazy("直近90日")),
    Period("1y", 365, gettext_lazy("直近1年")),
    Period("all", None, gettext_lazy("全期間")),
)
DEFAULT_PERIOD = PERIODS[1]


def period_from(request: HttpRequest) -> Period:
    key = request.GET.get("period", "")
    return next((p for p in PERIODS if p.key == key), DEFAULT_PERIOD)


# --- tables: what the page shows beside each chart, and what the downloads contain ---------


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def hours(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def members_table(series: list[figures.MonthCount]) -> Table:
    return Table(
        "members_over_time",
        _("会員数の推移"),
        [_("月"), _("入会した会員"), _("月末の会員数")],
        [[m.month, m.joined, m.total] for m in series],
    )


def funnel_table(funnel: figures.Funnel, times: figures.DecisionTimes, period: Period) -> Table:
    share = funnel.submitted
    return Table(
        "funnel",
        _("参加申請の状況（%(period)s）") % {"period": period.label},
        [_("項目"), _("件数・時間"), _("申請に対する割合（%）")],
        [
            [_("申請"), funnel.submitted, percent(funnel.submitted, share)],
            [_("メールアドレス確認済み"), funnel.verified, percent(funnel.verified, share)],
            [_("承認"), funnel.approved, percent(funnel.approved, share)],
            [_("不承認"), funnel.rejected, percent(funnel.rejected, share)],
            [_("審査中・回答待ち"), funnel.waiting, percent(funnel.waiting, share)],
            [_("期間内に判断した申請（件）"), times.decided, None],
            [_("判断までの時間・中央値（時間）"), hours(times.median_hours), None],
            [_("判断までの時間・90パーセンタイル（時間）"), hours(times.p90_hours), None],
        ],
        period=period.key,
    )


def prefecture_table(coverage: list[figures.PrefectureCoverage]) -> Table:
    total = sum(p.local_governments for p in coverage)
    covered = sum(p.covered for p in coverage)
    members = sum(p.members for p in coverage)
    return Table(
        "coverage_prefecture",
        _("都道府県別の参加自治体"),
        [_("都道府県"), _("自治体数"), _("会員のいる自治体"), _("割合（%）"), _("会員数")],
        [
            [
                p.name,
                p.local_governments,
                p.covered,
                percent(p.covered, p.local_governments),
                p.members,
            ]
            for p in coverage
        ],
        footer=[_("合計"), total, covered, percent(covered, total), members],
    )


def kind_table(coverage: list[figures.KindCoverage]) -> Table:
    return Table(
        "coverage_kind",
        _("種別ごとの参加団体"),
        [_("種別"), _("団体数"), _("会員のいる団体"), _("割合（%）"), _("会員数")],
        [[k.label, k.total, k.covered, percent(k.covered, k.total), k.members] for k in coverage],
    )


def sections_table(health: list[SectionHealth]) -> Table:
    def last(row: SectionHealth) -> str:
        if row.last_activity is None:
            return "—"
        return date_format(row.last_activity, "SHORT_DATE_FORMAT")

    return Table(
        "sections",
        _("課の活動"),
        [_("課"), _("種類"), _("会員数"), _("直近30日の活動"), _("最後の活動"), _("状態")],
        [
            [
                row.section.name,
                row.section.get_kind_display(),
                row.members,
                row.recent_activity,
                last(row),
                _("休眠") if row.dormant else _("活動中"),
            ]
            for row in health
        ],
    )


TABLES: dict[str, Callable[[Period], Table]] = {
    "members_over_time": lambda period: members_table(figures.members_over_time()),
    "funnel": lambda period: funnel_table(
        figures.application_funnel(period.since), figures.decision_times(period.since), period
    ),
    "coverage_prefecture": lambda period: prefecture_table(figures.coverage_by_prefecture()),
    "coverage_kind": lambda period: kind_table(figures.coverage_by_kind()),
    "sections": lambda period: sections_table(section_health()),
    "broadcasts": lambda period: broadcasts_table(programme_figures()),
    "event_series": lambda period: event_series_table(event_figures.cached_series_figures()),
}


# --- panels -----------------------------------------------------------------------------


@dataclass
class Panel:
    key: str  # the section's id, for links into the page
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _month_label(month: date) -> str:
    return f"{month.year}/{month.month:02d}"


def members_panel(period: Period) -> Panel:
    series = figures.members_over_time()
    points = [(_month_label(m.month), m.total) for m in series]
    joined = [(_month_label(m.month), m.joined) for m in series]
    return Panel(
        "members",
        _("会員数の推移"),
        "insights/staff/panel_members.html",
        {
            "total_chart": charts.line_chart(
                points, title=_("月末の会員数"), chart_id="chart-members-total"
            ),
            "joined_chart": charts.column_chart(
                joined, title=_("月ごとの入会者数"), chart_id="chart-members-joined"
            ),
            "table": members_table(series),
        },
    )


def funnel_panel(period: Period) -> Panel:
    funnel = figures.application_funnel(period.since)
    times = figures.decision_times(period.since)
    table = funnel_table(funnel, times, period)
    stages = table.rows[:5]  # submitted … waiting, as counted in the table
    # Nothing submitted: the chart's empty state rather than five empty bars.
    bars = [
        charts.Datum(label, n, f"{n:,}（{share}%）")
        for label, n, share in stages
        if funnel.submitted
    ]
    chart = charts.bar_chart(bars, title=_("参加申請の状況"), chart_id="chart-funnel")
    return Panel(
        "funnel",
        _("参加申請と審査"),
        "insights/staff/panel_funnel.html",
        {
            "chart": chart,
            "times": times,
            "table": table,
            "periods": PERIODS,
            "period": period,
        },
    )


def coverage_prefecture_panel(period: Period) -> Panel:
    coverage = figures.coverage_by_prefecture()
    return Panel(
        "coverage-prefecture",
        _("都道府県別の参加自治体"),
        "insights/staff/panel_coverage_prefecture.html",
        {"coverage": coverage, "table": prefecture_table(coverage)},
    )


def coverage_kind_panel(period: Period) -> Panel:
    coverage = figures.coverage_by_kind()
    bars = [
        charts.Datum(
            k.label,
            100 * k.ratio,
            f"{percent(k.covered, k.total) or 0}%（{k.covered:,} / {k.total:,}）",
        )
        for k in coverage
    ]
    chart = charts.bar_chart(
        bars, title=_("種別ごとの参加団体の割合"), chart_id="chart-kind", maximum=100
    )
    return Panel(
        "coverage-kind",
        _("種別ごとの参加団体"),
        "insights/staff/panel_coverage_kind.html",
        {"chart": chart, "table": kind_table(coverage)},
    )


def broadcasts_table(rows: list[ProgrammeFigures]) -> Table:
    return Table(
        "broadcasts",
        _("庁内放送"),
        [
            _("番組"),
            _("放送した回"),
            _("同時視聴の最大"),
            _("同時視聴の最大（1回あたり平均）"),
            _("ライブコメント"),
            _("アーカイブを再生した会員（のべ）"),
        ],
        [
            [
                r.programme,
                r.episodes,
                r.peak_viewers,
                r.average_peak,
                r.comments,
                r.archive_listeners,
            ]
            for r in rows
        ],
    )


def broadcasts_panel(period: Period) -> Panel:
    rows = programme_figures()
    bars = [charts.Datum(r.programme, r.archive_listeners) for r in rows if r.archive_listeners]
    chart = charts.bar_chart(
        bars, title=_("アーカイブを再生した会員（のべ）"), chart_id="chart-broadcasts"
    )
    return Panel(
        "broadcasts",
        _("庁内放送"),
        "insights/staff/panel_broadcasts.html",
        {"chart": chart, "table": broadcasts_table(rows)},
    )


SECTIONS_CHARTED = 10


def sections_panel(period: Period) -> Panel:
    health = section_health()
    busiest = sorted(health, key=lambda r: (-r.recent_activity, r.section.name))
    bars = [
        charts.Datum(row.section.name, row.recent_activity)
        for row in busiest[:SECTIONS_CHARTED]
        if row.recent_activity
    ]
    chart = charts.bar_chart(bars, title=_("直近30日の活動が多い課"), chart_id="chart-sections")
    return Panel(
        "sections",
        _("課の活動"),
        "insights/staff/panel_sections.html",
        {
            "chart": chart,
            "table": sections_table(health),
            "dormant": sum(1 for row in health if row.dormant),
            "total": len(health),
        },
    )


def event_attendance_panel(period: Period) -> Panel:
    rows = event_figures.cached_series_figures()
    return Panel(
        "event-attendance",
        _("勉強会の出席（シリーズごと）"),
        "events/staff_panel.html",
        {"charts": event_figures.attendance_charts(rows), "table": event_series_table(rows)},
    )


# Study sessions and broadcasts add their panels here when they land.
PANELS: list[Callable[[Period], Panel]] = [
    members_panel,
    funnel_panel,
    coverage_prefecture_panel,
    coverage_kind_panel,
    sections_panel,
    broadcasts_panel,
    event_attendance_panel,
]


# --- views ------------------------------------------------------------------------------


@staff_only
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The community's numbers on one page, each chart with its table and downloads."""
    period = period_from(request)
    context = {
        "headline": figures.headline(),
        "feature_counts": feature_counts(),
        "panels": [build(period) for build in PANELS],
        "period": period,
    }
    return render(request, "insights/staff/dashboard.html", context)


@staff_only
@require_safe
def export(request: HttpRequest, table: str, format: str) -> HttpResponse:
    """One of the dashboard's tables as CSV or an Excel workbook; anything else is a 404."""
    build = TABLES.get(table)
    if build is None or format not in {"csv", "xlsx"}:
        raise Http404
    data = build(period_from(request))
    name, fallback = data.filename(format), data.ascii_filename(format)
    if format == "csv":
        return csv_response(name, data.headers, data.export_rows(), fallback=fallback)
    return xlsx_response(name, data.title, data.headers, data.export_rows(), fallback=fallback)
