from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "cityhall.knowledge"
    label = "knowledge"
    verbose_name = _("FAQ資料")

    def ready(self) -> None:
        # Both import models, which are not loaded before ready().
        from cityhall.events import faq
        from cityhall.knowledge.models import FaqEntry

        # The FAQ links on a study session's page and its series' page.
        faq.provide_counts(
            faq.FaqCounts(
                of_event=lambda event: (
                    FaqEntry.objects.published().filter(source_event=event).count()
                ),
                of_series=lambda series: (
                    FaqEntry.objects.published().filter(source_event__series=series).count()
                ),
            )
        )
