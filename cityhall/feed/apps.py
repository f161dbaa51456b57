from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "cityhall.feed"
    label = "feed"
    verbose_name = _("ホームフィード")

    def ready(self) -> None:
        from cityhall.feed import actions, jobs  # noqa: F401 - jobs registers the periodic jobs
        from cityhall.posts.signals import post_viewed

        post_viewed.connect(actions.on_post_viewed, dispatch_uid="feed.post_viewed")
