"""Database sessions that remember their owner, device and address."""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from cityhall.accounts.models import UserSession


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):  # type: ignore[no-untyped-def]
        return UserSession

    def create_model_instance(self, data):  # type: ignore[no-untyped-def]
        obj = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        obj.user_id = int(user_id) if user_id else None
        obj.user_agent = str(data.get("_user_agent", ""))[:300]
        obj.ip_address = data.get("_ip_address") or None
        return obj
