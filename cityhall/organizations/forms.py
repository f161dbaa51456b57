"""Choosing one's organisation: a type-ahead combobox that also works without JavaScript.

Use ``OrganizationChoiceField()`` in any form (in a ModelForm it replaces the foreign key's
select). It posts two values: ``<name>`` (the chosen id, filled in by static/js/combobox.js) and
``<name>_text`` (what is in the text box). Without JavaScript the text alone is resolved: a
6-digit (or 5-digit) code, or a name that fits exactly one organisation.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from cityhall.core.text import compact
from cityhall.organizations.models import Organization, check_digit

EMPTY = {"id": "", "text": ""}
_CODE = re.compile(r"[0-9]{5,6}")
NOT_FOUND = _(
    "「%(text)s」に当てはまる団体が見つかりません。"
    "団体名または6桁の団体コードを入力し、表示される候補から選んでください。"
)
AMBIGUOUS = _(
    "「%(text)s」という名前の団体が複数あります（%(names)s）。"
    "都道府県名を付けて入力するか、表示される候補から選んでください。"
)


def resolve_organization(choice_id: str, text: str) -> Organization | None:
    """The organisation meant by a posted (id, text) pair; None when nothing was typed.

    An id counts only while the text still names it (typing after choosing discards the
    choice). Raises ValidationError ("not_found" or "ambiguous") with a Japanese message.
    """
    key = compact(text)
    if not key:
        return None
    if choice_id.isdigit():
        org = Organization.objects.select_related("prefecture").filter(pk=choice_id).first()
        # Inactive ones are accepted here: a member's merged town still shows as chosen.
        if org and key in (compact(org.display_name), compact(org.name), org.code):
            return org
    active = Organization.objects.active().select_related("prefecture")
    if _CODE.fullmatch(key):
        code = key if len(key) == 6 else f"{key}{check_digit(key)}"
        org = active.filter(code=code).first()
        if org:
            return org
        raise ValidationError(NOT_FOUND, code="not_found", params={"text": text.strip()})
    found = list(active.named(text)[:10])
    if len(found) == 1:
        return found[0]
    if found:
        names = "、".join(org.display_name for org in found)
        raise ValidationError(
            AMBIGUOUS, code="ambiguous", params={"text": text.strip(), "names": names}
        )
    raise ValidationError(NOT_FOUND, code="not_found", params={"text": text.strip()})


def _as_choice(value: Any) -> dict[str, str]:
    return value if isinstance(value, dict) else EMPTY


class OrganizationCombobox(forms.Widget):
    """An ARIA 1.2 combobox: a text input with a listbox of options, and a hidden id."""

    template_name = "organizations/widgets/combobox.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {"id": str(data.get(name, "")).strip(), "text": str(data.get(f"{name}_text", ""))}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_text" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["value"] = _as_choice(value)  # {"id": ..., "text": ...}
        base_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = base_id
        widget.update(listbox_id=f"{base_id}_listbox", status_id=f"{base_id}_status")
        return context

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        # The project's template engine, so the template can live in templates/ and use {% url %}.
        return mark_safe(render_to_string(template_name, context))


class OrganizationChoiceField(forms.Field):
    widget = OrganizationCombobox
    default_error_messages = {"required": _("所属団体を入力し、候補から選んでください。")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("所属団体"))
        kwargs.setdefault(
            "help_text",
            _(
                "団体名（ひらがな・カタカナでも可）または6桁の団体コードを入力し、候補から選んでください。"
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Organization | None:
        if isinstance(value, Organization) or value is None:
            return value
        choice = _as_choice(value)
        return resolve_organization(choice["id"], choice["text"])

    def prepare_value(self, value: Any) -> dict[str, str]:
        """What the widget shows: the display name of a chosen (or resolvable) organisation,
        otherwise exactly what was typed."""
        if isinstance(value, dict):
            try:
                value = resolve_organization(value.get("id", ""), value.get("text", "")) or value
            except ValidationError:
                return value
        elif value not in self.empty_values and not isinstance(value, Organization):
            value = Organization.objects.select_related("prefecture").filter(pk=value).first()
        if isinstance(value, Organization):
            return {"id": str(value.pk), "text": value.display_name}
        return _as_choice(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_id = initial.pk if isinstance(initial, Organization) else initial
        return str(initial_id or "") != self.prepare_value(data)["id"]
