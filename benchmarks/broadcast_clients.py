"""The load for measure_broadcast.py: WebSocket viewers and HTTP commenters, one asyncio loop
per process. Nothing here imports Django; each process gets cookies and ports and sends back
counts and latency histograms.

A comment's body carries the commenter's clock (`bench t=<unix time> …`) taken just before the
request is written; a viewer subtracts it from its own clock on receipt. Both run on the same
machine, so the clocks agree.
"""

import asyncio
import json
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

BIN = 10  # latency histogram bins per millisecond (0.1 ms resolution)
CONNECT_CONCURRENCY = 50  # handshakes in flight per viewer process
POST_TIMEOUT = 60  # seconds; a comment not answered by then counts as an error


def raise_open_files() -> int:
    """Sockets are files: lift the soft limit to the hard one."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def event_loop() -> Any:
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:
        return asyncio.new_event_loop()


@dataclass
class Received:
    """What a viewer process received since the last report."""

    comments: int = 0  # comment messages
    others: Counter = field(default_factory=Counter)  # viewer counts, errors, anything else
    latency: Counter = field(default_factory=Counter)  # bin -> comment deliveries
    dropped: int = 0  # sockets the server closed before the end

    def add(self, other: "Received") -> None:
        self.comments += other.comments
        self.others.update(other.others)
        self.latency.update(other.latency)
        self.dropped += other.dropped


# --- viewers ----------------------------------------------------------------------------


async def _watch(ws: Any, box: list[Received], stopping: asyncio.Event) -> None:
    try:
        async for raw in ws:
            now = time.time()
            got = box[0]
            # Cheap parse: each comment carries "bench t=" in its body (a message holds a batch
            # of them); anything else is counted by its type (nearly always the viewer count).
            at = raw.find("bench t=")
            if at >= 0:
                while at >= 0:
                    sent = float(raw[at + 8 : raw.index(" ", at + 8)])
                    got.comments += 1
                    got.latency[int((now - sent) * 1000 * BIN)] += 1
                    at = raw.find("bench t=", at + 8)
            elif raw.startswith('{"type": "viewers"'):
                got.others["viewers"] += 1
            else:
                got.others[json.loads(raw).get("type", "?")] += 1
    except Exception as error:  # any failure is a dropped viewer
        box[0].others[f"error: {type(error).__name__}"] += 1
    if not stopping.is_set():
        box[0].dropped += 1


async def _viewers(url: str, ports: list[int], cookies: list[str], control: Any) -> None:
    from websockets.asyncio.client import connect

    box = [Received()]  # swapped for a fresh one at each report
    stopping = asyncio.Event()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    sockets: list[Any] = []
    watchers: list[asyncio.Task] = []
    errors: Counter = Counter()

    async def open_one(i: int, cookie: str) -> None:
        port = ports[i % len(ports)]
        async with gate:
            try:
                ws = await connect(
                    url.format(port=port),
                    origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
                    additional_headers={"Cookie": f"sessionid={cookie}"},
                    compression=None,
                    open_timeout=180,
                    ping_interval=None,
                    max_queue=None,
                    close_timeout=1,
                )
            except Exception as error:
                errors[f"{type(error).__name__}: {str(error)[:60]}"] += 1
                return
        sockets.append(ws)
        watchers.append(asyncio.create_task(_watch(ws, box, stopping)))

    started = time.monotonic()
    await asyncio.gather(*(open_one(i, c) for i, c in enumerate(cookies)))
    control.send(("connected", len(sockets), dict(errors), time.monotonic() - started))
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, control.recv) == "report":
        got, box[0] = box[0], Received()
        control.send(("report", got))
    stopping.set()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    await asyncio.gather(*watchers, return_exceptions=True)
    control.send(("done", box[0]))


def viewer_process(url: str, ports: list[int], cookies: list[str], control: Any) -> None:
    """Open one WebSocket per cookie (spread over the ports), then answer "report" with what
    arrived since the last one, until "stop"."""
    raise_open_files()
    event_loop().run_until_complete(_viewers(url, ports, cookies, control))


# --- commenters -------------------------------------------------------------------------


@dataclass
class CommenterStats:
    statuses: Counter = field(default_factory=Counter)
    latency: Counter = field(default_factory=Counter)  # POST round trip, bins
    errors: Counter = field(default_factory=Counter)


class HttpConnection:
    """A keep-alive HTTP/1.1 connection: just enough client for one form POST at a time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, form: dict[str, str], headers: dict[str, str]) -> int:
        reused = self.writer is not None
        try:
            return await self._post(path, form, headers)
        except (ConnectionError, asyncio.IncompleteReadError):
            if not reused:
                raise
        # The server closed the idle keep-alive connection before reading the request
        # (uvicorn's keep-alive timeout is 5 s): send it again on a new connection.
        self.writer = None
        return await self._post(path, form, headers)

    async def _post(self, path: str, form: dict[str, str], headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        body = urlencode(form).encode()
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        assert self.reader
        status_line = await self.reader.readline()
        if not status_line:
            self.writer = None
            raise ConnectionError("closed by the server")
        length, chunked = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(length)
        return int(status_line.split()[1])


async def _commenters(plan: dict[str, Any]) -> CommenterStats:
    stats = CommenterStats()
    path = f"/broadcasts/episodes/{plan['episode']}/comments/new/"
    token = plan["csrf"]
    period, count = plan["period"], len(plan["cookies"])
    start = time.time() + 1
    end = start + plan["seconds"]

    async def commenter(i: int, cookie: str) -> None:
        port = plan["ports"][i % len(plan["ports"])]
        http = HttpConnection(port)
        headers = {
            "Cookie": f"sessionid={cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": f"http://127.0.0.1:{port}",
            "Accept": "application/json",
        }
        at = start + period * i / count  # spread evenly over the period
        n = 0
        while at < end:
            await asyncio.sleep(max(0.0, at - time.time()))
            sent = time.time()
            body = f"bench t={sent:.6f} c={i} n={n} 庁内放送へのコメント"
            try:
                status = await asyncio.wait_for(
                    http.post(path, {"body": body}, headers), POST_TIMEOUT
                )
                stats.statuses[status] += 1
            except Exception as error:
                stats.errors[type(error).__name__] += 1
                http = HttpConnection(port)
            stats.latency[int((time.time() - sent) * 1000 * BIN)] += 1
            n += 1
            at += period

    await asyncio.gather(*(commenter(i, c) for i, c in enumerate(plan["cookies"])))
    return stats


def commenter_process(plan: dict[str, Any], control: Any) -> None:
    """Each cookie posts one comment every `period` seconds for `seconds`, spread evenly."""
    raise_open_files()
    loop = event_loop()
    control.send(("done", loop.run_until_complete(_commenters(plan))))


def percentile(histogram: Counter, p: float) -> float:
    """Milliseconds at the p-th percentile of a histogram of 0.1 ms bins (nearest rank)."""
    total = sum(histogram.values())
    if not total:
        return float("nan")
    rank, seen = max(1, round(p / 100 * total)), 0
    for key in sorted(histogram):
        seen += histogram[key]
        if seen >= rank:
            return key / BIN
    return max(histogram) / BIN
