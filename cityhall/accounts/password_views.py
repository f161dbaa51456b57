"""Password reset (Django's views, our forms and mail) and password change."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from cityhall.accounts.forms import PasswordChangeForm, PasswordResetRequestForm, SetPasswordForm
from cityhall.accounts.requests import SignedInRequest
from cityhall.accounts.throttle import PASSWORD_RESET_LIMIT
from cityhall.core.client import client_ip
from cityhall.core.errors import retry_when, too_many_requests
from cityhall.core.gate import public


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, limited per address and client (answered with 429)."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        until = PASSWORD_RESET_LIMIT.take(form.cleaned_data["email"], client_ip(self.request))
        if until is None:
            return super().form_valid(form)
        throttled = _(
            "再設定のお申し込みが続いたため、少しお待ちいただいています。"
            "%(when)sにもう一度お試しください。"
        ) % {"when": retry_when(until)}
        context = self.get_context_data(form=form, throttled=throttled)
        return too_many_requests(self.request, self.template_name, context, until)


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
    )
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=SetPasswordForm,
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
    )
)


@sensitive_post_parameters()
def password_change(request: SignedInRequest) -> HttpResponse:
    """Change the password, or set a first one when the account has none yet."""
    user = request.user
    form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    form = form_class(user, request.POST or None, keep_session_key=request.session.session_key)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        messages.success(
            request, _("パスワードを変更しました。ほかの端末からはログアウトしました。")
        )
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "first_time": form_class is SetPasswordForm},
    )
