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
from cityhall.accounts.gate import SignedInRequest, public

password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=PasswordResetRequestForm,
        template_name="accounts/password_reset.html",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
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
