"""The one way to write the audit log."""

from typing import Any

from django.db import models

from cityhall.audit.models import AuditEntry


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    subject_user: Any = None,
    **data: Any,
) -> AuditEntry:
    """Write an audit entry; call inside the action's transaction."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        subject_user=subject_user,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
