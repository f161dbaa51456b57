"""`manage.py generate_posts`: sections, a million posts and three million comments, for benchmarks.

Runs on a database made by `generate_members`. It adds the demo community's sections (課) with
members, leaders and deputies; then posts of every kind in the lobby and the sections, spread
over two years (more of them lately); comments, skewed (most posts get a few, some many, a
third none) with one level of replies and accepted answers; reactions on posts and comments;
a few edited, pinned and deleted posts. `comment_count` and `last_activity_at` agree with the
comments, as the actions would have left them. Exactly one post has 200 comments (no other has
more than 150), so a benchmark can find it with `comment_count=200`.

Fast by design: ids are assigned here, so one transaction per 10,000 posts writes the posts,
their comments and their reactions with bulk_create and nothing is read back; on SQLite the
foreign keys are checked once at the end and the writes skip the fsyncs (PRAGMAs for this
connection only). Fully determined by --seed; only the dates move with the day it runs.
"""

import random
import re
import time
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.members.models import Profile
from cityhall.posts.management import phrases as ph
from cityhall.posts.management.texts import Texts
from cityhall.posts.models import Comment, Post, PostRevision, Reaction
from cityhall.sections.management.demo_sections import SECTIONS
from cityhall.sections.models import Section, SectionMembership

Kind = Post.Kind
CHUNK = 10_000  # posts per transaction, with their comments and reactions
DAYS = 730
KNOWN_COMMENTS = 200  # the benchmark's long thread
MAX_COMMENTS = 150  # every other post has at most this many
KINDS = [Kind.DISCUSSION, Kind.QUESTION, Kind.CASE_STUDY, Kind.ANNOUNCEMENT]
KIND_WEIGHTS = list(accumulate([0.45, 0.33, 0.12, 0.10]))
# Share of posts nobody answers: most questions get an answer, most announcements none.
NO_COMMENTS = {Kind.DISCUSSION: 0.30, Kind.QUESTION: 0.10, Kind.CASE_STUDY: 0.30,
               Kind.ANNOUNCEMENT: 0.55}  # fmt: skip
LOBBY_SHARE = 0.25
REPLY_SHARE = 0.25
ACCEPTED_SHARE = 0.5  # of answered questions
SECTION_WEIGHT = {"work": 2.0, "skills": 1.0, "social": 0.6}


@dataclass
class Place:
    """The lobby (section_id None) or a section, with who may write there."""

    section_id: int | None
    slug: str
    name: str
    closed: bool
    dormant: bool  # no new posts in the last 120 days
    members: list[int]
    cum_weights: list[float]
    runners: list[int]  # leaders and deputies (staff in the lobby)
    topics: list[str]
    social: bool = False  # a social section (交流・趣味): its own kind of talk
    weight: float = 0.0  # how busy: a share of the posts outside the lobby


class Command(BaseCommand):
    help = (
        "ベンチマーク用の課・投稿・コメント・リアクションを大量に作成します（監査・メールなし）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--posts", type=int, default=1_000_000)
        parser.add_argument("--comments", type=int, default=None, help="既定: 投稿数の3倍")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="投稿とコメントの数に掛ける倍率（例: 0.01）"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="DEBUG がオフでも実行する（ベンチマーク用DB）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("generate_posts は開発・ベンチマーク用です（DEBUG=1 か --force）。")
        posts = max(1, round(options["posts"] * options["scale"]))
        comments = options["comments"]
        comments = round(
            (3 * options["posts"] if comments is None else comments) * options["scale"]
        )
        if Post.objects.exists():
            raise CommandError("投稿がすでにあります。新しいデータベースで実行してください。")
        started = time.monotonic()
        generator = Generator(options["seed"], self._progress)
        if len(generator.members) < 10:
            raise CommandError("会員が足りません。先に generate_members を実行してください。")
        with generation_pragmas():
            with transaction.atomic():
                places = generator.sections()
            counts = generator.write(places, posts, comments)
            self._progress("checking foreign keys …")
            connection.check_constraints(
                table_names=[m._meta.db_table for m in (Post, Comment, Reaction, PostRevision)]
                + [SectionMembership._meta.db_table]
            )
        with connection.cursor() as cursor:  # PostgreSQL: the sequences follow the given ids
            for sql in connection.ops.sequence_reset_sql(no_style(), [Post, Comment, PostRevision]):
                cursor.execute(sql)
        self.stdout.write(
            f"{posts:,} posts, {counts['comments']:,} comments, {counts['reactions']:,} "
            f"reactions in {len(places) - 1} sections in {time.monotonic() - started:.1f} s"
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


@contextmanager
def generation_pragmas() -> Iterator[None]:
    """SQLite: no fsync and a large page cache while generating, and the foreign keys checked
    once at the end instead of on every row. All for this connection only, and only outside a
    transaction (SQLite cannot change them inside one)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB
        cursor.execute("PRAGMA temp_store=MEMORY")
    with connection.constraint_checks_disabled():
        yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-2000")


class Generator:
    def __init__(self, seed: int, progress: Any) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - repeatable invented data, not secrets
        self.progress = progress
        self.now = timezone.now()
        users = User.objects.filter(status=User.Status.MEMBER).order_by("pk")
        self.members = list(users.values_list("pk", flat=True))
        self.staff = [pk for pk, role in users.values_list("pk", "role") if role != "member"]
        self.staff = self.staff or self.members[:1]
        # Who someone is, for the text: organisation and department.
        self.profiles = {
            user_id: (org_id, org_name, dept)
            for user_id, org_id, org_name, dept in Profile.objects.values_list(
                "user_id", "organization_id", "organization__name", "department"
            )
        }
        # Some members write far more than others.
        weights = [self.rng.lognormvariate(0, 1.2) for _ in self.members]
        self.activity = dict(zip(self.members, weights, strict=True))
        self.lobby = Place(None, "", "全体", False, False, self.members,
                           list(accumulate(weights)), self.staff, ph.ALL_WORK_TOPICS)  # fmt: skip
        self.texts = Texts(self.rng, self.profiles)

    # --- sections -----------------------------------------------------------------------

    def sections(self) -> list[Place]:
        """The demo sections (any already there are kept as they are), each with members in
        proportion to the community: a few big ones, many small ones."""
        rng, n = self.rng, len(self.members)
        existing = {s.slug: s for s in Section.objects.all()}
        places = [self.lobby]
        for index, (slug, name, kind, purpose, rule, closed) in enumerate(SECTIONS):
            share = min(0.25, rng.lognormvariate(-4.2, 0.9))
            size = min(n, max(3, round(n * share)))
            chosen = rng.sample(self.members, size)
            age = rng.randint(DAYS + 10, DAYS + 300)
            section = existing.get(slug) or Section(
                slug=slug, name=name, kind=kind, purpose=purpose, joining_rule=rule,
                is_closed=closed, created_at=self.now - timedelta(days=age),
            )  # fmt: skip
            # Drawn for every section, new or not, so the rest is the same either way.
            rows = [self._membership(section, pk, i, rule) for i, pk in enumerate(chosen)]
            if section.pk is None:
                section.save()
                SectionMembership.objects.bulk_create(rows)
            active = SectionMembership.objects.filter(
                section=section, status=SectionMembership.Status.ACTIVE
            )
            members = list(active.order_by("pk").values_list("user_id", flat=True))
            runners = list(
                active.exclude(role=SectionMembership.Role.MEMBER).values_list("user_id", flat=True)
            )
            social = kind == Section.Kind.SOCIAL
            topics = [theme(name)] if social else ph.TOPICS.get(slug, ph.ALL_WORK_TOPICS)
            places.append(
                Place(
                    section.pk,
                    slug,
                    name,
                    section.is_closed,
                    index % 9 == 8,
                    members or self.staff,
                    list(accumulate(self.activity.get(pk, 1.0) for pk in members or self.staff)),
                    runners or self.staff,
                    topics,
                    social,
                    weight=SECTION_WEIGHT[kind] * rng.lognormvariate(0, 1.0),
                )
            )
        self.progress(f"{len(places) - 1} sections ready")
        return places

    def _membership(self, section: Section, user_id: int, i: int, rule: str) -> SectionMembership:
        role = "leader" if i == 0 else "deputy" if i < 3 else "member"
        pending = rule == "approval" and i >= 3 and self.rng.random() < 0.05
        span = (self.now - section.created_at).total_seconds()
        return SectionMembership(
            section=section, user_id=user_id, role=role,
            status="pending" if pending else "active",
            created_at=section.created_at + timedelta(seconds=span * self.rng.random() ** 2),
        )  # fmt: skip

    # --- the plan: when, where, what kind, how many comments -----------------------------

    def plan(self, places: list[Place], posts: int, comments: int) -> list[tuple]:
        rng = self.rng
        ages = sorted((DAYS * 86400 * rng.random() ** 1.5 for _ in range(posts)), reverse=True)
        sections = places[1:]
        all_cum = list(accumulate(p.weight for p in sections))
        lively_cum = list(accumulate(0 if p.dormant else p.weight for p in sections))
        known = min(posts - 1, int(posts * 0.97))
        rows = []
        for i, age in enumerate(ages):
            kind = KINDS[bisect_left(KIND_WEIGHTS, rng.random() * KIND_WEIGHTS[-1])]
            if i == known or rng.random() < LOBBY_SHARE:
                place = places[0]
            else:
                cum = lively_cum if age < 120 * 86400 else all_cum
                place = sections[bisect_left(cum, rng.random() * cum[-1])]
            rows.append([age, place, Kind.QUESTION if i == known else kind, 0])
        # Comments: none on some posts; the rest share the total, heavily skewed.
        known_count = min(KNOWN_COMMENTS, comments // 2)
        answered = [
            r for i, r in enumerate(rows) if i != known and rng.random() >= NO_COMMENTS[r[2]]
        ]
        raw = [rng.lognormvariate(0, 1.3) for _ in answered]
        budget = comments - known_count
        scale = max(0.0, (budget - len(answered)) / (sum(raw) or 1))
        for row, r in zip(answered, raw, strict=True):
            row[3] = min(MAX_COMMENTS, 1 + int(r * scale + rng.random()))
        rows[known][3] = known_count
        missing = budget - sum(r[3] for r in answered)
        while missing and answered:  # settle the rounding on random answered posts
            row = rng.choice(answered)
            step = 1 if missing > 0 else -1
            if 1 <= row[3] + step <= MAX_COMMENTS:
                row[3] += step
                missing -= step
        return [tuple(r) for r in rows]

    # --- writing ------------------------------------------------------------------------

    def write(self, places: list[Place], posts: int, comments: int) -> dict[str, int]:
        plan = self.plan(places, posts, comments)
        self.progress(f"planned {posts:,} posts and {comments:,} comments")
        counts = {"comments": 0, "reactions": 0}
        started = time.monotonic()
        next_comment = 1
        for start in range(0, posts, CHUNK):
            batch = Batch()
            for i in range(start, min(posts, start + CHUNK)):
                next_comment = self._post(batch, i + 1, next_comment, *plan[i])
            with transaction.atomic():
                Post.objects.bulk_create(batch.posts)
                Comment.objects.bulk_create(batch.comments)
                Reaction.objects.bulk_create(batch.reactions)
                PostRevision.objects.bulk_create(batch.revisions)
            counts["comments"] += len(batch.comments)
            counts["reactions"] += len(batch.reactions)
            done = min(posts, start + CHUNK)
            if done % 50_000 == 0 or done == posts:
                self.progress(f"  {done:,}/{posts:,} posts, {counts['comments']:,} comments "
                              f"({time.monotonic() - started:.0f} s)")  # fmt: skip
        self._pin(places)
        return counts

    def _pin(self, places: list[Place]) -> None:
        """The newest announcement of the lobby and of each section stays on top."""
        for place in places:
            newest = (
                Post.objects.filter(
                    Q(section_id=place.section_id) if place.section_id else Q(section=None),
                    kind=Kind.ANNOUNCEMENT,
                    deleted_at=None,
                )
                .order_by("-created_at")
                .values_list("pk", flat=True)
                .first()
            )
            if newest:
                Post.objects.filter(pk=newest).update(is_pinned=True)

    def _when(self, start: datetime, span: float, power: float = 1.0) -> datetime:
        return start + timedelta(seconds=span * self.rng.random() ** power)

    def _post(self, batch: "Batch", pk: int, next_comment: int, age: float, place: Place,
              kind: str, n_comments: int) -> int:  # fmt: skip
        rng, now = self.rng, self.now
        created = now - timedelta(seconds=age)
        author = rng.choice(place.runners) if kind == Kind.ANNOUNCEMENT else pick(rng, place)
        post = Post(id=pk, author_id=author, section_id=place.section_id, kind=kind,
                    created_at=created, comment_count=n_comments)  # fmt: skip
        self.texts.fill_post(post, place.topics, social=place.social)
        if rng.random() < 0.05:  # edited soon after: the first version is kept
            post.edited_at = self._when(created, min(age, 3 * 86400))
            batch.revisions.append(PostRevision(
                post_id=pk, title=post.title, body=post.body.split("\n\n")[0],
                edited_by_id=author, created_at=post.edited_at))  # fmt: skip
        if rng.random() < 0.01 and n_comments < KNOWN_COMMENTS:
            post.deleted_at = self._when(created, age, 0.5)
            post.deleted_by_id = author if rng.random() < 0.8 else rng.choice(self.staff)
        # Comments: most arrive in the first hours and days.
        times, t = [], 0.0
        for j in range(n_comments):
            t += rng.expovariate(1 / (3600 * (4 + j)))
            times.append(t)
        if times and times[-1] > age:  # squeeze into the time the post has existed
            times = [x * age * 0.98 / times[-1] for x in times]
        # Closed sections: only their members can read, so only they comment and react.
        pool = place if place.closed else (place if rng.random() < 0.5 else self.lobby)
        thread: list[Comment] = []
        for j, offset in enumerate(times):
            when = created + timedelta(seconds=offset)
            top = [c for c in thread if c.parent_id is None]
            parent = rng.choice(top) if top and rng.random() < REPLY_SHARE else None
            # Sometimes the post's author thanks the person who answered.
            writer = author if parent and rng.random() < 0.4 else pick(rng, pool)
            body = self.texts.comment(writer, place.topics, place.social, reply=writer == author)
            comment = Comment(id=next_comment + j, post_id=pk, author_id=writer, created_at=when,
                              parent_id=parent.pk if parent else None, body=body)  # fmt: skip
            if rng.random() < 0.015:
                comment.deleted_at = self._when(when, (now - when).total_seconds(), 2)
            elif rng.random() < 0.02:
                comment.edited_at = self._when(when, min(3600.0, (now - when).total_seconds()))
            thread.append(comment)
            many = n_comments == KNOWN_COMMENTS
            count = rng.randint(1, 4) if many else int(rng.random() < 0.2) * rng.randint(1, 3)
            self._reactions(batch, pool, {"comment_id": comment.pk}, when, count)
        batch.comments += thread
        post.last_activity_at = created + timedelta(seconds=times[-1]) if times else created
        if kind == Kind.QUESTION and rng.random() < ACCEPTED_SHARE:
            answers = [c.pk for c in thread if c.parent_id is None and c.author_id != author
                       and c.deleted_at is None]  # fmt: skip
            post.accepted_comment_id = rng.choice(answers) if answers else None
        batch.posts.append(post)
        popular = int(rng.lognormvariate(-0.2, 1.0)) + n_comments // 8
        self._reactions(batch, place if place.closed else self.lobby, {"post_id": pk}, created,
                        popular)  # fmt: skip
        return next_comment + n_comments

    def _reactions(self, batch: "Batch", pool: Place, target: dict[str, int], since: datetime,
                   count: int) -> None:  # fmt: skip
        if count <= 0:
            return
        span = (self.now - since).total_seconds()
        for user_id in self.rng.sample(pool.members, min(count, len(pool.members))):
            batch.reactions.append(Reaction(
                user_id=user_id, kind=self.rng.choice(Reaction.Kind.values),
                created_at=self._when(since, span, 3), **target))  # fmt: skip


class Batch:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.comments: list[Comment] = []
        self.reactions: list[Reaction] = []
        self.revisions: list[PostRevision] = []


def pick(rng: random.Random, place: Place) -> int:
    """A member of the place, the keen ones more often."""
    return place.members[bisect_left(place.cum_weights, rng.random() * place.cum_weights[-1])]


def theme(name: str) -> str:
    """What a social section is about: サウナ課 → サウナ, 写真部（PHOTO-LABO） → 写真."""
    name = re.sub(r"（.*?）", "", name)
    return re.sub(r"(の部屋|の課|課|部|係)$", "", name) or name
