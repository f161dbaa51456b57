from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from cityhall.broadcasts import signals as broadcasts
        from cityhall.members.signals import application_verified
        from cityhall.notifications import actions, events, jobs  # noqa: F401 - jobs: periodic jobs
        from cityhall.posts import signals as posts

        application_verified.connect(
            events.on_application_verified, dispatch_uid="notifications.application_verified"
        )
        # What happens in posts and broadcasts becomes notifications (events.py), inside the
        # sender's transaction: signals are synchronous.
        posts.post_published.connect(
            events.on_post_published, dispatch_uid="notifications.post_published"
        )
        posts.post_edited.connect(events.on_post_edited, dispatch_uid="notifications.post_edited")
        posts.comment_posted.connect(
            events.on_comment_posted, dispatch_uid="notifications.comment_posted"
        )
        posts.comment_edited.connect(
            events.on_comment_edited, dispatch_uid="notifications.comment_edited"
        )
        posts.answer_accepted.connect(
            events.on_answer_accepted, dispatch_uid="notifications.answer_accepted"
        )
        broadcasts.episode_on_air.connect(
            events.on_episode_on_air, dispatch_uid="notifications.episode_on_air"
        )
        # Opening what a notification points to reads it.
        posts.post_viewed.connect(actions.on_post_viewed, dispatch_uid="notifications.post_viewed")
        broadcasts.episode_viewed.connect(
            actions.on_episode_viewed, dispatch_uid="notifications.episode_viewed"
        )
