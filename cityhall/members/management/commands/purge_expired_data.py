from typing import Any

from django.core.management.base import BaseCommand

from cityhall.accounts.session_store import SessionStore
from cityhall.members.actions import do_purge_expired_applications


class Command(BaseCommand):
    help = "Delete data past its retention period (declined applications, expired sessions)."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = do_purge_expired_applications()
        SessionStore.clear_expired()
        self.stdout.write(f"purged {purged} declined applications; expired sessions cleared")
