"""A small community whose figures are known, for the insights tests.

Seven members in two prefectures and one national body; an applicant, a person asking for more
information, an unverified application, a rejected applicant and a suspended member, none of
whom counts. Times are JST; "now" is 2026-11-24 12:00 JST (tests pin it where it matters).

    北海道 (the prefecture)  道庁 一子   approved 2026-09-10
    北海道 札幌市            札幌 二郎   approved 2026-10-01 00:30 (still 30 September in UTC)
                            札幌 三子   approved 2026-10-15
    北海道 猿払村            猿払 四郎   approved 2026-11-02
    神奈川県 横浜市           横浜 五子   approved 2025-01-01
    神奈川県 葉山町           葉山 六郎   approved 2026-11-20
    デジタル庁               国 七子     approved 2026-09-01 08:00 (still 31 August in UTC)

Applications, hours from email verification to the decision: 道庁 一子 approved after 10 h,
札幌 二郎 approved after 20 h, 札幌 三子 approved after 30 h, 却下 八郎 rejected after 40 h;
申請 九郎 pending, 確認 十子 needs_info, 未確認 十一 unverified.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.members.models import MembershipApplication
from cityhall.organizations.models import Organization

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=JST)

HOKKAIDO = "010006"
SAPPORO = "011002"
SARUFUTSU = "015113"
YOKOHAMA = "141003"
HAYAMA = "143014"
KAWASAKI = "141305"
KAMAKURA = "142042"
SAGAMIHARA = "141500"

Status = MembershipApplication.Status


@dataclass
class Community:
    members: dict[str, User]
    applicant: User
    rejected: User
    suspended: User


def jst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JST)


def national(name: str) -> Organization:
    return Organization.objects.get(kind=Organization.Kind.NATIONAL, name=name)


def _person(
    email: str,
    family: str,
    given: str,
    org: Organization,
    *,
    kana: tuple[str, str] = ("ヤマダ", "ハナコ"),
    status: str = User.Status.MEMBER,
    approved_at: datetime | None = None,
) -> User:
    user = testing.make_user(email, status=status, family_name=family, given_name=given, org=org)
    user.family_name_kana, user.given_name_kana = kana
    user.approved_at = approved_at
    user.save(update_fields=["family_name_kana", "given_name_kana", "approved_at"])
    return user


def _application(
    user: User, status: str, submitted: datetime, *, hours: float | None = None
) -> MembershipApplication:
    verified = None if status == Status.UNVERIFIED else submitted + timedelta(hours=1)
    decided = verified + timedelta(hours=hours) if verified and hours is not None else None
    application = testing.make_application(
        user, status=status, verified_at=verified, decided_at=decided
    )
    # submitted_at is set on creation; put it where the story needs it.
    MembershipApplication.objects.filter(pk=application.pk).update(submitted_at=submitted)
    return application


def build() -> Community:
    org = testing.organization
    m = {
        "dochou": _person(
            "ichiko@pref.hokkaido.lg.jp",
            "道庁",
            "一子",
            org(HOKKAIDO),
            kana=("ドウチョウ", "イチコ"),
            approved_at=jst(2026, 9, 10, 12),
        ),
        "sapporo2": _person(
            "jiro@city.sapporo.jp",
            "札幌",
            "二郎",
            org(SAPPORO),
            kana=("サッポロ", "ジロウ"),
            approved_at=jst(2026, 10, 1, 0, 30),
        ),
        "sapporo3": _person(
            "miko@city.sapporo.jp",
            "札幌",
            "三子",
            org(SAPPORO),
            kana=("サッポロ", "ミコ"),
            approved_at=jst(2026, 10, 15, 9),
        ),
        "sarufutsu": _person(
            "shiro@vill.sarufutsu.lg.jp",
            "猿払",
            "四郎",
            org(SARUFUTSU),
            kana=("サルフツ", "シロウ"),
            approved_at=jst(2026, 11, 2, 9),
        ),
        "yokohama": _person(
            "goko@city.yokohama.lg.jp",
            "横浜",
            "五子",
            org(YOKOHAMA),
            kana=("ヨコハマ", "ゴコ"),
            approved_at=jst(2025, 1, 1, 9),
        ),
        "hayama": _person(
            "rokuro@town.hayama.lg.jp",
            "葉山",
            "六郎",
            org(HAYAMA),
            kana=("ハヤマ", "ロクロウ"),
            approved_at=jst(2026, 11, 20, 9),
        ),
        "digital": _person(
            "nanako@digital.go.jp",
            "国",
            "七子",
            national("デジタル庁"),
            kana=("クニ", "ナナコ"),
            approved_at=jst(2026, 9, 1, 8),
        ),
    }
    applicant = _person(
        "kuro@city.kawasaki.jp", "申請", "九郎", org(KAWASAKI), status=User.Status.APPLICANT
    )
    asked = _person(
        "toko@city.kawasaki.jp", "確認", "十子", org(KAWASAKI), status=User.Status.APPLICANT
    )
    unverified = _person(
        "juichi@example.com", "未確認", "十一", org(KAWASAKI), status=User.Status.APPLICANT
    )
    rejected = _person(
        "hachiro@example.com", "却下", "八郎", org(SAGAMIHARA), status=User.Status.REJECTED
    )
    suspended = _person(
        "stop@city.kamakura.kanagawa.jp",
        "停止",
        "三郎",
        org(KAMAKURA),
        status=User.Status.SUSPENDED,
        approved_at=jst(2026, 10, 5, 9),
    )
    _application(m["dochou"], Status.APPROVED, jst(2026, 9, 9, 9), hours=10)
    _application(m["sapporo2"], Status.APPROVED, jst(2026, 9, 29, 9), hours=20)
    _application(m["sapporo3"], Status.APPROVED, jst(2026, 10, 14, 9), hours=30)
    _application(rejected, Status.REJECTED, jst(2026, 11, 8, 9), hours=40)
    _application(applicant, Status.PENDING, jst(2026, 11, 22, 9))
    _application(asked, Status.NEEDS_INFO, jst(2026, 11, 21, 9))
    _application(unverified, Status.UNVERIFIED, jst(2026, 11, 23, 9))
    return Community(m, applicant, rejected, suspended)
