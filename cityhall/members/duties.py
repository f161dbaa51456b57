"""Writes to the curated list of duties (担当業務). Duties are never deleted: profiles and
applications point at them, so staff hide them from the choices instead."""

from django.db import transaction

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.text import to_katakana
from cityhall.members.models import Duty

EDITABLE_FIELDS = ["name", "kana", "category", "sort_order"]


@transaction.atomic
def do_create_duty(
    *, name: str, kana: str, category: str, sort_order: int | None = None, actor: User
) -> Duty:
    """Staff add a duty to the choices. Audited as ``members.duty.created``.

    Without a sort order the duty goes last within the list.
    """
    if sort_order is None:
        last = Duty.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
        sort_order = (last or 0) + 10
    duty = Duty.objects.create(
        name=name.strip(), kana=to_katakana(kana), category=category.strip(), sort_order=sort_order
    )
    record("members.duty.created", actor=actor, target=duty, name=duty.name, category=duty.category)
    return duty


@transaction.atomic
def do_update_duty(
    duty: Duty, *, name: str, kana: str, category: str, sort_order: int, actor: User
) -> Duty:
    """Staff rename or re-file a duty. Audited as ``members.duty.updated`` with what changed."""
    new = {
        "name": name.strip(),
        "kana": to_katakana(kana),
        "category": category.strip(),
        "sort_order": sort_order,
    }
    changes = {
        field: [getattr(duty, field), value]
        for field, value in new.items()
        if getattr(duty, field) != value
    }
    if not changes:
        return duty
    for field in changes:
        setattr(duty, field, new[field])
    duty.save(update_fields=list(changes))
    record("members.duty.updated", actor=actor, target=duty, changes=changes)
    return duty


@transaction.atomic
def do_set_duty_active(duty: Duty, active: bool, *, actor: User) -> Duty:
    """Staff hide a duty from the choices, or show it again. Members who already chose it keep
    it. Audited as ``members.duty.shown`` or ``members.duty.hidden``."""
    if duty.is_active == active:
        return duty
    duty.is_active = active
    duty.save(update_fields=["is_active"])
    record(
        "members.duty.shown" if active else "members.duty.hidden",
        actor=actor,
        target=duty,
        name=duty.name,
    )
    return duty
