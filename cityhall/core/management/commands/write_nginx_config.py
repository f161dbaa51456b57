"""`manage.py write_nginx_config`: nginx in front of the site, from this installation's settings.

Writes a complete nginx.conf from templates/deploy/nginx.conf: pages proxied to gunicorn,
WebSockets to uvicorn, static files from STATIC_ROOT with long cache lifetimes and their gzip
copies, uploads through X-Accel-Redirect, TLS when a certificate is given, and with `--rtmp`
self-hosted broadcasts (RTMP in, HLS out to members only; docs/broadcasting.md). It creates the
folders nginx writes to. Run nginx with it: `nginx -c FILE -g 'daemon off;'`.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from cityhall.core.signing import broadcast_callback_secret

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"  # Debian's libnginx-mod-rtmp
MIME_TYPES = "/etc/nginx/mime.types"  # Debian's nginx-common


class Command(BaseCommand):
    help = "Write nginx.conf: the site behind nginx (pages, WebSockets, static files, media)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default=str(settings.VAR_DIR / "nginx" / "nginx.conf"))
        parser.add_argument("--app-url", default="http://127.0.0.1:8000", help="pages")
        parser.add_argument("--ws-url", default="", help="WebSockets (default: --app-url)")
        parser.add_argument("--http-port", type=int, default=8080)
        parser.add_argument("--https-port", type=int, default=443)
        parser.add_argument("--tls-cert", default="", help="certificate chain (PEM)")
        parser.add_argument("--tls-key", default="", help="private key (PEM)")
        parser.add_argument("--server-name", default="")
        parser.add_argument(
            "--static", action="store_true", help="send STATIC_ROOT from nginx itself"
        )
        parser.add_argument("--rtmp", action="store_true", help="self-hosted broadcasts")
        parser.add_argument("--rtmp-port", type=int, default=1935)
        parser.add_argument("--rtmp-module", default=RTMP_MODULE)
        parser.add_argument("--user", default="", help="worker user when nginx starts as root")
        parser.add_argument("--worker-processes", default="auto")

    def handle(self, *args: Any, out: str, static: bool, **options: Any) -> None:
        if bool(options["tls_cert"]) != bool(options["tls_key"]):
            raise CommandError("--tls-cert と --tls-key は両方指定してください。")
        static_dir = Path(settings.STATIC_ROOT).resolve() if static else None
        path = write_config(Path(out), static_dir=static_dir, **options)
        self.stdout.write(self.style.SUCCESS(f"nginx の設定を書き出しました: {path}"))


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise CommandError(f"http://HOST:PORT の形で指定してください: {url}")
    return f"{parts.hostname}:{parts.port or 80}"


def write_config(
    out: Path,
    *,
    app_url: str = "http://127.0.0.1:8000",
    ws_url: str = "",
    http_port: int = 8080,
    https_port: int = 443,
    tls_cert: str = "",
    tls_key: str = "",
    server_name: str = "",
    static_dir: Path | None = None,
    rtmp: bool = False,
    rtmp_port: int = 1935,
    rtmp_module: str = RTMP_MODULE,
    user: str = "",
    worker_processes: str = "auto",
    mime_types: str = MIME_TYPES,
    **unused: Any,
) -> Path:
    run_dir = out.parent.resolve()
    folders = [run_dir, Path(settings.MEDIA_ROOT)]
    if rtmp:
        folders += [settings.BROADCAST_HLS_DIR, settings.BROADCAST_RECORDINGS_DIR]
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)
    pages_url = app_url.rstrip("/")
    text = render_to_string(
        "deploy/nginx.conf",
        {
            "rtmp": rtmp,
            "rtmp_module": rtmp_module,
            "rtmp_port": rtmp_port,
            "user": user,
            "worker_processes": worker_processes,
            "run_dir": run_dir,
            "mime_types": mime_types,
            "pages_url": pages_url,
            "pages_host": _host(pages_url),
            "ws_host": _host(ws_url.rstrip("/") or pages_url),
            "http_port": http_port,
            "https_port": https_port,
            "tls": bool(tls_cert),
            "tls_cert": Path(tls_cert).resolve() if tls_cert else "",
            "tls_key": Path(tls_key).resolve() if tls_key else "",
            "server_name": server_name,
            "static_dir": static_dir or "",
            "secret": broadcast_callback_secret() if rtmp else "",
            "hls_dir": Path(settings.BROADCAST_HLS_DIR).resolve(),
            "recordings_dir": Path(settings.BROADCAST_RECORDINGS_DIR).resolve(),
            "media_dir": Path(settings.MEDIA_ROOT).resolve(),
        },
    )
    out.write_text(text, encoding="utf-8")
    return out
