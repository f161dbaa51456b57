from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.moderation.models import Decision, Reason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("報告の理由"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("報告の理由を選んでください。")},
    )
    note = forms.CharField(
        label=_("補足"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_(
            "どの部分が問題か、分かる範囲でお書きください（1,000文字まで）。"
            "報告したことや、あなたの名前が投稿者に伝わることはありません。"
        ),
        error_messages={"max_length": _("補足は1,000文字以内で入力してください。")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("対応"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("対応を選んでください。")},
    )
    note = forms.CharField(
        label=_("記録用のメモ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_(
            "判断の理由を記録に残します。利用停止の場合は、停止の理由として本人にも通知されます。"
        ),
        error_messages={"required": _("記録のため、判断の理由をメモに入力してください。")},
    )
    message = forms.CharField(
        label=_("投稿者へのメッセージ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_(
            "非表示・注意のお知らせメールに添えます。報告した会員の名前は書かないでください。"
        ),
    )
    also_hide = forms.BooleanField(
        label=_("注意・利用停止とあわせて、この内容を非表示にする"), required=False
    )
