"""Sections for members: browse, read one, join, leave, and (leaders) run it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.files import serve_file
from cityhall.sections.access import (
    access_section,
    can_read_posts,
    can_run,
    can_set_roles,
)
from cityhall.sections.actions import (
    do_decide_membership,
    do_join_section,
    do_leave_section,
    do_set_section_role,
)
from cityhall.sections.forms import MemberRoleForm
from cityhall.sections.models import Section, SectionMembership, SectionQuerySet, membership_of
from cityhall.sections.panels import panels_context

Role = SectionMembership.Role
MEMBERS_PER_PAGE = 48


def _with_counts(sections: SectionQuerySet, user: User) -> QuerySet[Section]:
    """Active member counts and the viewer's own status, in the same query."""
    mine = SectionMembership.objects.of(user).filter(section=OuterRef("pk"))
    return sections.with_member_counts().annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_role=Subquery(mine.values("role")[:1]),
    )


def section_list(request: SignedInRequest) -> HttpResponse:
    sections = list(_with_counts(Section.objects.active(), request.user))
    groups = [
        (label, [s for s in sections if s.kind == kind]) for kind, label in Section.Kind.choices
    ]
    return render(request, "sections/list.html", {"groups": groups, "total": len(sections)})


def my_sections(request: SignedInRequest) -> HttpResponse:
    # By subquery, not by joining memberships: a join would count only the viewer's own row.
    mine = SectionMembership.objects.of(request.user).values("section")
    sections = _with_counts(Section.objects.filter(pk__in=mine), request.user).order_by(
        "archived_at", "kind", "name"
    )
    return render(request, "sections/mine.html", {"sections": list(sections)})


def detail(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    mine = membership_of(request.user, section)
    memberships = section.memberships.active().select_related("user__profile__organization")
    officers = list(memberships.officers().order_by("created_at"))
    members = memberships.filter(role=Role.MEMBER).order_by("-created_at", "-pk")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    runs = can_run(request.user, mine)
    pending = (
        list(
            section.memberships.pending()
            .select_related("user__profile__organization")
            .order_by("created_at")
        )
        if runs and not section.is_archived
        else []
    )
    reads_posts = can_read_posts(request.user, section, mine)
    # Who belongs to a closed section is for its members (docs/decisions.md), the readers of
    # its posts; its leaders and deputies stay listed so that others know whom to ask.
    shows_members = reads_posts
    return render(
        request,
        "sections/detail.html",
        {
            "section": section,
            "mine": mine,
            "leaders": [m for m in officers if m.role == Role.LEADER],
            "deputies": [m for m in officers if m.role == Role.DEPUTY],
            "page_obj": page,
            "member_count": page.paginator.count + len(officers),
            "pending": pending,
            "runs": runs,
            "sets_roles": can_set_roles(request.user, mine) and not section.is_archived,
            "role_choices": Role.choices,
            # Posts of a closed section are for its members only.
            "reads_posts": reads_posts,
            "shows_members": shows_members,
            "query_string": "",
            # Its latest posts and study sessions, from the posts and events apps.
            **panels_context(request.user, section, reads_posts),
        },
    )


def cover(request: SignedInRequest, slug: str) -> HttpResponseBase:
    section = access_section(request.user, slug)
    if not section.cover:
        raise Http404
    return serve_file(request, section.cover, filename=f"{section.slug}.jpg")


def _refused(request: SignedInRequest, error: ValidationError, slug: str) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("sections:detail", slug=slug)


@require_POST
def join(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    try:
        membership = do_join_section(section, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, slug)
    if membership.is_active:
        messages.success(request, _("「%(name)s」に参加しました。") % {"name": section.name})
    else:
        messages.success(
            request,
            _("「%(name)s」に参加を申請しました。課長が承認すると参加できます。")
            % {"name": section.name},
        )
    return redirect("sections:detail", slug=slug)


@require_POST
def leave(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    try:
        do_leave_section(section, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, slug)
    messages.success(request, _("「%(name)s」から退出しました。") % {"name": section.name})
    return redirect("sections:detail", slug=slug)


@require_POST
def decide(request: SignedInRequest, slug: str, membership_id: int) -> HttpResponse:
    section = access_section(request.user, slug)
    if not can_run(request.user, membership_of(request.user, section)):
        raise Http404
    membership = (
        section.memberships.pending()
        .filter(pk=membership_id)
        .select_related("user", "section")
        .first()
    )
    if membership is None:
        messages.error(request, _("この参加申請はすでに処理されています。"))
        return redirect("sections:detail", slug=slug)
    approve = request.POST.get("decision") == "approve"
    name = membership.user.full_name
    try:
        do_decide_membership(membership, approve=approve, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, slug)
    if approve:
        messages.success(request, _("%(name)sさんの参加を承認しました。") % {"name": name})
    else:
        messages.success(request, _("%(name)sさんの参加申請をお断りしました。") % {"name": name})
    return redirect("sections:detail", slug=slug)


@require_POST
def set_role(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    if not can_set_roles(request.user, membership_of(request.user, section)):
        raise Http404
    form = MemberRoleForm(request.POST)
    target = None
    if form.is_valid():
        target = (
            section.memberships.active()
            .filter(user_id=form.cleaned_data["user_id"])
            .select_related("user")
            .first()
        )
    if target is None:
        messages.error(request, _("役割を変更できませんでした。もう一度お試しください。"))
        return redirect("sections:detail", slug=slug)
    try:
        do_set_section_role(
            section, target.user, role=form.cleaned_data["role"], actor=request.user
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _refused(request, error, slug)
    messages.success(
        request, _("%(name)sさんの役割を変更しました。") % {"name": target.user.full_name}
    )
    return redirect("sections:detail", slug=slug)
