from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cityhall.core import figures


class SectionsConfig(AppConfig):
    name = "cityhall.sections"
    label = "sections"
    verbose_name = _("課")

    def ready(self) -> None:
        # The newcomer checklist and the headline figures take the section's items from here.
        from cityhall.members import onboarding
        from cityhall.sections.models import Section, SectionMembership

        onboarding.register(
            onboarding.ChecklistItem(
                key="sections",
                title=_("興味のある課に参加する"),
                description=_(
                    "仕事・スキル・趣味など50以上の課があります。気になる課にいくつでも参加できます。"
                ),
                done=lambda user: SectionMembership.objects.of(user).active().exists(),
                url_name="sections:list",
                action_label=_("課を探す"),
            )
        )
        figures.register_count(
            "sections", _("活動中の課"), lambda: Section.objects.filter(archived_at=None).count()
        )
