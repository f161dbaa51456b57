from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cityhall.accounts"
    label = "accounts"
    verbose_name = "アカウント"

    def ready(self) -> None:
        from cityhall.accounts import signals  # noqa: F401
