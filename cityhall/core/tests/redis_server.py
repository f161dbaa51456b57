"""A Redis server of a test's own, on a free port, that the test can stop and start again.

Without `redis-server` the test is skipped, except in CI (env CI set), where it fails.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def real_clock_env() -> dict[str, str]:
    """CI runs the suite a year ahead with libfaketime preloaded; redis-server hangs under it,
    and the server has no business with the suite's clock."""
    return {
        key: value
        for key, value in os.environ.items()
        if key != "LD_PRELOAD" and not key.startswith("FAKETIME")
    }


class RedisServer:
    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(self.executable, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_env(),
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    message = f"redis-server did not start on port {self.port}"
                    raise RuntimeError(message) from error
                time.sleep(0.05)
        client.close()

    def freeze(self) -> None:
        """Stopped but not gone (SIGSTOP): connections stay open and nothing answers, as when
        the network fails; its data is there again after `thaw`."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def redis_server_or_skip() -> str:
    executable = shutil.which("redis-server")
    if executable:
        return executable
    if os.environ.get("CI"):
        pytest.fail("redis-server is needed in CI (apt-get install redis-server)")
    pytest.skip("redis-server is not installed")


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A running Redis server of this test's own, stopped when the test ends."""
    server = RedisServer(redis_server_or_skip())
    server.start()
    try:
        yield server
    finally:
        server.stop()
