from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.directory.access import membership_visible
from cityhall.directory.queries import Filters
from cityhall.members.models import Duty
from cityhall.organizations.forms import OrganizationChoiceField
from cityhall.organizations.models import Organization
from cityhall.sections.models import Section


class DirectorySearchForm(forms.Form):
    """The directory's filters, read from the query string; every one is optional."""

    q = forms.CharField(
        label=_("名前"),
        required=False,
        max_length=60,
        help_text=_("姓・名の始まり（漢字・ひらがな・カタカナ）。例：さとう、佐藤 花子"),
    )
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        required=False,
        empty_label=_("すべての都道府県"),
        queryset=Organization.objects.filter(kind=Organization.Kind.PREFECTURE).order_by("code"),
    )
    organization = OrganizationChoiceField(required=False)
    duty = forms.ModelChoiceField(
        label=_("担当業務"),
        required=False,
        empty_label=_("すべての担当業務"),
        queryset=Duty.objects.active(),
    )
    section = forms.ModelChoiceField(
        label=_("課"),
        required=False,
        empty_label=_("すべての課"),
        queryset=Section.objects.none(),
        help_text=_("その課に参加している会員。非公開の課は、その課のメンバーにだけ選べます。"),
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only sections whose members the viewer may see: a closed section's stay hidden.
        self.fields["section"].queryset = (  # type: ignore[attr-defined]
            Section.objects.active().filter(membership_visible(viewer)).order_by("kind", "name")
        )

    def filters(self) -> Filters:
        """Call after is_valid() returned True."""
        data = self.cleaned_data
        return Filters(
            q=data.get("q") or "",
            prefecture=data.get("prefecture"),
            organization=data.get("organization"),
            duty=data.get("duty"),
            section=data.get("section"),
        )
