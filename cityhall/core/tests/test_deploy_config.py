"""The configuration files the production topology starts from (docs/deployment.md)."""

import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.core.management.commands.write_supervisor_config import read_env_file


def test_it_reads_an_environment_file_as_systemd_does(tmp_path):
    env = tmp_path / "cityhall.env"
    env.write_text(
        "# production\nDEBUG=0\n\nSECRET_KEY='a%b=c'\nALLOWED_HOSTS = \"x.jp,y.jp\"\n",
        encoding="utf-8",
    )
    assert read_env_file(env) == {"DEBUG": "0", "SECRET_KEY": "a%b=c", "ALLOWED_HOSTS": "x.jp,y.jp"}


def test_it_names_the_line_of_an_environment_file_it_cannot_read(tmp_path):
    env = tmp_path / "cityhall.env"
    env.write_text("DEBUG=0\nnot a setting\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"cityhall.env:2: KEY=VALUE の形ではありません"):
        read_env_file(env)


def test_it_writes_every_process_with_a_restart_policy_and_the_settings(tmp_path):
    env = tmp_path / "cityhall.env"
    env.write_text("SECRET_KEY=a%b\nDEBUG=0\n", encoding="utf-8")
    call_command(
        "write_supervisor_config",
        out=str(tmp_path / "supervisor"),
        env_file=str(env),
        nginx_config=str(tmp_path / "nginx.conf"),
        workers=3,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    text = (tmp_path / "supervisor" / "cityhall.conf").read_text(encoding="utf-8")
    for name in ("pages", "sockets", "worker", "clock", "nginx"):
        assert f"[program:cityhall-{name}]" in text
    assert text.count("autorestart=true") == 5
    assert "gunicorn cityhall.wsgi:application --workers 3 --bind 127.0.0.1:8001" in text
    assert 'SECRET_KEY="a%%b"' in text  # supervisor would expand a bare %
    main = (tmp_path / "supervisor" / "supervisord.conf").read_text(encoding="utf-8")
    assert f"files={tmp_path / 'supervisor' / 'cityhall.conf'}" in main


def test_it_refuses_a_certificate_without_its_key(tmp_path):
    with pytest.raises(CommandError, match="--tls-cert と --tls-key"):
        call_command("write_nginx_config", out=str(tmp_path / "n.conf"), tls_cert="x.pem")


def test_it_writes_an_nginx_config_that_nginx_accepts(tmp_path, settings):
    """nginx itself checks the file (Debian's nginx; .ci/run installs it)."""
    if shutil.which("nginx") is None:
        if os.environ.get("CI"):
            pytest.fail("needs nginx (apt-get install nginx-light)")
        pytest.skip("needs nginx (apt-get install nginx-light)")
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "nginx" / "nginx.conf"
    call_command(
        "write_nginx_config",
        out=str(out),
        static=True,
        app_url="http://127.0.0.1:8001",
        ws_url="http://127.0.0.1:8002",
        user="root" if os.geteuid() == 0 else "",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    text = out.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8001;" in text and "server 127.0.0.1:8002;" in text
    assert f"alias {tmp_path / 'static'}/;" in text
    assert "rtmp {" not in text
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(out), "-p", str(out.parent)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
