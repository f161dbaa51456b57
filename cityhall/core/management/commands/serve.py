"""Serve the whole site from one command: pages and WebSockets on PORT, plus the worker.

The embedded default keeps pages and WebSockets in one ASGI process, because the in-process
channel layer only reaches consumers in the same process; pages still run as plain WSGI inside
it (see cityhall/asgi.py). With REDIS_URL set, production runs gunicorn for pages and several
ASGI processes for /ws/ behind nginx instead (docs/deployment.md).
"""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve pages and WebSockets on PORT (default 8000) and run the background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="no worker, no clock")

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, **options: Any) -> None:
        if settings.STATIC_MANIFEST:
            call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        uvicorn = [python, "-m", "uvicorn", "cityhall.asgi:application"]
        uvicorn += ["--host", host, "--port", str(port), "--no-access-log"]
        uvicorn += ["--ws", "websockets-sansio", "--lifespan", "off"]
        # Compression would cost a deflate per viewer for every live comment pushed.
        uvicorn += ["--ws-per-message-deflate", "false"]
        commands = [uvicorn]
        if not no_worker:
            commands.append([python, "manage.py", "db_worker", "--interval", "0.5"])
            commands.append([python, "manage.py", "tick", "--loop", "60"])
        processes = [subprocess.Popen(command) for command in commands]  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(f"Serving {settings.SITE_NAME} at http://{host}:{port}/")
        )

        def stop(signum: int, frame: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM)]
        if failed:
            sys.exit(1)
