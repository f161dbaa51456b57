from django.core.management.base import BaseCommand

from cityhall.core.mail import retry_due


class Command(BaseCommand):
    help = "Send queued mail whose retry time has come (a safety net beside the worker)."

    def handle(self, *args: object, **options: object) -> None:
        sent = retry_due()
        self.stdout.write(f"sent {sent}")
