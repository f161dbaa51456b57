from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cityhall.accounts"
    label = "accounts"
    verbose_name = _("アカウント")

    def ready(self) -> None:
        from cityhall.accounts import jobs, signals  # noqa: F401
