from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def register_introduction_step() -> None:
    """The newcomer checklist's 「自己紹介を投稿する」: opens the composer, done once the member
    has posted anything (a removed post does not count)."""
    from cityhall.members import onboarding
    from cityhall.posts.models import Post

    onboarding.register(
        onboarding.ChecklistItem(
            key="introduction",
            title=_("自己紹介を投稿する"),
            description=onboarding.INTRODUCTION_DESCRIPTION,
            done=lambda user: Post.objects.filter(author=user, deleted_at=None).exists(),
            url_name="posts:new",
            action_label=_("自己紹介を書く"),
        )
    )


class PostsConfig(AppConfig):
    name = "cityhall.posts"
    label = "posts"
    verbose_name = _("投稿")

    def ready(self) -> None:
        from cityhall.posts import signals  # noqa: F401  # attachment files follow their rows
        from cityhall.posts.activity import section_activity
        from cityhall.posts.feeds import latest_posts
        from cityhall.sections.health import register_activity
        from cityhall.sections.panels import register_panel

        register_activity("posts", section_activity)
        register_panel(
            "posts",
            lambda viewer, section, reads_posts: {
                "latest_posts": latest_posts(section) if reads_posts else []
            },
        )
        register_introduction_step()
