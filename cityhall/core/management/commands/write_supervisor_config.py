"""`manage.py write_supervisor_config`: the production processes under supervisor.

Writes OUT/cityhall.conf (pages on gunicorn, WebSockets on uvicorn, the background worker, the
clock and, with `--nginx-config`, nginx itself; each restarted when it dies) for Debian's
supervisor (/etc/supervisor/conf.d/), and OUT/supervisord.conf, a supervisord of its own that
includes it, for a machine without that service. Settings come from `--env-file`, one KEY=VALUE a
line, as systemd's EnvironmentFile reads them. See docs/deployment.md.
"""

import os
import shlex
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string


class Command(BaseCommand):
    help = "Write supervisor's configuration for the production processes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default=str(settings.VAR_DIR / "supervisor"))
        parser.add_argument("--env-file", default="", help="KEY=VALUE lines for every process")
        parser.add_argument("--pages-port", type=int, default=8001)
        parser.add_argument("--ws-port", type=int, default=8002)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
        parser.add_argument("--nginx-config", default="", help="run nginx with this file too")
        parser.add_argument("--user", default="", help="run the app's processes as this user")

    def handle(self, *args: Any, out: str, env_file: str, **options: Any) -> None:
        environment = read_env_file(Path(env_file)) if env_file else {}
        path = write_config(Path(out), environment=environment, **options)
        self.stdout.write(self.style.SUCCESS(f"supervisor の設定を書き出しました: {path}"))


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments are skipped, quotes around a value dropped."""
    environment: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            raise CommandError(f"{path}:{number}: KEY=VALUE の形ではありません。")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if '"' in value:
            raise CommandError(f'{path}:{number}: 値に " は使えません。')
        environment[key] = value
    return environment


def _supervisor_environment(environment: dict[str, str]) -> str:
    # supervisor expands %(name)s in values: a literal % is written %%.
    return ",".join(f'{key}="{value.replace("%", "%%")}"' for key, value in environment.items())


def write_config(
    out: Path,
    *,
    environment: dict[str, str],
    pages_port: int = 8001,
    ws_port: int = 8002,
    workers: int = 3,
    nginx_config: str = "",
    user: str = "",
    **unused: Any,
) -> Path:
    run_dir, log_dir = out.resolve(), (out / "logs").resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    python = shlex.quote(sys.executable)
    manage = f"{python} {shlex.quote(str(settings.BASE_DIR / 'manage.py'))}"
    programs: list[dict[str, Any]] = [
        {
            "name": "cityhall-pages",
            "command": f"{python} -m gunicorn cityhall.wsgi:application --workers {workers}"
            f" --bind 127.0.0.1:{pages_port} --timeout 60 --graceful-timeout 20"
            " --max-requests 5000 --max-requests-jitter 500",
        },
        {
            "name": "cityhall-sockets",
            "command": f"{python} -m uvicorn cityhall.asgi:application --host 127.0.0.1"
            f" --port {ws_port} --no-access-log --ws websockets-sansio --lifespan off"
            " --ws-per-message-deflate false",
        },
        {"name": "cityhall-worker", "command": f"{manage} worker --interval 0.5"},
        {"name": "cityhall-clock", "command": f"{manage} tick --loop 60"},
    ]
    for program in programs:
        program.update(environment=True, stopsignal="TERM")
    if nginx_config:
        nginx = f"nginx -c {shlex.quote(str(Path(nginx_config).resolve()))}"
        programs.append(
            {
                "name": "cityhall-nginx",
                "command": f"{nginx} -g 'daemon off;'",
                "environment": False,
                "stopsignal": "QUIT",  # nginx's graceful stop
            }
        )
    context = {
        "programs": programs,
        "environment": _supervisor_environment(environment),
        "user": user,
        "base_dir": settings.BASE_DIR,
        "nginx_config": nginx_config,
        "run_dir": run_dir,
        "log_dir": log_dir,
        "programs_file": run_dir / "cityhall.conf",
    }
    (run_dir / "cityhall.conf").write_text(
        render_to_string("deploy/supervisor.conf", context), encoding="utf-8"
    )
    main = run_dir / "supervisord.conf"
    main.write_text(render_to_string("deploy/supervisord.conf", context), encoding="utf-8")
    return main
