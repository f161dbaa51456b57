from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.audit.models import AuditEntry
from cityhall.core.files import serve_file
from cityhall.core.gate import admin_only, public, staff_only
from cityhall.core.jst import now_jst
from cityhall.core.models import OutboundEmail
from cityhall.core.submissions import FIELD as SUBMISSION_FIELD
from cityhall.feed.home import home_context
from cityhall.insights.views import landing_context
from cityhall.interface.actions import (
    access_data_export,
    do_request_data_export,
    latest_data_export,
)
from cityhall.members.models import MembershipApplication
from cityhall.moderation.models import Case


@public
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see what the community is; members their start page."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/landing.html", landing_context())
    if not user.is_member:
        return redirect("members:status")
    context = {"greeting": greeting(now_jst().hour), **home_context(user)}
    return render(request, "home/member_home.html", context)


def greeting(hour: int) -> str:
    if 4 <= hour < 10:
        return gettext("おはようございます")
    if 10 <= hour < 18:
        return gettext("こんにちは")
    return gettext("こんばんは")


@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the volunteers' attention today, in one screen."""
    since = timezone.now() - timedelta(days=30)
    status = MembershipApplication.Status
    applications = MembershipApplication.objects.aggregate(
        pending=Count("pk", filter=Q(status=status.PENDING)),
        needs_info=Count("pk", filter=Q(status=status.NEEDS_INFO)),
        unverified=Count("pk", filter=Q(status=status.UNVERIFIED)),
    )
    users = User.objects.aggregate(
        members=Count("pk", filter=Q(status=User.Status.MEMBER)),
        new_members=Count("pk", filter=Q(status=User.Status.MEMBER, approved_at__gte=since)),
        suspended=Count("pk", filter=Q(status=User.Status.SUSPENDED)),
    )
    failed_mail = (
        OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT)
        .filter(attempts__gt=0)
        .count()
    )
    context = {**applications, **users, "failed_mail": failed_mail}
    context["open_reports"] = Case.objects.open().count()
    return render(request, "staff/dashboard.html", context)


@admin_only
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first; admins only."""
    entries = AuditEntry.objects.select_related("actor", "subject_user")
    action = request.GET.get("action", "").strip()[:80]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query_string = f"action={action}" if action else ""
    return render(
        request,
        "staff/audit_log.html",
        {"page_obj": page, "action": action, "query_string": query_string},
    )


EXPORT_QUEUED = _("データの書き出しを受け付けました。できあがったらメールでお知らせします。")
EXPORT_RUNNING = _(
    "データの書き出しはすでに受け付けています。できあがるまでお待ちください"
    "（できあがったらメールでもお知らせします）。"
)


def _export_panel(
    request: SignedInRequest, message: str = "", level: str = "success"
) -> HttpResponse:
    context = {
        "export": latest_data_export(request.user),
        "message": message,
        "message_level": level,
    }
    response = render(request, "interface/export_panel.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def export_data(request: SignedInRequest) -> HttpResponse:
    """The member's own data export (members only, their own only): the page shows its state
    and offers the button; a POST asks for one, built by the worker and announced by mail.
    The settings page loads the same panel (`export_data_panel`) and posts to it with htmx."""
    if request.method == "POST":
        level = "success"
        try:
            _export, running = do_request_data_export(
                submission_key=request.POST.get(SUBMISSION_FIELD), actor=request.user
            )
        except ValidationError as error:
            message, level = str(error.messages[0]), "error"
        else:
            message = str(EXPORT_RUNNING if running else EXPORT_QUEUED)
        if request.headers.get("HX-Request"):
            return _export_panel(request, message, level)
        messages.add_message(
            request, messages.ERROR if level == "error" else messages.SUCCESS, message
        )
        return redirect("export_data")
    return render(request, "interface/export.html", {"export": latest_data_export(request.user)})


@require_GET
def export_data_panel(request: SignedInRequest) -> HttpResponse:
    """htmx: the export's state, loaded into the settings page and polled while it runs."""
    return _export_panel(request)


@require_GET
def export_data_download(request: SignedInRequest, export_id: int) -> HttpResponseBase:
    """The zip, for the member who asked for it only, until it expires; 404 for anyone else."""
    export = access_data_export(request.user, export_id)
    stamp = timezone.localdate(export.finished_at).isoformat() if export.finished_at else ""
    response = serve_file(
        request, export.file, filename=f"cityhall-my-data-{stamp}.zip", inline=False
    )
    response["Cache-Control"] = "private, no-store"
    return response
