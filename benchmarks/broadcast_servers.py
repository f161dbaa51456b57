"""The servers measure_broadcast.py starts, and what it reads about them from /proc."""

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


def start_server(port: int, env: dict[str, str], root: Path, logs: Path) -> subprocess.Popen:
    """uvicorn on cityhall.asgi with serve.py's options (no worker or clock: not needed)."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "cityhall.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--ws",
        "websockets-sansio",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
    ]
    log = open(logs / f"server-{port}.log", "wb")  # noqa: SIM115 — the child keeps it
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server on {port} exited; see {log.name}") from None
            time.sleep(0.2)
    raise SystemExit(f"the server on {port} did not answer")


def stop_servers(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler(threading.Thread):
    """Peak RSS of each server process, sampled every 0.25 s."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, dict.fromkeys(pids, 0.0), True

    def run(self) -> None:
        while self.running:
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mb(pid))
            time.sleep(0.25)


def settle(pids: list[int], limit: float) -> float:
    """Wait until the servers are idle (under 10% of a core for 2 s): the viewer-count
    messages of the connections have been delivered. Returns the seconds waited."""
    started, quiet = time.monotonic(), 0
    before = sum(cpu_seconds(p) for p in pids)
    while time.monotonic() - started < limit and quiet < 2:
        time.sleep(1)
        now = sum(cpu_seconds(p) for p in pids)
        quiet = quiet + 1 if now - before < 0.1 else 0
        before = now
    return time.monotonic() - started
