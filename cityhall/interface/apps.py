from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterfaceConfig(AppConfig):
    """The top layer: pages and use cases that combine domains (the home page, a member's
    start page and profile, the staff dashboard, the data export and account erasure), the
    demo community, and the admin pages of installed packages. Nothing below imports it."""

    name = "cityhall.interface"
    label = "interface"
    verbose_name = _("画面")

    def ready(self) -> None:
        from cityhall.accounts.erasure import account_erased
        from cityhall.interface import jobs  # noqa: F401
        from cityhall.interface.erasure import erase_member_data

        account_erased.connect(erase_member_data, dispatch_uid="interface.erase_member_data")
