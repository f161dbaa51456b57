"""The admin pages that installed packages register, on this site's terms. (This app comes
after those packages in INSTALLED_APPS, so its admin module runs after theirs.)

- Groups: roles (`User.role`) decide what people may do, and no code reads groups, so the
  page would only offer a way to hand out permissions that nothing checks.
- Two-factor devices: the package's page shows each device's secret key and QR code and lets
  staff add a device to anyone's account, which is all it takes to pass as them. Admins see
  who has a device and when it was used; nobody sees a key or adds, edits or deletes a device
  here. People set theirs up themselves; resetting a lost one belongs in an audited action
  on the staff pages, not in raw rows.
- Background task results: their arguments and errors may name mail and members. Admins look.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin as PackageTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from cityhall.core.admin_policy import AdminsOnlyAdmin

for model in (Group, TOTPDevice, DBTaskResult):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AdminsOnlyAdmin):
    # A plain ModelAdmin, not the package's: no key field, no QR code or configuration pages.
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__email", "user__family_name", "user__given_name")
    list_select_related = ("user",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")


@admin.register(DBTaskResult)
class DBTaskResultAdmin(AdminsOnlyAdmin, PackageTaskResultAdmin):
    pass
