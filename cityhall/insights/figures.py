"""The community's numbers, computed in one place for every page that shows them.

Plain functions returning small frozen dataclasses. Each runs a fixed number of queries whatever
the size of the community (aggregates and GROUP BY, never a query per prefecture) and is cached
with cityhall.core.figures.cached() under a key per function and arguments; `fresh=True` skips
the cache and stores the new value. Callers show how fresh the numbers are with `Headline.as_of`.

Coverage counts (`headline`, `coverage_by_prefecture`, `coverage_by_kind`) all come from one
snapshot — members per organisation, one row per organisation — so the three always agree and
share `as_of`. A local government counts as covered when one of its employees is a member
(status MEMBER: applicants, rejected and suspended people never count). Totals count the active
local governments of the reference data; an organisation made inactive (a merged town) no
longer counts towards coverage, but its members still count as members.

Features (sections, study sessions, broadcasts) register their own headline figures with
cityhall.core.figures.register_count(); the pages read them with its `feature_counts()`.
"""

import itertools
import math
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, FloatField, Func, OuterRef, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.figures import cached
from cityhall.core.jst import JST, now_jst
from cityhall.members.models import MembershipApplication, Profile
from cityhall.organizations.models import Organization

Kind = Organization.Kind
LOCAL_KINDS = (Kind.PREFECTURE, Kind.CITY, Kind.TOWN, Kind.VILLAGE, Kind.SPECIAL_WARD)
KINDS = (*LOCAL_KINDS, Kind.NATIONAL)


@dataclass(frozen=True)
class Headline:
    members: int
    organizations: int  # with at least one member, national bodies included
    local_governments: int  # active ones with at least one member
    total_local_governments: int  # active local governments in the reference data (1,788)
    prefectures_covered: int  # prefectures where the prefecture or a municipality has a member
    as_of: datetime


@dataclass(frozen=True)
class PrefectureCoverage:
    code: str  # the prefecture's 6-digit code (010006 北海道)
    name: str
    local_governments: int  # the prefecture itself and its municipalities
    covered: int
    members: int

    @property
    def ratio(self) -> float:
        return self.covered / self.local_governments if self.local_governments else 0.0


@dataclass(frozen=True)
class KindCoverage:
    kind: str
    label: str
    total: int
    covered: int
    members: int

    @property
    def ratio(self) -> float:
        return self.covered / self.total if self.total else 0.0


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first day of the month, in JST
    joined: int
    total: int  # members at the end of the month


@dataclass(frozen=True)
class Funnel:
    submitted: int
    verified: int
    approved: int
    rejected: int
    waiting: int  # pending review or waiting for the applicant's answer


@dataclass(frozen=True)
class DecisionTimes:
    decided: int
    median_hours: float | None
    p90_hours: float | None


# ---------------------------------------------------------------------------------------------
# Coverage: one snapshot of members per organisation


@dataclass(frozen=True)
class _Coverage:
    headline: Headline
    by_prefecture: list[PrefectureCoverage]
    by_kind: list[KindCoverage]


def _member_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(user__status=User.Status.MEMBER)


def _coverage(fresh: bool) -> _Coverage:
    return cached("coverage", (), _compute_coverage, fresh=fresh)


def _compute_coverage() -> _Coverage:
    """Three queries: members, members per organisation (≈1,900 rows at most), organisations."""
    as_of = timezone.now()
    members = User.objects.filter(status=User.Status.MEMBER).count()
    per_org = dict(
        _member_profiles()
        .values_list("organization_id")
        .annotate(n=Count("id"))
        .order_by("organization_id")
    )
    organizations = Organization.objects.values_list(
        "id", "code", "name", "kind", "prefecture_id", "is_active"
    ).order_by("code")

    prefectures: dict[int, tuple[str, str]] = {}  # id → (code, name), in code order
    by_kind: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    by_prefecture: dict[int, Counter[str]] = {}
    for org_id, code, name, kind, prefecture_id, is_active in organizations:
        if kind == Kind.PREFECTURE:
            prefectures[org_id] = (code or "", name)
            prefecture_id = org_id
        count = per_org.get(org_id, 0)
        rows = [by_kind[kind]]
        if prefecture_id is not None:
            rows.append(by_prefecture.setdefault(prefecture_id, Counter()))
        for row in rows:
            row["members"] += count
            if is_active:
                row["total"] += 1
                row["covered"] += count > 0
    by_prefecture_rows = [
        PrefectureCoverage(code, name, *_counts(by_prefecture.get(pk, Counter())))
        for pk, (code, name) in prefectures.items()
    ]
    kind_rows = [
        KindCoverage(kind.value, str(kind.label), *_counts(by_kind[kind])) for kind in KINDS
    ]
    headline = Headline(
        members=members,
        organizations=len(per_org),
        local_governments=sum(row.covered for row in kind_rows if row.kind != Kind.NATIONAL),
        total_local_governments=sum(row.total for row in kind_rows if row.kind != Kind.NATIONAL),
        prefectures_covered=sum(1 for row in by_prefecture_rows if row.members),
        as_of=as_of,
    )
    return _Coverage(headline, by_prefecture_rows, kind_rows)


def _counts(row: Counter[str]) -> tuple[int, int, int]:
    return row["total"], row["covered"], row["members"]


def headline(*, fresh: bool = False) -> Headline:
    return _coverage(fresh).headline


def coverage_by_prefecture(*, fresh: bool = False) -> list[PrefectureCoverage]:
    """The 47 prefectures in JIS order (北海道 01 … 沖縄県 47)."""
    return _coverage(fresh).by_prefecture


def coverage_by_kind(*, fresh: bool = False) -> list[KindCoverage]:
    """Prefectures, cities, towns, villages, special wards and national bodies, in that order."""
    # Labels in the reader's language, not in that of whoever filled the cache.
    return [replace(row, label=str(Kind(row.kind).label)) for row in _coverage(fresh).by_kind]


def uncovered(
    prefecture_code: str | None = None, kind: str | None = None
) -> QuerySet[Organization]:
    """Active local governments none of whose employees is a member yet, in code order.

    `prefecture_code` is the 2-digit (01) or 6-digit (010006) code: the prefecture itself and
    its municipalities. Not cached: a lazy QuerySet the caller may slice or count.
    """
    has_member = Exists(_member_profiles().filter(organization_id=OuterRef("pk")))
    orgs = Organization.objects.active().local_governments().filter(~has_member)
    if prefecture_code is not None:
        # Every local government's code starts with its prefecture's two digits.
        orgs = orgs.filter(code__startswith=prefecture_code[:2])
    if kind is not None:
        orgs = orgs.filter(kind=kind)
    return orgs.order_by("sort_key")


# ---------------------------------------------------------------------------------------------
# Growth and joining


def members_over_time(months: int = 24, *, fresh: bool = False) -> list[MonthCount]:
    """Current members by the month (JST) they were approved, oldest first, ending this month.

    The first month's total includes everyone approved before the window (and members without
    an approval time, such as an administrator created from the command line), so the last
    total is the number of members today. Suspended people are left out of every month.
    """
    return cached(
        "members_over_time",
        (months, now_jst().date().replace(day=1)),
        lambda: _members_over_time(months),
        fresh=fresh,
    )


def _members_over_time(months: int) -> list[MonthCount]:
    this_month = now_jst().date().replace(day=1)
    window = [_add_months(this_month, -n) for n in range(months - 1, -1, -1)]
    bounds = [
        datetime(m.year, m.month, 1, tzinfo=JST) for m in [*window, _add_months(this_month, 1)]
    ]
    # One pass with a conditional count per month: plain comparisons, the same on SQLite and
    # PostgreSQL, and much cheaper than truncating every date to its month in JST.
    months_q = [
        Q(approved_at__gte=low, approved_at__lt=high) for low, high in itertools.pairwise(bounds)
    ]
    months_q[-1] = Q(approved_at__gte=bounds[-2])  # this month, and any later date
    counts = User.objects.filter(status=User.Status.MEMBER).aggregate(
        before=Count("id", filter=Q(approved_at__lt=bounds[0]) | Q(approved_at__isnull=True)),
        **{f"m{i}": Count("id", filter=q) for i, q in enumerate(months_q)},
    )
    rows = []
    total = counts["before"]
    for i, month in enumerate(window):
        total += counts[f"m{i}"]
        rows.append(MonthCount(month, counts[f"m{i}"], total))
    return rows


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _applications(since: datetime | None, field: str) -> QuerySet[MembershipApplication]:
    applications = MembershipApplication.objects.order_by()
    if since is not None:
        applications = applications.filter(**{f"{field}__gte": since})
    return applications


def application_funnel(since: datetime | None = None, *, fresh: bool = False) -> Funnel:
    """Applications submitted since the given time, and where each of them stands now."""
    return cached("application_funnel", (since,), lambda: _funnel(since), fresh=fresh)


def _funnel(since: datetime | None) -> Funnel:
    status = MembershipApplication.Status
    counts = _applications(since, "submitted_at").aggregate(
        submitted=Count("id"),
        verified=Count("id", filter=Q(verified_at__isnull=False)),
        approved=Count("id", filter=Q(status=status.APPROVED)),
        rejected=Count("id", filter=Q(status=status.REJECTED)),
        waiting=Count("id", filter=Q(status__in=[status.PENDING, status.NEEDS_INFO])),
    )
    return Funnel(**counts)


class EpochSeconds(Func):
    """Seconds since 1970 of a datetime column, as a number the database subtracts.

    Subtracting two DateTimeFields gives a DurationField, which SQLite computes row by row in a
    Python function: at 100,000 applications that alone took half a second.
    """

    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) * 86400.0)")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")


def decision_times(since: datetime | None = None, *, fresh: bool = False) -> DecisionTimes:
    """Hours from the applicant's email verification to the decision, for applications decided
    since the given time. Percentiles interpolate between the nearest values (like Excel's
    PERCENTILE.INC)."""
    return cached("decision_times", (since,), lambda: _decision_times(since), fresh=fresh)


def _decision_times(since: datetime | None) -> DecisionTimes:
    status = MembershipApplication.Status
    durations = (
        _applications(since, "decided_at")
        .filter(
            status__in=[status.APPROVED, status.REJECTED],
            verified_at__isnull=False,
            decided_at__isnull=False,
        )
        .annotate(waited=EpochSeconds("decided_at") - EpochSeconds("verified_at"))
        .values_list("waited", flat=True)
    )
    hours = sorted(float(seconds) / 3600 for seconds in durations)
    if not hours:
        return DecisionTimes(0, None, None)
    return DecisionTimes(len(hours), statistics.median(hours), _percentile(hours, 0.9))


def _percentile(ordered: list[float], fraction: float) -> float:
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
