from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from cityhall.accounts.models import User


class EmailBackend(ModelBackend):
    """Sign in by email address (case-insensitive) and password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (kwargs.get("email") or username or "").strip()
        if not email or not password:
            return None
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            User().set_password(password)  # same time whether or not the address exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
