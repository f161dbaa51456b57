"""`manage.py load_demo_posts`: the demo community's posts, comments, reactions and notifications.

Hand-written posts (demo_posts) are given authors from the demo members with a fixed seed, dated
over the last six weeks relative to now, and written straight to the tables: like the rest of the
demo data this writes no audit entries, sends no mail and pushes nothing live. The notifications
the actions would have made (comments on one's posts, replies, mentions, accepted answers, new
posts in followed sections) are written too, older ones already read. Runs once: if the demo
posts are there, it changes nothing.
"""

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.mentions import mention_token, mentioned_ids
from cityhall.interface.management.demo_posts import POSTS
from cityhall.interface.management.demo_posts.spec import ANNOUNCEMENT, CASE_STUDY, P
from cityhall.members.management.demo_data import ACCOUNTS, DOMAIN
from cityhall.notifications import unread
from cityhall.notifications.models import Kind, Notification, SectionMute
from cityhall.posts.models import Comment, Post, Reaction
from cityhall.search.index import refresh
from cityhall.sections.models import Section, SectionMembership

SEED = 20260301
READ_AFTER = timedelta(days=2)  # older notifications have been read already
LOGINS = {key: spec["email"] for key, spec in ACCOUNTS.items() if key != "applicant"}
PLACEHOLDER = re.compile(r"\{(@?[a-z_0-9]+)\}")
MUNICIPAL = {"city", "town", "village", "special_ward"}
REACTIONS = [Reaction.Kind.LIKE] * 3 + [Reaction.Kind.THANKS, Reaction.Kind.INSIGHT]


class Command(BaseCommand):
    help = "デモ用の投稿・コメント・リアクション・通知を作成します。作成済みなら何もしません。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="DEBUG がオフでも実行する")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("load_demo_posts はデモ・開発用です（DEBUG=1 で実行してください）。")
        if User.objects.filter(email__in=LOGINS.values()).count() < len(LOGINS):
            raise CommandError("デモ会員がいません。先に load_demo を実行してください。")
        mine = Post.objects.filter(
            author__email__endswith=f"@{DOMAIN}", title__in=[p.title for p in POSTS]
        )
        if mine.exists():
            self.stdout.write("投稿: デモの投稿は作成済みです（変更なし）")
            return
        with transaction.atomic():
            counts = DemoPosts().build()
        self.stdout.write(
            "投稿: {posts} 件、コメント: {comments} 件、リアクション: {reactions} 件、"
            "通知: {notifications} 件を作成".format(**counts)
        )


@dataclass
class Written:
    """A post as written, with its comments, not saved yet."""

    spec: P
    post: Post
    comments: list[Comment]


class DemoPosts:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
        self.now = timezone.now()
        users = User.objects.filter(status=User.Status.MEMBER, is_active=True)
        self.users = {
            u.pk: u
            for u in users.select_related("profile__organization")
            .prefetch_related("profile__duties")
            .order_by("pk")
        }
        by_email = {u.email: u for u in self.users.values()}
        self.logins = {key: by_email[email] for key, email in LOGINS.items()}
        login_ids = {u.pk for u in self.logins.values()}
        # Only invented members are drawn at random; the demo logins appear where written.
        self.since = {
            u.pk: u.approved_at
            for u in self.users.values()
            if u.pk not in login_ids and u.approved_at is not None
        }
        self.people = [u for u in self.users.values() if u.pk in self.since]
        self.newcomers = sorted(self.people, key=lambda u: self.since[u.pk], reverse=True)
        self.sections = {s.slug: s for s in Section.objects.all()}
        self.joined: dict[int, dict[int, SectionMembership]] = defaultdict(dict)
        for m in SectionMembership.objects.filter(status=SectionMembership.Status.ACTIVE):
            self.joined[m.section_id][m.user_id] = m
        self.muted = set(SectionMute.objects.values_list("section_id", "user_id"))
        self.authored: dict[int, int] = defaultdict(int)

    # --- who ----------------------------------------------------------------------------

    def _may_read(self, user: User, section: Section | None) -> bool:
        return (
            section is None
            or not section.is_closed
            or user.is_staff_member
            or user.pk in self.joined[section.pk]
        )

    def _may_post(self, user: User, section: Section | None) -> bool:
        return section is None or user.is_staff_member or user.pk in self.joined[section.pk]

    def _runner(self, section: Section | None) -> User:
        members = self.joined[section.pk].values() if section else []
        leaders = sorted((m for m in members if m.role == "leader"), key=lambda m: m.pk)
        leader = self.users.get(leaders[0].user_id) if leaders else None
        return leader or self.logins["staff"]

    def _eligible(self, user: User, when: datetime, section: Section | None) -> bool:
        """A member by then, and in the section by then when it is the section's post."""
        if self.since[user.pk] > when:
            return False
        membership = self.joined[section.pk].get(user.pk) if section else None
        return section is None or (membership is not None and membership.created_at <= when)

    def _pick(self, pool: list[User], avoid: set[int]) -> User:
        fresh = [u for u in pool if u.pk not in avoid] or pool
        quiet = [u for u in fresh if self.authored[u.pk] < 2] or fresh
        return self.rng.choice(quiet)

    def _author(self, spec: P, section: Section | None, when: datetime) -> User:
        if spec.by in self.logins:
            return self.logins[spec.by]
        if spec.by.startswith("new"):
            return self.newcomers[int(spec.by[3:]) - 1]
        if spec.by == "runner" or spec.kind == ANNOUNCEMENT:
            return self._runner(section)
        pool = [u for u in self.people if self._eligible(u, when, section)]
        if spec.kind == CASE_STUDY:  # the case is their organisation's own
            pool = [u for u in pool if u.profile.organization.kind in MUNICIPAL] or pool
        if not pool:
            pool = [u for u in self.people if self._may_post(u, section)] or self.people
        author = self._pick(pool, set())
        self.authored[author.pk] += 1
        return author

    def _commenter(self, by: str, post: Post, roles: dict[str, User], when: datetime,
                   taken: set[int]) -> User:  # fmt: skip
        section = post.section
        wanted = roles.get(by) if by else None
        if wanted is not None and self._may_read(wanted, section):
            return wanted
        readers = [u for u in self.people if self.since[u.pk] <= when]
        if section is not None:
            own = [u for u in readers if u.pk in self.joined[section.pk]]
            # Open sections hear from outsiders too; closed ones only from their members.
            if section.is_closed or (own and self.rng.random() < 0.6):
                readers = own or [self.logins["staff"]]
        return self._pick(readers, taken | {post.author_id})

    # --- texts --------------------------------------------------------------------------

    def _fill(self, text: str, writer: User, roles: dict[str, User]) -> str:
        org = writer.profile.organization
        op = roles["op"].profile
        facts = {
            "org": org.name,
            "org_full": org.display_name.replace(" ", ""),  # 北海道猿払村, as one would write it
            "dept": writer.profile.department or "担当課",
            "duty": _duty(writer),
            "op_org": op.organization.name,
            "op_dept": op.department or "担当課",
            "op_duty": _duty(roles["op"]),
        }

        def one(match: re.Match[str]) -> str:
            key = match.group(1)
            if key.startswith("@"):
                user = roles.get(key[1:])
                return mention_token(user) if user is not None else ""
            return facts.get(key, match.group(0))

        return PLACEHOLDER.sub(one, text)

    # --- when ---------------------------------------------------------------------------

    def _created(self, spec: P) -> datetime:
        created = self.now - timedelta(days=spec.days)
        if spec.by.startswith("new"):
            approved = self.since[self.newcomers[int(spec.by[3:]) - 1].pk]
            # Introduced within a day of joining, if they joined lately.
            if approved > self.now - timedelta(days=42):
                soon = approved + timedelta(hours=2 + self.rng.random() * 20)
                if not soon <= created <= soon + timedelta(days=2):
                    created = soon
        return min(created, self.now - timedelta(minutes=30))

    def _comment_times(self, spec: P, created: datetime) -> list[datetime]:
        """Comments follow the post by hours, then days; one given `ago` is pinned there and
        the ones before it are squeezed in between."""
        times: list[datetime] = []
        start, comments, j = created, spec.comments, 0
        latest = self.now - timedelta(minutes=10)
        while j < len(comments):
            k = j
            while k < len(comments) and comments[k].ago is None:
                k += 1
            anchored = k < len(comments)
            end = self.now - timedelta(hours=comments[k].ago or 0) if anchored else latest
            gaps = [self.rng.uniform(0.3, 2.5) * (1 + 0.7 * i) * 3600 for i in range(k - j)]
            room = max((min(end, latest) - start).total_seconds(), 60.0)
            scale = min(1.0, 0.9 * room / (sum(gaps) + 1))
            for gap in gaps:
                start += timedelta(seconds=gap * scale)
                times.append(start)
            if anchored:
                start = min(max(end, start + timedelta(minutes=3)), latest)
                times.append(start)
            j = k + 1
        return times

    # --- writing ------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        written = [w for spec in POSTS if (w := self._write(spec)) is not None]
        # Saved objects lend their new ids to the rows that point at them (posts, then
        # top-level comments, then replies and accepted answers).
        Post.objects.bulk_create([w.post for w in written])
        tops = [c for w in written for c in w.comments if c.parent is None]
        Comment.objects.bulk_create(tops)
        replies = [c for w in written for c in w.comments if c.parent is not None]
        Comment.objects.bulk_create(replies)
        solved = [w for w in written if w.spec.solved is not None]
        for w in solved:
            w.post.accepted_comment = w.comments[w.spec.solved]  # type: ignore[index]
        Post.objects.bulk_update([w.post for w in solved], ["accepted_comment"])
        reactions = self._reactions(written)
        Reaction.objects.bulk_create(reactions)
        notifications = self._notifications(written)
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        unread.forget({n.recipient_id for n in notifications})
        # bulk_create skips the search signals: index the posts and their comments here.
        refresh("post", [w.post.pk for w in written], cascade=True)
        return {
            "posts": len(written),
            "comments": len(tops) + len(replies),
            "reactions": len(reactions),
            "notifications": len(notifications),
        }

    def _write(self, spec: P) -> Written | None:
        section = self.sections.get(spec.place) if spec.place else None
        if spec.place and (section is None or section.is_archived):
            return None
        created = self._created(spec)
        author = self._author(spec, section, created)
        if not self._may_post(author, section):
            section = None  # a demo login outside the section says it in the lobby instead
        roles = dict(self.logins)
        roles.update(op=author, runner=self._runner(section))
        if spec.by.startswith("new"):
            roles[spec.by] = author
        post = Post(
            author=author,
            section=section,
            kind=spec.kind,
            title=spec.title,
            body="\n\n".join(self._fill(p, author, roles) for p in spec.body),
            is_pinned=spec.pinned,
            created_at=created,
        )
        if spec.case is not None:
            post.case_organization = author.profile.organization
            for name in ("period", "what", "cost", "outcome", "contact"):
                value = self._fill(getattr(spec.case, name), author, roles)
                setattr(post, f"case_{name}", value)
        comments: list[Comment] = []
        taken: set[int] = set()
        for number, (c, when) in enumerate(
            zip(spec.comments, self._comment_times(spec, created), strict=True)
        ):
            writer = self._commenter(c.by, post, roles, when, taken)
            taken.add(writer.pk)
            roles[f"c{number}"] = writer
            parent = comments[c.reply_to] if c.reply_to is not None else None
            comments.append(
                Comment(
                    post=post,
                    author=writer,
                    parent=parent,
                    body=self._fill(c.body, writer, roles),
                    created_at=when,
                )
            )
        post.comment_count = len(comments)
        post.last_activity_at = comments[-1].created_at if comments else created
        return Written(spec, post, comments)

    # --- around the posts -------------------------------------------------------------

    def _readers(self, section: Section | None) -> list[User]:
        return [u for u in self.users.values() if self._may_read(u, section)]

    def _reactions(self, written: list[Written]) -> list[Reaction]:
        rows: list[Reaction] = []
        for w in written:
            post, spec = w.post, w.spec
            readers = [u for u in self._readers(post.section) if u.pk != post.author_id]
            fans = spec.fans
            if fans is None:
                fans = self.rng.randint(0, 3) + len(w.comments) // 2
                fans += 4 if spec.pinned or spec.kind == CASE_STUDY else 0
            for user in self.rng.sample(readers, min(fans, len(readers))):
                rows.append(self._reaction(user, {"post": post}, post.created_at))
            for c in w.comments:
                accepted = c is post.accepted_comment
                if not accepted and (c.parent is not None or self.rng.random() > 0.2):
                    continue
                count = self.rng.randint(2, 4) if accepted else self.rng.randint(1, 2)
                others = [u for u in readers if u.pk != c.author_id]
                for user in self.rng.sample(others, min(count, len(others))):
                    rows.append(self._reaction(user, {"comment": c}, c.created_at))
        return rows

    def _reaction(self, user: User, target: dict[str, Any], since: datetime) -> Reaction:
        when = since + (self.now - since) * self.rng.random() ** 3
        return Reaction(user=user, kind=self.rng.choice(REACTIONS), created_at=when, **target)

    def _notifications(self, written: list[Written]) -> list[Notification]:
        """What posts.actions would have told people (cityhall.notifications.events): one per
        member and post or comment, the most specific reason winning, none for one's own doing,
        none to those who cannot read the post."""
        rows: list[Notification] = []

        def tell(wanted: dict[int, Kind], actor: User, post: Post, comment: Comment | None,
                 at: datetime) -> None:  # fmt: skip
            wanted.pop(actor.pk, None)
            for pk, kind in wanted.items():
                user = self.users.get(pk)
                if user is None or not self._may_read(user, post.section):
                    continue
                read = min(at + timedelta(hours=self.rng.uniform(0.5, 30)), self.now)
                rows.append(
                    Notification(
                        recipient=user, kind=kind, actor=actor, post=post, comment=comment,
                        created_at=at, read_at=read if at < self.now - READ_AFTER else None,
                    )
                )  # fmt: skip

        for w in written:
            post = w.post
            wanted = {pk: Kind.MENTION for pk in mentioned_ids(post.body)}
            if post.section is not None:
                for pk, m in self.joined[post.section.pk].items():
                    if m.created_at <= post.created_at and (post.section_id, pk) not in self.muted:
                        wanted.setdefault(pk, Kind.SECTION_POST)
            tell(wanted, post.author, post, None, post.created_at)
            for c in w.comments:
                wanted = {pk: Kind.MENTION for pk in mentioned_ids(c.body)}
                if c.parent is not None:
                    wanted.setdefault(c.parent.author_id, Kind.COMMENT_REPLY)
                wanted.setdefault(post.author_id, Kind.POST_REPLY)
                tell(wanted, c.author, post, c, c.created_at)
            answer = post.accepted_comment
            if answer is not None and answer.author_id != post.author_id:
                later = answer.created_at + timedelta(hours=self.rng.uniform(1, 12))
                accepted_at = min(later, self.now - timedelta(minutes=5))
                tell({answer.author_id: Kind.ANSWER_ACCEPTED}, post.author, post, answer,
                     accepted_at)  # fmt: skip
        return rows


def _duty(user: User) -> str:
    duties = list(user.profile.duties.all())  # prefetched, in the curated order
    return duties[0].name if duties else "窓口業務"
