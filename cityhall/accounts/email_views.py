"""Changing the email address, confirmed by a link sent to the new address."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityhall.accounts import actions, tokens
from cityhall.accounts.forms import EmailChangeForm
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import public


def email_change(request: SignedInRequest) -> HttpResponse:
    form = EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        actions.do_request_email_change(request.user, new_email, actor=request.user)
        request.session["accounts_email_change_to"] = new_email
        return redirect("accounts:email_change_sent")
    return render(
        request,
        "accounts/email_change.html",
        {"form": form, "has_password": request.user.has_usable_password()},
    )


def email_change_sent(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "accounts/email_change_sent.html",
        {
            "new_email": request.session.get("accounts_email_change_to", ""),
            "hours": settings.EMAIL_CHANGE_MAX_AGE // 3600,
        },
    )


@public
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will change, POST changes it (mail scanners only GET links).

    Public: the link itself proves the new address, and the request proved the password.
    """
    try:
        user, new_email = tokens.check_email_change_token(token)
    except tokens.LinkError as error:
        return render(
            request,
            "accounts/email_change_invalid.html",
            {"problem": error.problem.value},
            status=400,
        )
    if request.method == "POST":
        try:
            actions.do_confirm_email_change(user, new_email)
        except actions.AccountError as error:
            return render(
                request,
                "accounts/email_change_invalid.html",
                {"problem": "taken", "message": str(error)},
                status=409,
            )
        messages.success(request, _("メールアドレスを変更しました。"))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("accounts:settings")
        return redirect("accounts:login")
    return render(
        request, "accounts/email_change_confirm.html", {"account": user, "new_email": new_email}
    )
