"""The only way views fetch membership applications."""

from django.db.models import QuerySet
from django.http import Http404

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members.models import MembershipApplication


def _applications() -> QuerySet[MembershipApplication]:
    return MembershipApplication.objects.select_related(
        "user", "organization__prefecture", "decided_by"
    )


def access_application(user: User, application_id: int) -> MembershipApplication:
    """An application, or 404: staff see every application, an applicant their own."""
    applications = _applications()
    if not user.is_staff_member:
        applications = applications.filter(user_id=user.pk)
    application = applications.filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_own_applications(user: User) -> list[MembershipApplication]:
    """The signed-in person's applications, newest first, with their duties."""
    return list(
        _applications()
        .filter(user_id=user.pk)
        .prefetch_related("duties")
        .order_by("-submitted_at", "-pk")
    )


def access_application_for_link(application_id: int | None) -> MembershipApplication:
    """The application a signed mail link names (the signature is the permission), or 404."""
    if application_id is None:
        raise Http404
    application = _applications().filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_user_for_link(user_id: int | None) -> User:
    """The account a signed mail link names (the signature is the permission), or 404."""
    if user_id is None:
        raise Http404
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def application_history(application: MembershipApplication) -> list[AuditEntry]:
    """Audit entries about this application, oldest first (staff only: the detail page)."""
    return list(
        AuditEntry.objects.filter(
            target_type=application._meta.label_lower,
            target_id=str(application.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def other_applications_of(application: MembershipApplication) -> list[MembershipApplication]:
    """The same person's other applications, newest first (e.g. an earlier rejection)."""
    return list(
        MembershipApplication.objects.filter(user_id=application.user_id)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
    )
