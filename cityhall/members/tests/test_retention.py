from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members.models import MembershipApplication


def test_it_deletes_declined_applications_after_a_year(rejected):
    application = rejected.applications.get()
    application.decided_at = timezone.now() - timedelta(days=366)
    application.save(update_fields=["decided_at"])

    call_command("purge_expired_data")

    assert not MembershipApplication.objects.filter(pk=application.pk).exists()
    assert not User.objects.filter(pk=rejected.pk).exists()
    assert AuditEntry.objects.filter(action="members.application.purged").exists()


def test_it_keeps_recent_declines_and_people_who_became_members(rejected, member):
    recent = rejected.applications.get()
    recent.decided_at = timezone.now() - timedelta(days=30)
    recent.save(update_fields=["decided_at"])
    old = MembershipApplication.objects.create(
        **{
            f.name: getattr(recent, f.name)
            for f in MembershipApplication._meta.concrete_fields
            if f.name not in {"id", "user", "submission_key"}
        },
        user=member,
    )
    MembershipApplication.objects.filter(pk=old.pk).update(
        decided_at=timezone.now() - timedelta(days=400)
    )

    call_command("purge_expired_data")

    assert MembershipApplication.objects.filter(pk=recent.pk).exists()
    assert not MembershipApplication.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk=member.pk, status=User.Status.MEMBER).exists()
