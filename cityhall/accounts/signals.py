from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cityhall.accounts.deletion_actions import do_cancel_account_deletion
from cityhall.accounts.models import User
from cityhall.core.client import UNKNOWN, client_ip


@receiver(user_logged_in)
def remember_device(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Store the device and address in the session, so the sessions page can show them."""
    request.session["_user_agent"] = request.headers.get("User-Agent", "")[:300]
    ip = client_ip(request)
    request.session["_ip_address"] = None if ip == UNKNOWN else ip


@receiver(user_logged_in)
def cancel_pending_deletion(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Signing in during the grace period keeps the account: the deletion request is dropped."""
    if do_cancel_account_deletion(user, actor=user) and request is not None:
        messages.info(
            request,
            _("退会の手続きを取り消しました。アカウントはこれまでどおりご利用いただけます。"),
            fail_silently=True,
        )
