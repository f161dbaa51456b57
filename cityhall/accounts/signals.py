from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from cityhall.accounts.models import User
from cityhall.lib.client import UNKNOWN, client_ip


@receiver(user_logged_in)
def remember_device(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Store the device and address in the session, so the sessions page can show them."""
    request.session["_user_agent"] = request.headers.get("User-Agent", "")[:300]
    ip = client_ip(request)
    request.session["_ip_address"] = None if ip == UNKNOWN else ip
