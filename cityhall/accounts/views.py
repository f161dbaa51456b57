"""Signing in and out, sign-in links by mail, and the account settings hub."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts import actions, tokens
from cityhall.accounts.device_cookie import remember_device
from cityhall.accounts.forms import EmailOnlyForm, LoginForm
from cityhall.accounts.requests import SignedInRequest
from cityhall.accounts.signin import after_sign_in_url, safe_next, sign_in_with_password
from cityhall.accounts.throttle import SIGN_IN_LINK_LIMIT
from cityhall.core.client import client_ip
from cityhall.core.errors import retry_when, too_many_requests
from cityhall.core.gate import public


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(after_sign_in_url(request, request.user))
    form = LoginForm(request.POST or None)
    context = {"form": form, "next": safe_next(request, "")}
    if request.method == "POST" and form.is_valid():
        result = sign_in_with_password(
            request, form.cleaned_data["email"], form.cleaned_data["password"]
        )
        if result.user is not None:
            response = redirect(after_sign_in_url(request, result.user))
            remember_device(request, response, result.user)
            return response
        if result.retry_at is not None:
            context["throttled"] = result.error
            return too_many_requests(request, "accounts/login.html", context, result.retry_at)
        form.add_error(None, result.error)
    return render(request, "accounts/login.html", context)


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)  # flushes the session, which deletes its row
    messages.success(request, _("ログアウトしました。"))
    return redirect("home")


@public
def login_link(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link. The answer is the same whether or not the address is known."""
    form = EmailOnlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        until = SIGN_IN_LINK_LIMIT.take(email, client_ip(request))
        if until is not None:
            throttled = _(
                "ログイン用リンクのお申し込みが続いたため、少しお待ちいただいています。"
                "%(when)sにもう一度お試しください。"
            ) % {"when": retry_when(until)}
            context = {"form": form, "throttled": throttled}
            return too_many_requests(request, "accounts/login_link.html", context, until)
        actions.do_send_sign_in_link(email)
        return redirect("accounts:login_link_sent")
    return render(request, "accounts/login_link.html", {"form": form})


@public
def login_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/login_link_sent.html")


@public
def login_link_use(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST signs in: mail scanners that open links do not use them up."""
    try:
        user = tokens.check_sign_in_token(token)
    except tokens.LinkError as error:
        return render(
            request,
            "accounts/login_link_invalid.html",
            {"problem": error.problem.value},
            status=400,
        )
    if request.method != "POST":
        return render(request, "accounts/login_link_use.html", {"account": user})
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend="cityhall.accounts.backends.EmailBackend")
    response = redirect(after_sign_in_url(request, user))
    remember_device(request, response, user)
    return response


def settings_view(request: SignedInRequest) -> HttpResponse:
    return render(
        request, "accounts/settings.html", {"has_password": request.user.has_usable_password()}
    )
