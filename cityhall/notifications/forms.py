from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.notifications.models import Kind, Preference
from cityhall.sections.models import Section

HOURS = [(hour, f"{hour}:00") for hour in range(24)]


class PreferenceForm(forms.ModelForm):
    """How each kind reaches the member, the digest's rhythm, and which sections they follow."""

    digest_hour = forms.TypedChoiceField(
        label=_("まとめメールの時刻（日本時間）"), choices=HOURS, coerce=int
    )
    followed = forms.MultipleChoiceField(
        label=_("新しい投稿を知らせる課"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("参加している課は、はじめはすべて通知されます。"),
    )

    class Meta:
        model = Preference
        fields = [*Kind.values, "digest_frequency", "digest_hour"]
        widgets = {kind: forms.RadioSelect for kind in [*Kind.values, "digest_frequency"]}

    def __init__(
        self,
        *args: Any,
        sections: list[Section],
        followed: set[int],
        staff: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not staff:  # new applications are staff's business only
            del self.fields[Kind.APPLICATION_PENDING]
        self.sections = {str(s.pk): s for s in sections}
        field = self.fields["followed"]
        field.choices = [(key, s.name) for key, s in self.sections.items()]  # type: ignore[attr-defined]
        self.initial["followed"] = [str(pk) for pk in followed]

    def followed_sections(self) -> set[int]:
        return {self.sections[key].pk for key in self.cleaned_data.get("followed", [])}

    def preference_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
