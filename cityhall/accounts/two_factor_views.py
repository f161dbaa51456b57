"""Two-factor authentication: set up an authenticator app, enter a code, turn it off."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from cityhall.accounts import actions, two_factor
from cityhall.accounts.forms import CodeForm
from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.accounts.signin import safe_next
from cityhall.core.gate import second_factor_required, signed_in
from cityhall.core.jst import to_jst

# The secret being set up lives in the session until a code confirms it.
SETUP_KEY = "accounts_totp_setup_key"


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def _check_throttled(user: User, check: Callable[[], bool]) -> str:
    """Run the check unless too many wrong codes were entered; the error message, or ""."""
    counter = two_factor.code_counter(user)
    until = counter.blocked_until()
    if until is None:
        if check():
            counter.reset()
            return ""
        counter.fail()
        until = counter.blocked_until()
        if until is None:
            return _(
                "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。"
            )
    if counter.first_block():
        actions.do_record_two_factor_throttled(user)
    return _(
        "確認コードの入力に続けて失敗したため、安全のため一時的に受け付けを止めています。"
        "%(when)s 以降にもう一度お試しください。"
    ) % {"when": date_format(to_jst(until), _("n月j日 H:i"))}


@signed_in
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    """Asked after signing in (the gate sends staff here until they pass)."""
    user = request.user
    next_url = safe_next(request)
    if not user.is_member:
        return redirect("members:status")
    device = two_factor.confirmed_device(user)
    if device is None:
        if second_factor_required(user):
            # A member gets here only after staff reset a lost authenticator.
            if user.is_staff_member:
                messages.info(request, _("運営事務局の方は、二段階認証の設定が必要です。"))
            else:
                messages.info(
                    request,
                    _("二段階認証がリセットされました。新しい認証アプリを設定してください。"),
                )
            return redirect(_with_next("accounts:two_factor_setup", next_url))
        return redirect(next_url)
    if two_factor.session_verified(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        error = _check_throttled(user, lambda: two_factor.check_code(device, code))
        if not error:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", error)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@signed_in
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not user.is_member:
        return redirect("members:status")
    next_url = safe_next(request, reverse("accounts:settings"))
    device = two_factor.confirmed_device(user)
    if device is not None and not two_factor.session_verified(user):
        # Replacing a device needs a code from the current one, or a stolen password would do.
        return redirect(_with_next("accounts:two_factor", request.get_full_path()))
    replacing = device is None or request.GET.get("replace") == "1" or request.method == "POST"
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = two_factor.new_key()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        steps: list[int] = []  # the time step of the accepted code, kept so it cannot be reused

        def check() -> bool:
            step = two_factor.check_new_code(key, code)
            steps.extend([] if step is None else [step])
            return step is not None

        error = _check_throttled(user, check)
        if not error:
            device = actions.do_enable_two_factor(user, actor=user, key=key, last_t=steps[0])
            del request.session[SETUP_KEY]
            otp_login(request, device)
            messages.success(request, _("二段階認証を有効にしました。"))
            return redirect(next_url)
        form.add_error("code", error)
    url = two_factor.config_url(user, key)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "enabled": device is not None,
            "replacing": replacing,
            "qr_svg": two_factor.qr_svg(url, _("認証アプリで読み取るQRコード")),
            "secret": two_factor.secret_text(key),
            "can_disable": not user.is_staff_member,
            "disable_form": CodeForm(prefix="disable"),
        },
    )


@require_POST
def two_factor_disable(request: SignedInRequest) -> HttpResponse:
    """Members may turn it off with a current code; staff must keep it."""
    user = request.user
    device = two_factor.confirmed_device(user)
    form = CodeForm(request.POST, prefix="disable")
    if user.is_staff_member:
        messages.error(request, _("運営事務局の方は二段階認証を無効にできません。"))
    elif device is None:
        messages.info(request, _("二段階認証は有効になっていません。"))
    elif not form.is_valid():
        messages.error(request, _("6桁の確認コードを入力してください。"))
    else:
        code = form.cleaned_data["code"]
        error = _check_throttled(user, lambda: two_factor.check_code(device, code))
        if error:
            messages.error(request, error)
        else:
            actions.do_disable_two_factor(user, actor=user)
            messages.success(request, _("二段階認証を無効にしました。"))
            return redirect("accounts:settings")
    return redirect("accounts:two_factor_setup")
