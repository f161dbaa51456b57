"""`manage.py generate_members --members 100000`: a large, believable community for benchmarks.

Members are spread over every local government and national body, more of them in prefectures
and big cities; each has a profile with 1–3 related duties, and an approved application, as if
they had joined through the site. On top come the open and rejected applications of the review
queue (about 2% of the members by default), from government and free-mail addresses, some of
them possible duplicates of a member or of another application.

Fast by design: rows are written with bulk_create in batches, everyone shares one password hash
(of a random secret: nobody can sign in with it), and nothing is audited or mailed. The people
are fully determined by --seed; only the dates move with the day the command runs.
"""

import random
import re
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.members.evidence import match_fields, romanize
from cityhall.members.management import demo_data as names
from cityhall.members.models import Duty, MembershipApplication, Profile, Visibility
from cityhall.organizations.models import Organization

Status = MembershipApplication.Status
BATCH = 5_000
FREE_MAIL = ["gmail.com", "gmail.com", "gmail.com", "yahoo.co.jp", "icloud.com", "outlook.jp"]
# Open and rejected applications, by share.
QUEUE_STATUSES = [Status.PENDING] * 14 + [Status.NEEDS_INFO] * 3 + [Status.REJECTED] * 3
NEEDS_INFO_MESSAGE = "ご所属を確認できる情報（職場のメールアドレスなど）を教えていただけますか。"
REJECTED_MESSAGE = "公務員であることを確認できなかったため、今回は承認を見送りました。"


@dataclass
class Person:
    family: tuple[str, str, str]  # (kanji, katakana, romaji)
    given: tuple[str, str, str]
    organization: Organization
    email: str
    duties: list[Duty]
    department: str
    title: str
    joined: datetime  # when the application was submitted
    decided: datetime | None = None
    status: str = User.Status.MEMBER
    role: str = User.Role.MEMBER
    application_status: str = Status.APPROVED
    bio: str = ""
    interests: str = ""
    visibility: dict[str, str] = field(default_factory=dict)


class Command(BaseCommand):
    help = "ベンチマーク用に大量の会員と参加申請を作成します（監査記録・メールなし）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--members", type=int, default=100_000)
        parser.add_argument(
            "--applications",
            type=int,
            default=None,
            help="審査待ち・追加情報の依頼中・不承認の申請の数（既定: 会員数の約2%%）",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="DEBUG がオフでも実行する（ベンチマーク用DB）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Tens of thousands of invented people must never land in a real community by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "generate_members は開発・ベンチマーク用です（DEBUG=1 か --force）。"
            )
        members = options["members"]
        applications = options["applications"]
        if applications is None:
            applications = max(1, round(members * 0.02))
        if members < 1 or applications < 0:
            raise CommandError("--members は1以上、--applications は0以上を指定してください。")
        if not Organization.objects.exists() or not Duty.objects.exists():
            raise CommandError(
                "団体と担当業務の参照データがありません。先に migrate を実行してください。"
            )

        started = time.monotonic()
        generator = Generator(options["seed"], self._progress)
        people = generator.members(members)
        people += generator.applicants(applications, people)
        try:
            with transaction.atomic(), keep_given_dates():
                generator.write(people)
        except IntegrityError as error:
            raise CommandError(
                "作成済みのデータと重複しました。新しいデータベースで実行してください。"
            ) from error
        self.stdout.write(
            f"{members:,} members and {applications:,} open or rejected applications "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


@contextmanager
def keep_given_dates() -> Iterator[None]:
    """bulk_create stamps auto_now_add fields with the current time; the generator spreads
    joining dates over years instead, so turn the stamping off while it writes."""
    fields = [
        User._meta.get_field("date_joined"),
        MembershipApplication._meta.get_field("submitted_at"),
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class Generator:
    def __init__(self, seed: int, progress: Any) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not secrets
        self.progress = progress
        self.now = timezone.now()
        orgs = list(Organization.objects.active().select_related("prefecture").order_by("pk"))
        self.organizations = orgs
        self.cum_weights = list(accumulate(self._weight(o) for o in orgs))
        self.duties = list(Duty.objects.active().order_by("sort_order", "pk"))
        self.domains = {o.pk: government_domain(o) for o in orgs}

    def _weight(self, org: Organization) -> float:
        """Bigger bodies have more staff, hence more members; a random factor per body makes
        some places far keener than others, as in the real community."""
        kind, code = org.kind, org.code or ""
        if kind == Organization.Kind.PREFECTURE:
            base = 40.0
        elif kind == Organization.Kind.CITY and code[2:3] == "1":  # 政令指定都市: xx1yyc
            base = 60.0
        elif kind in {Organization.Kind.CITY, Organization.Kind.SPECIAL_WARD}:
            base = 8.0
        elif kind == Organization.Kind.TOWN:
            base = 1.2
        elif kind == Organization.Kind.VILLAGE:
            base = 0.5
        else:  # national: ministries more than their agencies
            base = 3.0 if org.parent_id else 8.0
        return base * self.rng.lognormvariate(0, 0.5)

    def _places(self, count: int) -> list[Organization]:
        """Everyone once when there are enough members, the rest by weight."""
        orgs = self.organizations
        first = self.rng.sample(orgs, len(orgs)) if count >= len(orgs) else []
        rest = self.rng.choices(orgs, cum_weights=self.cum_weights, k=count - len(first))
        places = first + rest
        self.rng.shuffle(places)
        return places

    def _duties(self) -> list[Duty]:
        """A main duty and up to two more from the same field."""
        main = self.rng.choice(self.duties)
        related = [d for d in self.duties if d.category == main.category and d != main]
        return [main, *self.rng.sample(related, min(len(related), self.rng.randint(0, 2)))]

    def _person(self, org: Organization, email: str, joined: datetime) -> Person:
        duties = self._duties()
        department = self.rng.choice(
            names.DEPARTMENTS.get(duties[0].category, names.OTHER_DEPARTMENTS).split()
        )
        greeting = self.rng.choice(names.GREETINGS).format(
            org=org.name, dept=department, duty=duties[0].name, years=self.rng.randint(2, 9)
        )
        visibility: dict[str, str] = {}
        if self.rng.random() < 0.15:  # some people keep a field to staff
            visibility[self.rng.choice(["bio", "title", "department", "interests"])] = (
                Visibility.STAFF
            )
        return Person(
            family=self.rng.choice(names.FAMILY_NAMES),
            given=self.rng.choice(names.GIVEN_NAMES),
            organization=org,
            email=email,
            duties=duties,
            department=department,
            title=self.rng.choice(names.TITLES).strip("-"),
            joined=joined,
            bio="".join([greeting, *self.rng.sample(names.BIO_SENTENCES, 2)])
            if self.rng.random() < 0.85
            else "",
            interests=self.rng.choice(names.INTERESTS) if self.rng.random() < 0.7 else "",
            visibility=visibility,
        )

    def members(self, count: int) -> list[Person]:
        people = []
        staff_count = max(1, min(10, count // 100))
        for i, org in enumerate(self._places(count)):
            # The community grew over three years: more recent joiners than early ones.
            joined = self.now - timedelta(days=1100 * (1 - self.rng.random() ** 0.5) + 2)
            person = self._person(org, "", joined)
            person.decided = joined + timedelta(hours=self.rng.randint(2, 96))
            family, given = person.family[2], person.given[2]
            person.email = f"{given}.{family}.{i}@{self.domains[org.pk]}"
            if i < staff_count:  # the volunteers who review the queue
                person.role = User.Role.STAFF
            people.append(person)
        self.progress(f"planned {count:,} members")
        return people

    def applicants(self, count: int, members: Sequence[Person]) -> list[Person]:
        """The review queue. About one in ten is a possible duplicate: a member applying again
        from a private address, or a second application to the same mailbox."""
        people: list[Person] = []
        gmail: list[Person] = []
        for i in range(count):
            status = self.rng.choice(QUEUE_STATUSES)
            days = {Status.PENDING: 30, Status.NEEDS_INFO: 60}.get(status, 700)
            joined = self.now - timedelta(hours=self.rng.uniform(1, days * 24))
            org = self._places(1)[0]
            person = self._person(org, "", joined)
            rejected = status == Status.REJECTED
            person.status = User.Status.REJECTED if rejected else User.Status.APPLICANT
            person.application_status = status
            if status != Status.PENDING:
                person.decided = joined + timedelta(hours=self.rng.randint(2, 48))
            family, given = person.family[2], person.given[2]
            roll = self.rng.random()
            if roll < 0.05 and members:
                twin = self.rng.choice(members)  # a member, applying again
                person.family, person.given, person.organization = (
                    twin.family,
                    twin.given,
                    twin.organization,
                )
                person.email = f"{twin.given[2]}{twin.family[2]}{i}@{self.rng.choice(FREE_MAIL)}"
            elif roll < 0.10 and gmail:
                earlier = self.rng.choice(gmail)  # the same mailbox, written another way
                local = earlier.email.split("@")[0]
                person.family, person.given, person.organization = (
                    earlier.family,
                    earlier.given,
                    earlier.organization,
                )
                person.email = f"{local.replace('.', '', 1)}+{i}@gmail.com"
            elif roll < 0.40:
                person.email = f"{given}.{family}.q{i}@{self.rng.choice(FREE_MAIL)}"
            elif roll < 0.44:  # a government address of another place than the one chosen
                other = self.rng.choice(self.organizations)
                person.email = f"{family}-{given}.q{i}@{self.domains[other.pk]}"
            else:
                person.email = f"{family}-{given}.q{i}@{self.domains[org.pk]}"
            if person.email.endswith("@gmail.com") and "+" not in person.email:
                gmail.append(person)
            people.append(person)
        self.progress(f"planned {count:,} open or rejected applications")
        return people

    # --- writing ------------------------------------------------------------------------

    def write(self, people: list[Person]) -> None:
        password = make_password(secrets.token_urlsafe(32))
        reviewers: list[User] = []
        started = time.monotonic()
        for start in range(0, len(people), BATCH):
            batch = people[start : start + BATCH]
            users = User.objects.bulk_create([self._user(p, password) for p in batch])
            if not reviewers:
                reviewers = [u for u in users if u.role == User.Role.STAFF]
            profiles = Profile.objects.bulk_create(
                [self._profile(u, p) for u, p in zip(users, batch, strict=True)]
            )
            Profile.duties.through.objects.bulk_create(
                [
                    Profile.duties.through(profile_id=profile.pk, duty_id=duty.pk)
                    for profile, p in zip(profiles, batch, strict=True)
                    for duty in p.duties
                ]
            )
            applications = MembershipApplication.objects.bulk_create(
                [self._application(u, p, reviewers) for u, p in zip(users, batch, strict=True)]
            )
            MembershipApplication.duties.through.objects.bulk_create(
                [
                    MembershipApplication.duties.through(
                        membershipapplication_id=a.pk, duty_id=duty.pk
                    )
                    for a, p in zip(applications, batch, strict=True)
                    for duty in p.duties
                ]
            )
            done = start + len(batch)
            self.progress(
                f"  {done:,}/{len(people):,} people written ({time.monotonic() - started:.1f} s)"
            )

    def _user(self, p: Person, password: str) -> User:
        return User(
            email=p.email.lower(),
            password=password,
            email_verified=True,
            family_name=p.family[0],
            given_name=p.given[0],
            family_name_kana=p.family[1],
            given_name_kana=p.given[1],
            status=p.status,
            role=p.role,
            date_joined=p.joined,
            approved_at=p.decided if p.status == User.Status.MEMBER else None,
        )

    def _profile(self, user: User, p: Person) -> Profile:
        return Profile(
            user=user,
            organization=p.organization,
            department=p.department,
            title=p.title,
            interests=p.interests,
            bio=p.bio,
            visibility=p.visibility,
        )

    def _application(self, user: User, p: Person, reviewers: list[User]) -> MembershipApplication:
        status = p.application_status
        decided = status in {Status.APPROVED, Status.NEEDS_INFO, Status.REJECTED}
        message: dict[str, str] = {
            Status.NEEDS_INFO: NEEDS_INFO_MESSAGE,
            Status.REJECTED: REJECTED_MESSAGE,
        }
        return MembershipApplication(
            user=user,
            status=status,
            family_name=p.family[0],
            given_name=p.given[0],
            family_name_kana=p.family[1],
            given_name_kana=p.given[1],
            organization=p.organization,
            department=p.department,
            title=p.title,
            email=p.email,
            referral=self.rng.choice(MembershipApplication.Referral.values),
            interests=p.interests,
            introduction=p.bio or f"{p.organization.name}の{p.department}です。",
            policy_version=settings.POLICY_VERSION,
            consented_at=p.joined,
            submitted_at=p.joined,
            verified_at=p.joined + timedelta(minutes=5),
            decided_at=p.decided if decided else None,
            decided_by=self.rng.choice(reviewers) if decided and reviewers else None,
            staff_message=message.get(status, ""),
            **match_fields(p.email, p.family[0], p.given[0]),
        )


_HEPBURN = [("sy", "sh"), ("ty", "ch"), ("zy", "j"), ("si", "shi"), ("ti", "chi"),
            ("tu", "tsu"), ("hu", "fu"), ("zi", "ji"), ("ou", "o"), ("uu", "u")]  # fmt: skip
_SUFFIXES: dict[str, tuple[str, ...]] = {
    Organization.Kind.PREFECTURE: ("ケン", "フ", "ト"),
    Organization.Kind.CITY: ("シ",),
    Organization.Kind.SPECIAL_WARD: ("ク",),
    Organization.Kind.TOWN: ("チョウ", "マチ"),
    Organization.Kind.VILLAGE: ("ムラ", "ソン"),
    Organization.Kind.NATIONAL: ("ショウ", "チョウ", "イインカイ"),
}
_LABELS: dict[str, str] = {
    Organization.Kind.PREFECTURE: "pref",
    Organization.Kind.CITY: "city",
    Organization.Kind.SPECIAL_WARD: "city",
    Organization.Kind.TOWN: "town",
    Organization.Kind.VILLAGE: "vill",
}


def government_domain(org: Organization) -> str:
    """city.yokohama.lg.jp, pref.nagano.lg.jp, soumu.go.jp …: the body's name in romaji."""
    kana = org.kana
    for suffix in _SUFFIXES.get(org.kind, ()):
        if kana.endswith(suffix) and len(kana) > len(suffix):
            kana = kana[: -len(suffix)]
            break
    place = romanize(kana)
    for kunrei, hepburn in _HEPBURN:
        place = place.replace(kunrei, hepburn)
    place = re.sub(r"[^a-z]", "", place) or "office"
    if org.kind == Organization.Kind.NATIONAL:
        return f"{place}.go.jp"
    if org.code == "130001":
        return "metro.tokyo.lg.jp"
    return f"{_LABELS[org.kind]}.{place}.lg.jp"
