"""`manage.py load_demo`: a believable demo community, and the logins to explore it.

Safe to run on every start: people who already exist are left exactly as they are. The data is
generated from a fixed seed, so every run and every machine gets the same community. Demo data
writes no audit entries and sends no mail.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import product
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.members.evidence import match_fields
from cityhall.members.management import demo_data as demo
from cityhall.members.models import Duty, MembershipApplication, Profile, Visibility
from cityhall.organizations.models import Organization

Status = MembershipApplication.Status


@dataclass
class Person:
    email: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    organization: Organization
    department: str = ""
    title: str = ""
    role: str = User.Role.MEMBER
    status: str = User.Status.MEMBER
    duties: list[Duty] = field(default_factory=list)
    interests: str = ""
    bio: str = ""
    visibility: dict[str, str] = field(default_factory=dict)
    days_ago: int = 400
    can_sign_in: bool = True
    application: dict[str, Any] | None = None  # for people in the review queue


class Command(BaseCommand):
    help = "デモ用の会員と参加申請を作成し、ログイン情報を表示します。何度実行しても重複しません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG がオフでも実行する（誰でも知っているパスワードの運営アカウントができます）",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        # The demo staff account has a published password: never on a real site by accident.
        if not settings.DEBUG and not force:
            raise CommandError("load_demo はデモ・開発用です（DEBUG=1 で実行してください）。")
        if not Organization.objects.exists():
            raise CommandError("団体の参照データがありません。先に migrate を実行してください。")
        with transaction.atomic():
            created, total = DemoBuilder().build()
        # Sections need the members above; the command is idempotent like this one.
        call_command("load_demo_sections", force=force, stdout=self.stdout)
        call_command("load_demo_posts", force=force, stdout=self.stdout)
        call_command("load_demo_events", force=force, stdout=self.stdout)
        call_command("load_demo_broadcasts", force=force, stdout=self.stdout)
        call_command("load_demo_knowledge", force=force, stdout=self.stdout)
        # Demo data is partly bulk-created (no search signals): index whatever is missing.
        call_command("reindex", repair=True, stdout=self.stdout)
        self.stdout.write(banner(created, total))


class DemoBuilder:
    def __init__(self) -> None:
        self.rng = random.Random(demo.SEED)  # noqa: S311 - repeatable demo data, not secrets
        self.now = timezone.now()
        self.organizations = self._organizations()
        # The curated list, seeded by the members migrations and edited by staff.
        self.duties = list(Duty.objects.active().order_by("sort_order", "pk"))

    def build(self) -> tuple[int, int]:
        people = self._accounts() + self._members() + self._applicants()
        emails = [p.email for p in people]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        new = [p for p in people if p.email not in existing]
        if new:
            self._create(new)
        return len(new), len(people)

    # --- what they are made of ----------------------------------------------------------

    def _organizations(self) -> dict[str, Organization]:
        """Featured places, a seeded sample of all local governments, two national bodies."""
        orgs = Organization.objects.select_related("prefecture")
        wanted = Q(code__in=demo.FEATURED_CODES) | Q(slug__in=demo.NATIONAL_SLUGS)
        found = {o.code or o.slug or "": o for o in orgs.filter(wanted)}
        others = list(orgs.active().local_governments().exclude(code__in=found).order_by("code"))
        for org in self.rng.sample(others, min(demo.SAMPLED_ORGANIZATIONS, len(others))):
            found[org.code or ""] = org
        return found

    def _org(self, code: str) -> Organization:
        """A named organisation, or any one when the reference data lacks it."""
        return self.organizations.get(code) or next(iter(self.organizations.values()))

    def _related_duties(self) -> list[Duty]:
        """A main duty and up to two more from the same field, as people really have."""
        if not self.duties:
            return []
        main = self.rng.choice(self.duties)
        related = [d for d in self.duties if d.category == main.category and d != main]
        return [main, *self.rng.sample(related, min(len(related), self.rng.randint(0, 2)))]

    # --- who ----------------------------------------------------------------------------

    def _accounts(self) -> list[Person]:
        people = []
        for spec in demo.ACCOUNTS.values():
            fields = {k: v for k, v in spec.items() if k not in {"label", "code", "duty_names"}}
            duties = [d for d in self.duties if d.name in spec["duty_names"]]
            people.append(
                Person(
                    **fields,
                    organization=self._org(spec["code"]),
                    duties=duties,
                    interests=self.rng.choice(demo.INTERESTS),
                )
            )
        return people

    def _members(self) -> list[Person]:
        taken: set[tuple[str, ...]] = {
            (a["family_name"], a["given_name"]) for a in demo.ACCOUNTS.values()
        }
        taken |= {tuple(a[0].split()) for a in demo.APPLICATIONS}
        names = [
            (f, g)
            for f, g in product(demo.FAMILY_NAMES, demo.GIVEN_NAMES)
            if (f[0], g[0]) not in taken
        ]
        # Names (hence email addresses) come from their own generator, so they stay the same
        # even when the duty list or the reference data changes between runs.
        names_rng = random.Random(demo.SEED)  # noqa: S311 - repeatable demo data
        orgs = sorted(self.organizations.values(), key=lambda o: o.code or o.slug or "")
        people = []
        for family, given in names_rng.sample(names, demo.MEMBER_COUNT):
            org = self.rng.choice(orgs)
            duties = self._related_duties()
            category = duties[0].category if duties else ""
            department = self.rng.choice(
                demo.DEPARTMENTS.get(category, demo.OTHER_DEPARTMENTS).split()
            )
            greeting = self.rng.choice(demo.GREETINGS).format(
                org=org.name,
                dept=department,
                duty=duties[0].name if duties else "窓口業務",
                years=self.rng.randint(2, 9),
            )
            bio = "".join([greeting, *self.rng.sample(demo.BIO_SENTENCES, 2)])
            visibility: dict[str, str] = {}
            if self.rng.random() < 0.15:  # some people keep things to themselves
                hidden = self.rng.choice(["bio", "title", "department", "interests"])
                visibility[hidden] = Visibility.STAFF
            people.append(
                Person(
                    email=f"{given[2]}.{family[2]}@{demo.DOMAIN}",
                    family_name=family[0],
                    given_name=given[0],
                    family_name_kana=family[1],
                    given_name_kana=given[1],
                    organization=org,
                    department=department,
                    title=self.rng.choice(demo.TITLES).strip("-"),
                    duties=duties,
                    interests=self.rng.choice(demo.INTERESTS) if self.rng.random() < 0.7 else "",
                    bio=bio if self.rng.random() < 0.85 else "",
                    visibility=visibility,
                    days_ago=self.rng.randint(7, 900),
                )
            )
        return people

    def _applicants(self) -> list[Person]:
        people = []
        for name, kana, email, code, dept, title, status, days, message, reply in demo.APPLICATIONS:
            (family, given), (family_kana, given_kana) = name.split(), kana.split()
            rejected = status == Status.REJECTED
            people.append(
                Person(
                    email=email,
                    family_name=family,
                    given_name=given,
                    family_name_kana=family_kana,
                    given_name_kana=given_kana,
                    organization=self._org(code),
                    department=dept,
                    title=title,
                    status=User.Status.REJECTED if rejected else User.Status.APPLICANT,
                    duties=self._related_duties(),
                    interests=self.rng.choice(demo.INTERESTS),
                    days_ago=days,
                    can_sign_in=False,
                    application={
                        "status": status,
                        "days_ago": days,
                        "staff_message": message,
                        "applicant_reply": reply,
                    },
                )
            )
        return people

    # --- writing ------------------------------------------------------------------------

    def _create(self, people: list[Person]) -> None:
        # Hash once: the demo password for everyone who signs in, unusable for the queue.
        usable, unusable = make_password(demo.PASSWORD), make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    email=p.email.lower(),
                    password=usable if p.can_sign_in else unusable,
                    family_name=p.family_name,
                    given_name=p.given_name,
                    family_name_kana=p.family_name_kana,
                    given_name_kana=p.given_name_kana,
                    status=p.status,
                    role=p.role,
                    email_verified=(p.application or {}).get("status") != Status.UNVERIFIED,
                    approved_at=self._ago(p.days_ago) if p.status == User.Status.MEMBER else None,
                )
                for p in people
            ]
        )
        for user, person in zip(users, people, strict=True):
            user.date_joined = self._ago(person.days_ago + 1)
        User.objects.bulk_update(users, ["date_joined"])

        profiles = Profile.objects.bulk_create(
            [
                Profile(
                    user=user,
                    organization=p.organization,
                    department=p.department,
                    title=p.title,
                    interests=p.interests,
                    bio=p.bio,
                    visibility=p.visibility,
                )
                for user, p in zip(users, people, strict=True)
            ]
        )
        Profile.duties.through.objects.bulk_create(
            [
                Profile.duties.through(profile_id=profile.pk, duty_id=duty.pk)
                for profile, p in zip(profiles, people, strict=True)
                for duty in p.duties
            ]
        )
        self._create_applications(
            [(u, p) for u, p in zip(users, people, strict=True) if p.application]
        )

    def _create_applications(self, pairs: list[tuple[User, Person]]) -> None:
        reviewer = User.objects.filter(email=demo.ACCOUNTS["staff"]["email"]).first()
        applications = []
        for user, p in pairs:
            answers = p.application or {}
            status, ago = answers["status"], self._ago(answers["days_ago"], hours=True)
            decided = status in {Status.NEEDS_INFO, Status.REJECTED}
            applications.append(
                MembershipApplication(
                    user=user,
                    status=status,
                    email=p.email,
                    family_name=p.family_name,
                    given_name=p.given_name,
                    family_name_kana=p.family_name_kana,
                    given_name_kana=p.given_name_kana,
                    organization=p.organization,
                    department=p.department or "総務課",
                    title=p.title,
                    interests=p.interests,
                    referral=self.rng.choice(MembershipApplication.Referral.values),
                    introduction=(
                        f"{p.organization.name}の{p.department or '職員'}です。"
                        f"{self.rng.choice(demo.BIO_SENTENCES)}"
                    ),
                    policy_version=settings.POLICY_VERSION,
                    consented_at=ago,
                    verified_at=None if status == Status.UNVERIFIED else ago,
                    decided_at=ago + timedelta(days=1) if decided else None,
                    decided_by=reviewer if decided else None,
                    staff_message=answers.get("staff_message", ""),
                    applicant_reply=answers.get("applicant_reply", ""),
                    **match_fields(p.email, p.family_name, p.given_name),
                )
            )
        created = MembershipApplication.objects.bulk_create(applications)
        for application in created:  # submitted_at is auto_now_add: set it afterwards
            application.submitted_at = application.consented_at
        MembershipApplication.objects.bulk_update(created, ["submitted_at"])
        MembershipApplication.duties.through.objects.bulk_create(
            [
                MembershipApplication.duties.through(membershipapplication_id=a.pk, duty_id=d.pk)
                for a, (_user, p) in zip(created, pairs, strict=True)
                for d in p.duties
            ]
        )

    def _ago(self, days: int, *, hours: bool = False) -> Any:
        # Hours spread the queue over the day, as real submissions are.
        return self.now - timedelta(days=days, hours=self.rng.randint(1, 20) if hours else 0)


def banner(created: int, total: int) -> str:
    lines = [
        "=" * 72,
        f"  {settings.SITE_NAME} デモ  {settings.SITE_URL}/",
        f"  デモデータ: {total} アカウント（今回 {created} 件を作成、{total - created} 件は既存）",
        "",
        f"  パスワード: {demo.PASSWORD}（下の4アカウントとデモ会員に共通）",
        *(f"  {a['label']:　<8}{a['email']}" for a in demo.ACCOUNTS.values()),
        "  ※申請者は審査待ちの状態です。デモ用に、パスワードでログインできるようにしてあります。",
    ]
    if not settings.STAFF_2FA_RELAXED:
        lines.append("  ※運営事務局は初回ログイン時に二要素認証（TOTP）の設定が必要です。")
    lines.append("=" * 72)
    return "\n".join(lines)
