"""Deleting one's account from Settings, and staff doing it on a member's request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts import deletion_actions
from cityhall.accounts.access import access_account
from cityhall.accounts.actions import AccountError
from cityhall.accounts.forms import DeleteAccountForm, StaffDeleteAccountForm
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import public, staff_only


def delete_account(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(user, request.POST or None)
    context = {
        "form": form,
        "has_password": user.has_usable_password(),
        "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        "pending": deletion_actions.pending_deletion(user),
        # An admin gets the reason instead of a form that could only be refused.
        "refusal": deletion_actions.admin_refusal(user, actor=user),
    }
    if request.method == "POST" and form.is_valid():
        delete_content = form.cleaned_data["delete_content"]
        try:
            if context["has_password"]:
                deletion_actions.do_request_account_deletion(
                    user, delete_content=delete_content, actor=user
                )
            else:
                deletion_actions.do_send_deletion_link(
                    user, delete_content=delete_content, actor=user
                )
        except AccountError as error:
            form.add_error(None, str(error))
            return render(request, "accounts/delete.html", context)
        if not context["has_password"]:
            messages.success(
                request,
                _(
                    "確認用のリンクを %(email)s にお送りしました。"
                    "リンクを開くと退会の手続きが始まります。"
                )
                % {"email": user.email},
            )
            return redirect("accounts:settings")
        logout(request)
        return redirect("accounts:delete_requested")
    return render(request, "accounts/delete.html", context)


def delete_confirm(request: SignedInRequest, token: str) -> HttpResponse:
    """The mailed link of a member without a password. GET shows a button, POST confirms."""
    delete_content = deletion_actions.check_deletion_token(token, request.user)
    if delete_content is None:
        return render(request, "accounts/delete_link_invalid.html", status=400)
    if request.method != "POST":
        return render(
            request,
            "accounts/delete_confirm.html",
            {
                "delete_content": delete_content,
                "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
            },
        )
    try:
        deletion_actions.do_request_account_deletion(
            request.user, delete_content=delete_content, actor=request.user
        )
    except AccountError as error:
        messages.error(request, str(error))
        return redirect("accounts:settings")
    logout(request)
    return redirect("accounts:delete_requested")


@public
def delete_requested(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/delete_requested.html",
        {"grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS},
    )


@staff_only
@require_POST
def member_delete(request: SignedInRequest, user_id: int) -> HttpResponse:
    account = access_account(request.user, user_id)
    form = StaffDeleteAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ご本人からの申し出を確認してください。"))
        return redirect("staff_members:detail", account.pk)
    try:
        deletion = deletion_actions.do_request_account_deletion(
            account, delete_content=form.cleaned_data["delete_content"], actor=request.user
        )
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s さんの退会を受け付けました。%(date)s に削除されます。")
            % {"name": account, "date": f"{deletion.due_at:%Y-%m-%d}"},
        )
    return redirect("staff_members:detail", account.pk)
