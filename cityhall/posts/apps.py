from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "cityhall.posts"
    label = "posts"
    verbose_name = _("投稿")

    def ready(self) -> None:
        from cityhall.posts.activity import section_activity
        from cityhall.sections.health import register_activity

        register_activity("posts", section_activity)
        from cityhall.posts import signals  # noqa: F401  # attachment files follow their rows
