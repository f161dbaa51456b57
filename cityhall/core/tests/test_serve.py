"""`manage.py serve` (what `make run` starts) keeps the site up when a child dies, and leaves
nothing behind when it is killed itself."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from cityhall.core.management.commands.worker import ResilientWorker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    return check()


def children_of(pid: int) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def serve_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        VAR_DIR=str(var_dir),
        SECRET_KEY="serve-test",
        STATIC_MANIFEST="0",
        DJANGO_SETTINGS_MODULE="cityhall.settings",
    )
    return env


MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated SQLite database, copied for each test (migrating takes seconds)."""
    var_dir = tmp_path_factory.mktemp("serve")
    subprocess.run([*MANAGE, "migrate", "-v0"], env=serve_env(var_dir), check=True)
    return var_dir / "cityhall.sqlite3"


@pytest.fixture
def site(tmp_path, migrated):
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads child processes from /proc (Linux)")
    shutil.copy(migrated, tmp_path / "cityhall.sqlite3")
    env = serve_env(tmp_path)
    manage = MANAGE
    port = free_port()
    process = subprocess.Popen(
        [*manage, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    assert wait_until(lambda: answers(url), 60), "the site did not start"
    yield process, url
    if process.poll() is None:
        process.terminate()
        process.wait(15)


def test_it_starts_a_killed_worker_again_and_keeps_the_site_up(site):
    process, url = site

    def worker() -> int | None:
        return next((p for p, cmd in children_of(process.pid).items() if " worker " in cmd), None)

    old = wait_until(worker, 10)
    os.kill(old, signal.SIGKILL)
    assert answers(url)
    new = wait_until(lambda: (pid := worker()) not in (None, old) and pid, 20)
    assert new, "the worker was not started again"
    assert process.poll() is None and answers(url)


def test_it_leaves_no_child_holding_the_port_when_killed(site):
    process, url = site
    children = wait_until(
        lambda: len(children_of(process.pid)) == 3 and children_of(process.pid), 10
    )
    assert children, children_of(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(5)

    def all_gone() -> bool:
        return not any(Path(f"/proc/{pid}").exists() for pid in children)

    assert wait_until(all_gone, 20), "children outlived serve"
    assert not answers(url)


def test_the_worker_waits_out_a_database_outage(monkeypatch):
    """db_worker's loop raises when the database goes away; the worker goes on."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    calls = []

    def run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        self.running = False

    monkeypatch.setattr(db_worker.Worker, "run", run)
    pauses: list[float] = []
    monkeypatch.setattr(ResilientWorker, "_pause", lambda self, seconds: pauses.append(seconds))
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(calls) == 3
    assert pauses == [1.0, 2.0]
