"""Sections for staff: health table, create, edit, archive, assign roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import staff_only
from cityhall.core.limits import body_limit, image_limit
from cityhall.sections.access import access_section
from cityhall.sections.actions import (
    do_archive_section,
    do_create_section,
    do_set_section_role,
    do_update_section,
)
from cityhall.sections.forms import RoleForm, SectionForm
from cityhall.sections.health import DORMANT_AFTER, section_health
from cityhall.sections.models import Section


@staff_only
def health(request: SignedInRequest) -> HttpResponse:
    rows = section_health()
    return render(
        request,
        "sections/staff/health.html",
        {
            "rows": rows,
            "dormant_count": sum(r.dormant for r in rows),
            "dormant_days": DORMANT_AFTER.days,
            "archived": list(Section.objects.exclude(archived_at=None).order_by("-archived_at")),
        },
    )


@staff_only
@body_limit(image_limit)
def create(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        form = SectionForm(request.POST, request.FILES)
        if form.is_valid():
            section = do_create_section(
                data=form.section_data(),
                cover=form.cleaned_data["cover_upload"],
                actor=request.user,
            )
            messages.success(request, _("「%(name)s」を作成しました。") % {"name": section.name})
            return redirect("staff_sections:roles", slug=section.slug)
    else:
        form = SectionForm()
    return render(request, "sections/staff/form.html", {"form": form, "section": None})


@staff_only
@body_limit(image_limit)
def edit(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    if request.method == "POST":
        form = SectionForm(request.POST, request.FILES, instance=Section.objects.get(pk=section.pk))
        if form.is_valid():
            do_update_section(
                section, data=form.section_data(), cover=form.cover_change(), actor=request.user
            )
            messages.success(request, _("「%(name)s」を保存しました。") % {"name": section.name})
            return redirect("sections:detail", slug=section.slug)
    else:
        form = SectionForm(instance=section)
    return render(request, "sections/staff/form.html", {"form": form, "section": section})


@staff_only
@require_POST
def archive(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    do_archive_section(section, actor=request.user)
    messages.success(request, _("「%(name)s」をアーカイブしました。") % {"name": section.name})
    return redirect("staff_sections:health")


@staff_only
def roles(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["email"]
        try:
            do_set_section_role(section, person, role=form.cleaned_data["role"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)sさんの役割を設定しました。") % {"name": person.full_name}
            )
            return redirect("staff_sections:roles", slug=section.slug)
    officers = (
        section.memberships.active()
        .officers()
        .select_related("user__profile__organization")
        .order_by("-role", "created_at")
    )
    return render(
        request,
        "sections/staff/roles.html",
        {"section": section, "form": form, "officers": list(officers)},
    )
