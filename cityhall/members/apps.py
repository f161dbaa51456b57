from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "cityhall.members"
    label = "members"
    verbose_name = _("会員")

    def ready(self) -> None:
        from cityhall.members import jobs  # noqa: F401 - registers the periodic jobs
