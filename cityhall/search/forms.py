from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.organizations.forms import OrganizationChoiceField
from cityhall.organizations.models import Organization
from cityhall.search import registry
from cityhall.search.engine import NEWEST, RELEVANCE, Filters
from cityhall.sections.models import Section


class SearchForm(forms.Form):
    """The search box and its filters, read from the query string; all optional."""

    q = forms.CharField(label=_("キーワード"), required=False, strip=True)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    section = forms.ModelChoiceField(
        label=_("課"), required=False, empty_label=_("すべての課"), queryset=Section.objects.all()
    )
    prefecture = forms.ModelChoiceField(
        label=_("都道府県"),
        required=False,
        empty_label=_("すべての都道府県"),
        queryset=Organization.objects.filter(kind=Organization.Kind.PREFECTURE).order_by("code"),
    )
    organization = OrganizationChoiceField(required=False, help_text="")
    date_from = forms.DateField(
        label=_("期間（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("期間（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[(RELEVANCE, _("関連度順")), (NEWEST, _("新しい順"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("すべて")), *registry.choices()]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("終わりの日付は、始まりの日付と同じか後にしてください。"))
        return data

    @property
    def narrowed(self) -> bool:
        """Any filter besides the words (to offer "clear the filters")."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.fields if name not in {"q", "order"})

    def filters(self) -> Filters:
        """Call after is_valid() returned True."""
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            section_id=data["section"].pk if data.get("section") else None,
            organization_id=data["organization"].pk if data.get("organization") else None,
            prefecture_id=data["prefecture"].pk if data.get("prefecture") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            order=data.get("order") or RELEVANCE,
        )
