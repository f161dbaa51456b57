"""The only way the notification pages fetch a notification."""

from django.http import Http404

from cityhall.accounts.models import User
from cityhall.notifications.models import Notification


def access_notification(user: User, notification_id: int | str) -> Notification:
    """One of the viewer's own notifications whose post they may still read, or 404."""
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise Http404 from None
    notification = Notification.objects.for_recipient(user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
