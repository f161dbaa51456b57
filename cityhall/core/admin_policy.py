"""What the Django admin lets staff and admins do, in two base classes.

The admin is for looking: every change to people, content and decisions is made on the
member and staff pages, through actions that check who may act, audit and mail. Staff
(運営事務局) pass the admin's permission checks for every model (accounts.models.User.has_perm),
so each ModelAdmin says here what it allows; tests/test_admin_boundaries.py pins every
registered model to one of these. docs/decisions.md lists the decisions.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class LookOnlyAdmin(admin.ModelAdmin):
    """Staff and admins may look; nobody adds, changes or deletes here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LookOnlyTabularInline(admin.TabularInline):
    """Rows shown under a LookOnlyAdmin's object, for looking too."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AdminsOnlyAdmin(LookOnlyAdmin):
    """Admins may look; staff do not see the model at all (not even in the index)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)


def _is_admin(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_admin", False))
