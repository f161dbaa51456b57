"""The staff moderation queue: reported content grouped by target, and the decisions."""

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import staff_only
from cityhall.core.markdown import render_markdown
from cityhall.moderation.access import access_case
from cityhall.moderation.actions import ModerationError, do_decide, snapshot_of
from cityhall.moderation.forms import DecisionForm
from cityhall.moderation.models import Case, Reason, Report

PER_PAGE = 20


def _attach_reasons(cases: list[Case]) -> None:
    """Number of reports and of each reason per case, in one query for the whole page."""
    rows = (
        Report.objects.filter(case__in=cases)
        .values("case_id", "reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[int, Counter[str]] = {}
    for row in rows:
        table.setdefault(row["case_id"], Counter())[row["reason"]] = row["n"]
    labels = dict(Reason.choices)
    for case in cases:
        counts = table.get(case.pk, Counter())
        case.report_total = sum(counts.values())  # type: ignore[attr-defined]
        case.reason_counts = [  # type: ignore[attr-defined]
            (labels[reason], n) for reason, n in counts.most_common() if reason in labels
        ]


@staff_only
def queue(request: SignedInRequest) -> HttpResponse:
    tab = "resolved" if request.GET.get("tab") == "resolved" else "open"
    cases = Case.objects.for_queue()
    if tab == "open":
        cases = cases.open().order_by("opened_at", "id")
    else:
        cases = cases.filter(status=Case.Status.RESOLVED).order_by("-decided_at", "-id")
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    _attach_reasons(list(page.object_list))
    return render(
        request,
        "moderation/queue.html",
        {
            "tab": tab,
            "page_obj": page,
            "query_string": f"tab={tab}",
            "open_count": page.paginator.count if tab == "open" else Case.objects.open().count(),
        },
    )


def _case_page(request: SignedInRequest, case: Case, form: DecisionForm) -> HttpResponse:
    target = case.target
    reports = list(case.reports.select_related("reporter__profile__organization").order_by("id"))
    history = list(
        Case.objects.filter(author=case.author, status=Case.Status.RESOLVED)
        .exclude(pk=case.pk)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")[:10]
    )
    _attach_reasons([case])
    context: dict[str, Any] = {
        "case": case,
        "target": target,
        "thread": case.thread,
        "is_post": case.post_id is not None,
        "content_html": render_markdown(target.body),
        "edited_since": case.snapshot and case.snapshot != snapshot_of(target),
        "reports": reports,
        "history": history,
        "form": form,
    }
    return render(request, "moderation/case.html", context)


@staff_only
def case_detail(request: SignedInRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    return _case_page(request, case, DecisionForm())


@staff_only
@require_POST
def decide(request: SignedInRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form)
    try:
        do_decide(
            case,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            message=form.cleaned_data["message"],
            also_hide=form.cleaned_data["also_hide"],
            actor=request.user,
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ModerationError as error:
        if not Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).exists():
            # Someone decided first: show what they decided instead of the form.
            messages.error(request, str(error))
            return redirect("staff_moderation:case", case_id=case.pk)
        form.add_error(None, str(error))
        # The refused decision was rolled back; show the case as it is stored.
        return _case_page(request, access_case(request.user, case.pk), form)
    messages.success(
        request, _("対応を記録しました。この内容への報告はすべて対応済みになりました。")
    )
    return redirect("staff_moderation:queue")
