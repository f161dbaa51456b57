"""Staff's review of applications: the queue, one application, and the three decisions."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import staff_only
from cityhall.core.text import compact, normalize, to_katakana
from cityhall.members import evidence, queue
from cityhall.members.access import access_application, application_history, other_applications_of
from cityhall.members.actions import (
    ActionRefused,
    do_approve_application,
    do_reject_application,
    do_request_more_information,
)
from cityhall.members.forms import RejectForm, RequestInformationForm, ReviewFilterForm
from cityhall.members.models import MembershipApplication

Status = MembershipApplication.Status
PAGE_SIZE = 30
OPEN = {Status.UNVERIFIED, Status.PENDING, Status.NEEDS_INFO}  # not decided yet


def _search(applications: QuerySet, query: str) -> QuerySet:
    """Every term must match a name, kana, the email or the organisation."""
    for term in query.split():
        kana = to_katakana(term)
        applications = applications.filter(
            Q(family_name__icontains=term)
            | Q(given_name__icontains=term)
            | Q(name_key__contains=compact(term))
            | Q(family_name_kana__icontains=kana)
            | Q(given_name_kana__icontains=kana)
            | Q(email__icontains=term)
            | Q(organization__search_text__contains=normalize(term))
        )
    return applications


def _filtered(data: dict[str, Any]) -> QuerySet:
    """The applications matching every filter but the status (the tabs count per status)."""
    applications: QuerySet = MembershipApplication.objects.order_by()
    if data.get("government") == "yes":
        applications = applications.filter(government_domain=True)
    elif data.get("government") == "no":
        applications = applications.filter(government_domain=False)
    if data.get("duplicate") in {"yes", "no"}:
        # Duplicates matter before a decision; checking every decided application is costly.
        applications = evidence.with_duplicate_flags(applications.filter(status__in=OPEN))
        if data["duplicate"] == "yes":
            applications = applications.filter(evidence.POSSIBLE_DUPLICATE)
        else:
            applications = applications.exclude(evidence.POSSIBLE_DUPLICATE)
    if prefecture := data.get("prefecture"):
        applications = applications.filter(
            Q(organization__prefecture=prefecture) | Q(organization=prefecture)
        )
    if query := data.get("q"):
        applications = _search(applications, query)
    return applications


def _ordering(status: str, sort: str) -> list[str]:
    if sort == "old" or (not sort and status in OPEN):
        return ["submitted_at", "pk"]
    if sort == "new" or status not in {Status.APPROVED, Status.REJECTED}:
        return ["-submitted_at", "-pk"]
    return ["-decided_at", "-pk"]


@staff_only
def application_list(request: SignedInRequest) -> HttpResponse:
    filters = ReviewFilterForm(request.GET)
    filters.is_valid()  # an invalid value is simply not applied
    data = filters.cleaned_data
    status = data.get("status") or Status.PENDING
    applications = _filtered(data)
    counts = dict(applications.values_list("status").annotate(n=Count("pk")))
    # Paginate the bare rows first: the duplicate flags are computed for one page only.
    ordering = _ordering(status, data.get("sort") or "")
    page = Paginator(
        applications.filter(status=status).order_by(*ordering).values_list("pk", flat=True),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    page.object_list = list(
        evidence.with_duplicate_flags(MembershipApplication.objects.filter(pk__in=list(page)))
        .select_related("organization__prefecture")
        .order_by(*ordering)
    )
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    params["status"] = status
    tabs = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "current": value == status,
            "query": urlencode({**params, "status": value}),
        }
        for value, label in Status.choices
    ]
    return render(
        request,
        "members/staff/list.html",
        {
            "filters": filters,
            "status": status,
            "tabs": tabs,
            "page_obj": page,
            "rows": [(application, evidence.flags_for(application)) for application in page],
            "query_string": urlencode(params),
            "filters_active": any(k != "status" for k in params),
        },
    )


def _detail_page(
    request: SignedInRequest,
    application: MembershipApplication,
    *,
    reject_form: RejectForm | None = None,
    info_form: RequestInformationForm | None = None,
) -> HttpResponse:
    duplicates = evidence.find_duplicates(application)
    flags = evidence.flags_for(application)
    return render(
        request,
        "members/staff/detail.html",
        {
            "application": application,
            "duties": list(application.duties.all()),
            "flags": flags,
            "domain": evidence.mail_domain(application.email),
            "duplicates": duplicates,
            "history": application_history(application),
            "earlier": other_applications_of(application),
            "decidable": application.status in (Status.PENDING, Status.NEEDS_INFO),
            "reject_form": reject_form or RejectForm(),
            "info_form": info_form or RequestInformationForm(),
        },
    )


@staff_only
def application_queue(request: SignedInRequest) -> HttpResponse:
    """The volunteers' to-do list: decide the oldest verified first, then see who still owes
    an answer. Compact rows for a phone; approving and asking happen from the row."""
    rows = queue.queue()
    return render(
        request,
        "members/staff/queue.html",
        {
            "rows": rows,
            "pending": sum(1 for row in rows if row["application"].status == Status.PENDING),
            "info_form": RequestInformationForm(),
        },
    )


def _back(request: SignedInRequest) -> HttpResponse:
    """Back to the queue when the decision was made from it, else to the list."""
    if request.POST.get("from") == "queue":
        return redirect("staff_applications:queue")
    return redirect("staff_applications:list")


@staff_only
def application_detail(request: SignedInRequest, application_id: int) -> HttpResponse:
    return _detail_page(request, access_application(request.user, application_id))


def _refused(
    request: SignedInRequest, application: MembershipApplication, refused: ActionRefused
) -> HttpResponse:
    messages.error(request, refused.message)
    return redirect("staff_applications:detail", application.pk)


@staff_only
@require_POST
def approve(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    try:
        do_approve_application(application, actor=request.user)
    except ActionRefused as refused:
        return _refused(request, application, refused)
    messages.success(
        request,
        _("%(name)s さんの申請を承認しました。承認のメールを送ります。")
        % {"name": application.full_name},
    )
    return _back(request)


@staff_only
@require_POST
def reject(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, application, reject_form=form)
    try:
        do_reject_application(application, form.cleaned_data["reason"], actor=request.user)
    except ActionRefused as refused:
        return _refused(request, application, refused)
    messages.success(
        request,
        _("%(name)s さんの申請を不承認にしました。理由をメールでお知らせします。")
        % {"name": application.full_name},
    )
    return redirect("staff_applications:list")


@staff_only
@require_POST
def request_information(request: SignedInRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    form = RequestInformationForm(request.POST)
    if not form.is_valid():
        if request.POST.get("from") == "queue":
            messages.error(request, _("申請者に確認したいことを入力してください。"))
            return redirect("staff_applications:queue")
        return _detail_page(request, application, info_form=form)
    try:
        do_request_more_information(application, form.cleaned_data["message"], actor=request.user)
    except ActionRefused as refused:
        return _refused(request, application, refused)
    messages.success(
        request, _("%(name)s さんに追加情報を依頼しました。") % {"name": application.full_name}
    )
    return _back(request)
