"""Database sessions that remember their owner, device and address."""

from datetime import timedelta
from typing import Any, cast

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

from cityhall.accounts.models import UserSession

# How stale "last active" may get: a session is re-saved at most this often just to refresh it.
ACTIVITY_RESOLUTION = timedelta(minutes=5)


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        obj = cast(UserSession, super().create_model_instance(data))
        user_id = data.get("_auth_user_id")
        obj.user_id = int(user_id) if user_id else None
        obj.user_agent = str(data.get("_user_agent", ""))[:300]
        obj.ip_address = data.get("_ip_address") or None
        return obj

    def _get_session_from_db(self) -> UserSession | None:
        row = super()._get_session_from_db()  # type: ignore[misc]
        if row is not None and row.last_seen_at < timezone.now() - ACTIVITY_RESOLUTION:
            self.modified = True  # the middleware then saves it, which refreshes last_seen_at
        return row

    def save(self, must_create: bool = False) -> None:
        # Django's update writes every column, which would blank created_at; update only what
        # a session save changes. A row deleted meanwhile (signed out elsewhere) stays deleted.
        if self.session_key is None or must_create:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())  # type: ignore[attr-defined]
        updated = self.model.objects.filter(session_key=self.session_key).update(
            **self._changed_fields(obj)
        )
        if not updated:
            raise UpdateError
        return None

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)

    @staticmethod
    def _changed_fields(obj: UserSession) -> dict[str, Any]:
        return {
            "session_data": obj.session_data,
            "expire_date": obj.expire_date,
            "user_id": obj.user_id,
            "user_agent": obj.user_agent,
            "ip_address": obj.ip_address,
            "last_seen_at": timezone.now(),
        }
