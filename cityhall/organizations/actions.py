from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.organizations.models import Organization
from cityhall.organizations.reference import ImportSummary, LocalGovernment, sync_local_governments


def do_import_local_governments(
    rows: list[LocalGovernment], *, source: str, actor: User | None, dry_run: bool = False
) -> ImportSummary:
    """Bring the local governments up to date with a newer official list.

    Called by the ``import_organizations`` command (staff, on the server). Upserts by code and
    marks those missing from the list inactive; audited as ``organizations.reference.imported``.
    A dry run computes the same summary and rolls everything back. The command passes no
    actor (whoever runs it has the server); a person named as actor must be staff.
    """
    if actor is not None and not actor.is_staff_member:
        raise PermissionDenied(_("自治体の一覧を更新できるのは運営事務局だけです。"))
    with transaction.atomic():
        summary = sync_local_governments(Organization, rows)
        if dry_run:
            transaction.set_rollback(True)
        else:
            record(
                "organizations.reference.imported",
                actor=actor,
                source=source,
                rows=len(rows),
                counts=summary.counts(),
                changes={
                    "added": summary.added,
                    "renamed": summary.renamed,
                    "deactivated": summary.deactivated,
                    "reactivated": summary.reactivated,
                    "updated": summary.updated,
                },
            )
    return summary
