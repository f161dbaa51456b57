import re
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from cityhall.accounts import actions
from cityhall.accounts.models import User


def _email_field(label: Any = None) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class LoginForm(forms.Form):
    email = _email_field()
    password = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailOnlyForm(forms.Form):
    email = _email_field()


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's reset page, with our mail: sent through the queue, and covering members who
    have not set a password yet (Django's own form skips them)."""

    email = _email_field()

    def save(self, *args: Any, **kwargs: Any) -> None:
        actions.do_send_password_reset(self.cleaned_data["email"])


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Setting a password without the old one: after a reset link, or a first password."""

    def __init__(
        self, user: User, *args: Any, keep_session_key: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(user, *args, **kwargs)
        self.keep_session_key = keep_session_key
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields["new_password2"].label = _("新しいパスワード（確認）")

    def save(self, commit: bool = True) -> User:
        actions.do_set_password(
            self.user,
            self.cleaned_data["new_password1"],
            actor=self.user,
            keep_session_key=self.keep_session_key,
        )
        return self.user


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("現在のパスワードが正しくありません。"))
        return password


class EmailChangeForm(forms.Form):
    new_email = _email_field(_("新しいメールアドレス"))
    password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        help_text=_("ご本人であることの確認のために入力してください。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email.lower():
            raise forms.ValidationError(_("現在と同じメールアドレスです。"))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"))
        return password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=20,
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s", "", self.cleaned_data["code"]).translate(
            str.maketrans("０１２３４５６７８９", "0123456789")
        )
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("6桁の数字を入力してください。"))
        return code


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("利用停止の理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ご本人へのお知らせメールにも記載されます。"),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("役割"), choices=User.Role.choices)


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("氏名・よみ・メールアドレスの一部"),
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *User.Status.choices]
    )
    role = forms.ChoiceField(
        label=_("役割"), required=False, choices=[("", _("すべて")), *User.Role.choices]
    )


class DeleteAccountForm(forms.Form):
    """Asking to delete one's own account; the password is asked only when one is set."""

    password = forms.CharField(
        label=_("現在のパスワード"),
        strip=False,
        help_text=_("ご本人であることの確認のために入力してください。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    delete_content = forms.BooleanField(
        label=_("自分の投稿とコメントも削除する"),
        required=False,
        help_text=_("選ばない場合、投稿とコメントは「退会した会員」の名前で残ります。"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("パスワードが正しくありません。退会の手続きは行われていません。")
            )
        return password


class StaffDeleteAccountForm(forms.Form):
    delete_content = forms.BooleanField(
        label=_("投稿とコメントも削除する（ご本人が希望した場合）"), required=False
    )
    confirm = forms.BooleanField(
        label=_("ご本人から退会の申し出があったことを確認しました"),
        error_messages={"required": _("ご本人からの申し出を確認してください。")},
    )
