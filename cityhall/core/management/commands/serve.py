"""Serve the whole site from one command: pages and WebSockets on PORT, plus the worker and
the clock.

The embedded default keeps pages and WebSockets in one ASGI process, because the in-process
channel layer only reaches consumers in the same process; pages still run as plain WSGI inside
it (see cityhall/asgi.py). With REDIS_URL set, production runs gunicorn for pages and several
ASGI processes for /ws/ behind nginx instead (docs/deployment.md).

This command is a small supervisor: a child that dies is started again after a pause that grows
while it keeps dying, so a dead worker never takes the site down; and the children die with it,
even after kill -9, so nothing is left holding the port.
"""

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger("cityhall.serve")
PR_SET_PDEATHSIG = 1
MAX_PAUSE = 30.0


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends SIGTERM when `serve` goes, however it goes."""
    # Not on Linux: `serve` still stops its children when it exits normally.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = 1.0
    restart_at: float | None = None
    restarts: int = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, preexec_fn=_die_with_parent)  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Start again a child that has exited, after its pause."""
        if self.process is None:
            return
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                logger.warning("restarting %s (restart %s)", self.name, self.restarts)
                self.start()
            return
        code = self.process.poll()
        if code is None:
            if now - self.started_at > 60:
                self.pause = 1.0  # it has been running well: a new failure starts short
            return
        logger.error("%s exited with %s; starting it again in %.0f s", self.name, code, self.pause)
        self.restart_at = now + self.pause
        self.pause = min(self.pause * 2, MAX_PAUSE)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Command(BaseCommand):
    help = "Serve pages and WebSockets on PORT (default 8000) and run the worker and the clock."

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
        children = [Child("site", uvicorn)]
        if not no_worker:
            manage = [python, str(settings.BASE_DIR / "manage.py")]
            children.append(Child("worker", [*manage, "worker", "--interval", "0.5"]))
            children.append(Child("clock", [*manage, "tick", "--loop", "60"]))
        for child in children:
            child.start()
        self.stdout.write(
            self.style.SUCCESS(f"Serving {settings.SITE_NAME} at http://{host}:{port}/")
        )
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                now = time.monotonic()
                for child in children:
                    child.check(now)
                time.sleep(0.5)
        finally:
            for child in children:
                child.stop()
            for child in children:
                child.wait()
