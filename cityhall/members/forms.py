"""Forms of the joining path: the survey, the reply to staff, staff decisions, activation."""

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.submissions import SubmissionKeyField
from cityhall.core.text import is_kana, to_katakana
from cityhall.members.models import Duty, MembershipApplication
from cityhall.organizations.forms import OrganizationChoiceField
from cityhall.organizations.models import Organization

Status = MembershipApplication.Status
NAME_MAX = 30
KANA_MAX = 40


def _text(
    label: Any,
    max_length: int,
    *,
    required: bool = True,
    textarea: bool = False,
    help_text: Any = "",
) -> forms.CharField:
    """A trimmed text field with Japanese messages for "missing" and "too long"."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
        error_messages={
            "required": format_lazy(_("{label}を入力してください。"), label=label),
            "max_length": _(
                "%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。"
            ),
        },
    )


class DutyChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Duty.objects.active(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("担当業務"),
            help_text=_("いま担当している業務を選んでください（複数可）。"),
            **kwargs,
        )


class DutyGroupsMixin:
    def duty_groups(self) -> list[dict[str, Any]]:
        """The duty checkboxes grouped by category (one query): name, boxes, and the labels of
        the ticked ones (shown beside a collapsed group, so a choice never goes out of sight
        and a collapsed group stays one tab stop)."""
        groups: dict[str, dict[str, Any]] = {}
        for box in self["duties"]:  # type: ignore[index]
            category = box.data["value"].instance.category or str(_("その他"))
            group = groups.setdefault(category, {"name": category, "boxes": [], "chosen": []})
            group["boxes"].append(box)
            if box.data["selected"]:
                group["chosen"].append(box.choice_label)
        return list(groups.values())


class ApplicationForm(DutyGroupsMixin, forms.Form):
    """The joining survey. The submission key makes a second submit of the same page harmless
    (the application keeps it: the applicant has no account yet to keep a Submission for)."""

    submission_key = SubmissionKeyField()
    family_name = _text(_("姓"), NAME_MAX)
    given_name = _text(_("名"), NAME_MAX)
    family_name_kana = _text(_("姓（フリガナ）"), KANA_MAX)
    given_name_kana = _text(_("名（フリガナ）"), KANA_MAX)
    organization = OrganizationChoiceField()
    department = _text(_("所属部署"), 100, help_text=_("例：市民課、企画政策部 企画課"))
    title = _text(_("役職"), 60, required=False, help_text=_("例：主事、係長"))
    duties = DutyChoiceField()
    email = forms.EmailField(
        label=_("職場のメールアドレス"),
        max_length=254,
        help_text=_("確認のリンクをお送りします。庁内のアドレスがあれば審査がスムーズです。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません。"),
        },
    )
    referral = forms.ChoiceField(
        label=_("オンライン市役所を知ったきっかけ"),
        choices=MembershipApplication.Referral.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("きっかけを選んでください。")},
    )
    referral_detail = _text(
        _("きっかけの詳細"),
        200,
        required=False,
        help_text=_("紹介者のお名前、記事やイベントの名前など"),
    )
    interests = _text(
        _("興味のある課・活動"),
        1000,
        required=False,
        textarea=True,
        help_text=_("参加してみたい課や、話してみたいテーマがあれば教えてください。"),
    )
    introduction = _text(
        _("自己紹介"),
        2000,
        textarea=True,
        help_text=_("担当業務や、コミュニティでやってみたいことなど。審査の参考にします。"),
    )
    consent = forms.BooleanField(
        label=_("コミュニティのルールとプライバシーポリシーに同意します"),
        error_messages={
            "required": _("参加にはコミュニティのルールとプライバシーポリシーへの同意が必要です。")
        },
    )

    # What the browser may fill in. Kana has no autocomplete token, and browsers offer the
    # kanji name there, so it is off.
    AUTOCOMPLETE = {
        "family_name": "family-name",
        "given_name": "given-name",
        "family_name_kana": "off",
        "given_name_kana": "off",
        "title": "organization-title",
        "email": "email",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, token in self.AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    def _clean_kana(self, name: str) -> str:
        value = self.cleaned_data[name]
        if not is_kana(value):
            raise forms.ValidationError(
                _("フリガナはカタカナまたはひらがなで入力してください。"), code="kana"
            )
        return to_katakana(value).replace("\u3000", " ").strip()

    def clean_family_name_kana(self) -> str:
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._clean_kana("given_name_kana")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ReplyForm(DutyGroupsMixin, forms.Form):
    """The applicant's answer to a staff question: a reply, and any answers they want to fix."""

    applicant_reply = _text(_("運営事務局への回答"), 2000, textarea=True)
    organization = ApplicationForm.base_fields["organization"]
    department = ApplicationForm.base_fields["department"]
    title = ApplicationForm.base_fields["title"]
    duties = DutyChoiceField()
    introduction = ApplicationForm.base_fields["introduction"]

    @classmethod
    def for_application(cls, application: MembershipApplication, data: Any = None) -> "ReplyForm":
        initial = {
            "organization": application.organization,
            "department": application.department,
            "title": application.title,
            "introduction": application.introduction,
            "duties": [d.pk for d in application.duties.all()],
        }
        return cls(data=data, initial=initial)


class CorrectionForm(ApplicationForm):
    """The applicant's own answers, to correct before staff decide: the survey without the
    address (changing it is a separate, confirmed step), the consent or the submission key."""

    NOT_CORRECTABLE = ("submission_key", "email", "consent")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.NOT_CORRECTABLE:
            del self.fields[name]

    @classmethod
    def for_application(
        cls, application: MembershipApplication, data: Any = None
    ) -> "CorrectionForm":
        initial: dict[str, Any] = {
            name: getattr(application, name)
            for name in (
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "organization",
                "department",
                "title",
                "referral",
                "referral_detail",
                "interests",
                "introduction",
            )
        }
        initial["duties"] = [duty.pk for duty in application.duties.all()]
        return cls(data=data, initial=initial)


class RejectForm(forms.Form):
    reason = _text(
        _("不承認の理由"),
        2000,
        textarea=True,
        help_text=_("申請者にメールでお知らせします。丁寧に、具体的に書いてください。"),
    )


class RequestInformationForm(forms.Form):
    message = _text(
        _("申請者に確認したいこと"),
        2000,
        textarea=True,
        help_text=_("申請者にメールでお知らせし、申請状況のページで回答してもらいます。"),
    )


class ReviewFilterForm(forms.Form):
    """Filters of the review queue; every field optional, bad values ignored."""

    status = forms.ChoiceField(choices=Status.choices, required=False)
    government = forms.ChoiceField(
        label=_("公的機関のドメイン"),
        required=False,
        choices=[("", _("すべて")), ("yes", _("あり")), ("no", _("なし"))],
    )
    duplicate = forms.ChoiceField(
        label=_("重複の可能性"),
        required=False,
        choices=[("", _("すべて")), ("yes", _("あり")), ("no", _("なし"))],
        help_text=_("審査が終わっていない申請だけを対象に調べます。"),
    )
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        required=False,
        empty_label=_("すべて"),
        queryset=Organization.objects.filter(kind=Organization.Kind.PREFECTURE),
    )
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("氏名・フリガナ・メールアドレス・団体名"),
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[("", _("標準")), ("old", _("古い順")), ("new", _("新しい順"))],
    )


class ActivationForm(SetPasswordForm):
    """Choose the first password; Django's validators apply, with their Japanese messages."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("パスワード")
        self.fields["new_password2"].label = _("パスワード（確認）")
        self.fields["new_password1"].help_text = _(
            "10文字以上で、氏名やメールアドレスと似ていないものにしてください。"
        )
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("確認用のパスワードが一致しません。"),
        }
