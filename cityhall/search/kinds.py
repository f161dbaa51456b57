"""The kinds this app indexes for others: posts, comments, sections and members.

Each follows its own app's reading rules: a closed section's posts and comments only for its
active members and staff (posts.models.PostQuerySet.visible_to), deleted posts and comments
never, suspended or departed members never, and each profile field only for those its owner
lets see it (members.profile_access.can_see): a member's profile is indexed twice, as members
see it and as staff (and the member themself) see it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS, Profile, Visibility
from cityhall.organizations.models import Organization
from cityhall.posts.models import Comment, Post
from cityhall.search.models import Audience, Document
from cityhall.search.registry import Entry, Hit, SearchKind, register
from cityhall.search.text import plain
from cityhall.sections.models import Section, readable_condition


def prefecture_id(organization: Organization | None) -> int | None:
    if organization is None:
        return None
    if organization.kind == Organization.Kind.PREFECTURE:
        return organization.pk
    return organization.prefecture_id


def _author_organization(user: User) -> Organization | None:
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    return profile.organization if profile is not None else None


def in_readable_sections(viewer: User) -> Q:
    """Documents in the lobby or in a section the viewer reads (Section.objects.readable_by);
    nothing for non-members. Documents hold a plain section id, hence the subquery."""
    if not viewer.is_member:
        return Q(pk__in=[])
    sections = readable_condition(viewer)
    if sections is None:
        return Q()
    return Q(section_id=None) | Q(section_id__in=Section.objects.filter(sections).values("pk"))


def _ids(documents: list[Document]) -> list[int]:
    return [d.object_id for d in documents]


# --- Posts --------------------------------------------------------------------------------


def post_entries(post: Post) -> list[Entry]:
    if post.deleted_at is not None:
        return []
    organization = post.case_organization or _author_organization(post.author)
    case = [post.case_period, post.case_what, post.case_cost, post.case_outcome]
    text = "\n".join([plain(post.body), *[c for c in case if c], post.case_contact])
    return [
        Entry(
            title=post.title,
            text=text.strip(),
            created_at=post.created_at,
            section_id=post.section_id,
            organization_id=organization.pk if organization else None,
            prefecture_id=prefecture_id(organization),
            tag=post.kind,
        )
    ]


def present_posts(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    posts = (
        Post.objects.visible_to(viewer)
        .alive()
        .filter(pk__in=_ids(documents))
        .select_related("section", "author")
        .defer("body", "case_what", "case_outcome")  # the snippet comes from the index
    )
    by_id = {p.pk: p for p in posts}
    hits = {}
    for doc in documents:
        post = by_id.get(doc.object_id)
        if post is not None:
            where = post.section.name if post.section else _("全体")
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("posts:detail", args=[post.pk]),
                title=post.title,
                kind_label=post.get_kind_display(),
                context=f"{where} · {post.author.full_name}",
                date=post.created_at,
            )
    return hits


def post_dependents(ids: list[int]) -> dict[str, list[int]]:
    return {"comment": list(Comment.objects.filter(post_id__in=ids).values_list("pk", flat=True))}


register(
    SearchKind(
        name="post",
        label=_("投稿"),
        model=Post,
        entries=post_entries,
        source=lambda: Post.objects.alive().select_related(
            "author__profile__organization", "case_organization"
        ),
        visible=in_readable_sections,
        present=present_posts,
        changed_since=lambda since: Post.objects.filter(
            Q(created_at__gte=since) | Q(edited_at__gte=since) | Q(deleted_at__gte=since)
        ),
        dependents=post_dependents,
        suggest=Q(tag=Post.Kind.QUESTION),
        sort=10,
    )
)


# --- Comments (shown within their post) ------------------------------------------------------


def comment_entries(comment: Comment) -> list[Entry]:
    if comment.deleted_at is not None or comment.post.deleted_at is not None:
        return []
    organization = _author_organization(comment.author)
    return [
        Entry(
            title="",  # the hit shows its post's title; the comment is ranked by its own words
            text=plain(comment.body),
            created_at=comment.created_at,
            parent_id=comment.post_id,
            section_id=comment.post.section_id,
            organization_id=organization.pk if organization else None,
            prefecture_id=prefecture_id(organization),
        )
    ]


def present_comments(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    comments = (
        Comment.objects.filter(pk__in=_ids(documents), deleted_at=None)
        .filter(post__in=Post.objects.visible_to(viewer).alive())
        .select_related("post__section", "author")
    )
    by_id = {c.pk: c for c in comments}
    hits = {}
    for doc in documents:
        comment = by_id.get(doc.object_id)
        if comment is not None:
            post = comment.post
            where = post.section.name if post.section else _("全体")
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("posts:detail", args=[post.pk]) + f"#comment-{comment.pk}",
                title=post.title,
                kind_label=str(_("コメント")),
                context=f"{where} · {comment.author.full_name}",
                date=comment.created_at,
            )
    return hits


register(
    SearchKind(
        name="comment",
        label=_("コメント"),
        model=Comment,
        entries=comment_entries,
        source=lambda: Comment.objects.filter(
            deleted_at=None, post__deleted_at=None
        ).select_related("post", "author__profile__organization"),
        visible=in_readable_sections,
        present=present_comments,
        changed_since=lambda since: Comment.objects.filter(
            Q(created_at__gte=since) | Q(edited_at__gte=since) | Q(deleted_at__gte=since)
        ),
        sort=20,
    )
)


# --- Sections ------------------------------------------------------------------------------


def section_entries(section: Section) -> list[Entry]:
    # Every member may know a section exists, closed ones included (sections.access).
    return [
        Entry(
            title=section.name,
            text=section.purpose,
            created_at=section.created_at,
            section_id=section.pk,
            tag=section.kind,
        )
    ]


def present_sections(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    by_id = {s.pk: s for s in Section.objects.filter(pk__in=_ids(documents))}
    hits = {}
    for doc in documents:
        section = by_id.get(doc.object_id)
        if section is not None:
            notes = [section.get_kind_display()]
            if section.is_closed:
                notes.append(str(_("非公開の課")))
            if section.is_archived:
                notes.append(str(_("アーカイブ")))
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("sections:detail", args=[section.slug]),
                title=section.name,
                kind_label=str(_("課")),
                context=" · ".join(notes),
                date=section.created_at,
            )
    return hits


register(
    SearchKind(
        name="section",
        label=_("課"),
        model=Section,
        entries=section_entries,
        source=lambda: Section.objects.all(),
        visible=lambda viewer: Q() if viewer.is_member else Q(pk__in=[]),
        present=present_sections,
        changed_since=lambda since: Section.objects.filter(updated_at__gte=since),
        sort=30,
    )
)


# --- Members -------------------------------------------------------------------------------


def _profile_fields(profile: Profile, audience: str) -> list[str]:
    shown = {
        f
        for f in OPTIONAL_PROFILE_FIELDS
        if audience == Audience.STAFF or profile.visibility_of(f) == Visibility.MEMBERS
    }
    fields = []
    if "department" in shown:
        fields.append(profile.department)
    if "title" in shown:
        fields.append(profile.title)
    if "duties" in shown:
        fields.append("、".join(d.name for d in profile.duties.all()))
    if "interests" in shown:
        fields.append(profile.interests)
    if "bio" in shown:
        fields.append(profile.bio)
    return [f for f in fields if f]


def member_entries(user: User) -> list[Entry]:
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if user.status != User.Status.MEMBER or profile is None:
        return []
    organization = profile.organization
    common = [user.full_name_kana, organization.name]
    return [
        Entry(
            title=user.full_name,
            text="\n".join([*common, *_profile_fields(profile, audience)]),
            created_at=user.approved_at or user.date_joined,
            audience=audience,
            organization_id=organization.pk,
            prefecture_id=prefecture_id(organization),
        )
        for audience in (Audience.MEMBERS, Audience.STAFF)
    ]


def member_visibility(viewer: User) -> Q:
    """Other members' profiles as members see them; one's own, and everyone's for staff, whole."""
    if not viewer.is_member:
        return Q(pk__in=[])
    if viewer.is_staff_member:
        return Q(audience=Audience.STAFF)
    return (Q(audience=Audience.MEMBERS) & ~Q(object_id=viewer.pk)) | Q(
        audience=Audience.STAFF, object_id=viewer.pk
    )


def present_members(viewer: User, documents: list[Document]) -> dict[int, Hit]:
    profiles = Profile.objects.filter(
        user_id__in=_ids(documents), user__status=User.Status.MEMBER
    ).select_related("user", "organization")
    by_id = {p.user_id: p for p in profiles}
    hits = {}
    for doc in documents:
        profile = by_id.get(doc.object_id)
        if profile is not None:
            hits[doc.pk] = Hit(
                document=doc,
                url=reverse("profiles:detail", args=[profile.user_id]),
                title=profile.user.full_name,
                kind_label=str(_("会員")),
                context=profile.organization.name,
            )
    return hits


register(
    SearchKind(
        name="member",
        label=_("会員"),
        model=User,
        entries=member_entries,
        source=lambda: (
            User.objects.filter(status=User.Status.MEMBER, profile__isnull=False)
            .select_related("profile__organization")
            .prefetch_related("profile__duties")
        ),
        visible=member_visibility,
        present=present_members,
        changed_since=lambda since: User.objects.filter(
            Q(approved_at__gte=since)
            | Q(suspended_at__gte=since)
            | Q(profile__updated_at__gte=since)
        ),
        sort=40,
    )
)
