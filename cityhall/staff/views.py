from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from cityhall.accounts.gate import admin_only, public, staff_only
from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.feed.home import home_context
from cityhall.insights.views import landing_context
from cityhall.lib.jst import now_jst
from cityhall.members.models import MembershipApplication
from cityhall.moderation.models import Case
from cityhall.notifications.models import OutboundEmail


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
