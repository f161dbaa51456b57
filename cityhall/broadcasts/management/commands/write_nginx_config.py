"""`manage.py write_nginx_config`: the nginx configuration for self-hosted broadcasts.

Writes a complete nginx.conf (RTMP in, HLS out to members only, the site proxied) from
templates/broadcasts/nginx.conf with this installation's folders and callback secret, and
creates the folders nginx writes to. Run nginx with it: `nginx -c FILE -g 'daemon off;'`.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from cityhall.broadcasts.streaming import callback_secret

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"  # Debian's libnginx-mod-rtmp


class Command(BaseCommand):
    help = "Write nginx.conf for self-hosted broadcasts (RTMP → HLS for members only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default=str(settings.VAR_DIR / "nginx" / "nginx.conf"))
        parser.add_argument("--app-url", default="http://127.0.0.1:8000")
        parser.add_argument("--http-port", type=int, default=8080)
        parser.add_argument("--rtmp-port", type=int, default=1935)
        parser.add_argument("--rtmp-module", default=RTMP_MODULE)
        parser.add_argument("--user", default="", help="worker user when nginx starts as root")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        path = write_config(Path(out), **options)
        self.stdout.write(self.style.SUCCESS(f"nginx の設定を書き出しました: {path}"))


def write_config(
    out: Path,
    *,
    app_url: str = "http://127.0.0.1:8000",
    http_port: int = 8080,
    rtmp_port: int = 1935,
    rtmp_module: str = RTMP_MODULE,
    user: str = "",
    **unused: Any,
) -> Path:
    run_dir = out.parent.resolve()
    folders = [run_dir, settings.BROADCAST_HLS_DIR, settings.BROADCAST_RECORDINGS_DIR]
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)
    text = render_to_string(
        "broadcasts/nginx.conf",
        {
            "rtmp_module": rtmp_module,
            "user": user,
            "run_dir": run_dir,
            "app_url": app_url.rstrip("/"),
            "http_port": http_port,
            "rtmp_port": rtmp_port,
            "secret": callback_secret(),
            "hls_dir": Path(settings.BROADCAST_HLS_DIR).resolve(),
            "recordings_dir": Path(settings.BROADCAST_RECORDINGS_DIR).resolve(),
            "media_dir": Path(settings.MEDIA_ROOT).resolve(),
        },
    )
    out.write_text(text, encoding="utf-8")
    return out
