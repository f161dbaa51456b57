"""Staff pages for member accounts: find, inspect, suspend, reactivate, change role, reset
a lost authenticator."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts import actions, two_factor
from cityhall.accounts.access import access_account
from cityhall.accounts.deletion_actions import pending_deletion
from cityhall.accounts.forms import (
    MemberSearchForm,
    RoleForm,
    StaffDeleteAccountForm,
    SuspendForm,
)
from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.audit.models import AuditEntry
from cityhall.core.gate import admin_only, staff_only
from cityhall.core.text import to_katakana

PAGE_SIZE = 30
NAME_FIELDS = ("family_name", "given_name", "email")
KANA_FIELDS = ("family_name_kana", "given_name_kana")  # stored in katakana


def _search(form: MemberSearchForm) -> QuerySet[User]:
    users = User.objects.select_related("profile__organization__prefecture").order_by(
        "family_name_kana", "given_name_kana", "pk"
    )
    if not form.is_valid():
        return users
    for term in form.cleaned_data["q"].replace("\u3000", " ").split():
        match = Q()
        for field in NAME_FIELDS:
            match |= Q(**{f"{field}__icontains": term})
        for field in KANA_FIELDS:
            match |= Q(**{f"{field}__contains": to_katakana(term)})
        users = users.filter(match)
    if form.cleaned_data["status"]:
        users = users.filter(status=form.cleaned_data["status"])
    if form.cleaned_data["role"]:
        users = users.filter(role=form.cleaned_data["role"])
    return users


@staff_only
def member_list(request: SignedInRequest) -> HttpResponse:
    form = MemberSearchForm(request.GET or None)
    page_obj = Paginator(_search(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "accounts/staff/member_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query_string": urlencode(query),
        },
    )


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("リセットの理由"),
        max_length=actions.RESET_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("リセットの理由を入力してください。"),
            "max_length": gettext_lazy(
                "%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。"
            ),
        },
        help_text=gettext_lazy(
            "記録に残ります（ご本人へのメールには記載しません）。例：本人から電話で依頼、"
            "機種変更で認証アプリを引き継げなかった"
        ),
    )


@staff_only
def member_detail(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    has_authenticator = two_factor.confirmed_device(account) is not None
    about = Q(subject_user=account) | Q(target_type="accounts.user", target_id=str(account.pk))
    entries = AuditEntry.objects.filter(about).select_related("actor")[:20]
    return render(
        request,
        "accounts/staff/member_detail.html",
        {
            "account": account,
            "entries": entries,
            "suspend_form": SuspendForm(),
            "role_form": RoleForm(initial={"role": account.role}),
            "can_suspend": account.is_member
            and account.pk != request.user.pk
            and account.role != User.Role.ADMIN,
            "can_change_role": request.user.is_admin
            and account.is_member
            and account.pk != request.user.pk,
            "can_delete": account.pk != request.user.pk
            and account.role != User.Role.ADMIN
            and account.status != User.Status.DELETED,
            "pending_deletion": pending_deletion(account),
            "has_authenticator": has_authenticator,
            "can_reset_two_factor": request.user.is_admin
            and has_authenticator
            and account.pk != request.user.pk
            and account.role != User.Role.ADMIN,
            "reset_two_factor_form": ResetTwoFactorForm(),
            "delete_form": StaffDeleteAccountForm(),
            "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        },
    )


@staff_only
@require_POST
def member_suspend(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("利用停止の理由を入力してください。"))
        return redirect("staff_members:detail", account.pk)
    try:
        actions.do_suspend_user(account, actor=request.user, reason=form.cleaned_data["reason"])
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s さんを利用停止にしました。") % {"name": account})
    return redirect("staff_members:detail", account.pk)


@staff_only
@require_POST
def member_reactivate(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    try:
        actions.do_reactivate_user(account, actor=request.user)
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s さんの利用を再開しました。") % {"name": account})
    return redirect("staff_members:detail", account.pk)


@admin_only
@require_POST
def member_role(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("役割を選んでください。"))
        return redirect("staff_members:detail", account.pk)
    try:
        actions.do_change_role(account, actor=request.user, role=form.cleaned_data["role"])
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s さんの役割を「%(role)s」にしました。")
            % {"name": account, "role": account.get_role_display()},
        )
    return redirect("staff_members:detail", account.pk)


@admin_only
@require_POST
def member_reset_two_factor(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    form = ResetTwoFactorForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["reason"]))
        return redirect("staff_members:detail", account.pk)
    try:
        actions.do_reset_two_factor(account, form.cleaned_data["reason"], actor=request.user)
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "%(name)s さんの二段階認証をリセットしました。すべての端末からログアウトし、"
                "次のログインで認証アプリを設定し直すようメールでお知らせしました。"
            )
            % {"name": account},
        )
    return redirect("staff_members:detail", account.pk)
