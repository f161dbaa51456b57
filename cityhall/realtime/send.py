"""Sending to WebSocket groups from page code, which runs on a worker thread.

`async_to_sync(layer.group_send)` from a page thread starts a fresh event loop for each call
(and with Redis a fresh connection), and with the in-process layer it touches queues owned by
the server's loop from another thread. So sends go to a loop that lives on:

- inside the ASGI server (the embedded `serve`), the server's own loop;
- elsewhere with a layer shared between processes (Redis: gunicorn for pages, management
  commands), one background loop per process, started on first use and drained at exit;
- otherwise (the in-process layer outside the server: tests, commands) there are no sockets to
  reach but the caller's own, and the send runs at once with async_to_sync.

On a loop that lives on, live comments can be gathered into batches (broadcasts/live.py).
"""

import asyncio
import atexit
import concurrent.futures
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from cityhall.realtime.layers import LocalChannelLayer

logger = logging.getLogger(__name__)
_server_loop: asyncio.AbstractEventLoop | None = None
_background_loop: asyncio.AbstractEventLoop | None = None
_background_lock = threading.Lock()
_pending: set[concurrent.futures.Future[Any]] = set()


class RememberServerLoop:
    """ASGI middleware for the WebSocket side: notes the loop the server runs consumers on."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        global _server_loop
        _server_loop = asyncio.get_running_loop()
        return await self.app(scope, receive, send)


def sender_loop() -> asyncio.AbstractEventLoop | None:
    """The long-lived loop this thread's sends go to, or None to send at once."""
    loop = _server_loop
    if loop is not None and loop.is_running():
        return None if _on_loop(loop) else loop
    if isinstance(get_channel_layer(), LocalChannelLayer | None):
        return None
    return _background()


def _background() -> asyncio.AbstractEventLoop:
    global _background_loop
    with _background_lock:
        if _background_loop is None or not _background_loop.is_running():
            loop = asyncio.new_event_loop()
            started = threading.Event()
            loop.call_soon(started.set)
            threading.Thread(target=loop.run_forever, name="group-send", daemon=True).start()
            started.wait()
            _background_loop = loop
        return _background_loop


def group_send(group: str, event: dict[str, Any]) -> None:
    """Send after a write has been saved: a layer that fails (Redis down) loses the event with
    a warning, never the write (pages catch up when they reconnect or poll)."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        loop = sender_loop()
        if loop is None:
            async_to_sync(layer.group_send)(group, event)
            return
        _run_on(loop, layer.group_send(group, event))
    except Exception:
        logger.warning("%s to %s dropped", event.get("type"), group, exc_info=True)


def send_on_commit(group: str, event: dict[str, Any]) -> None:
    """group_send once the current transaction commits (at once outside one), so pages never
    hear of a write that was rolled back; nothing is sent for a rolled-back write."""
    transaction.on_commit(lambda: group_send(group, event))


def _run_on(loop: asyncio.AbstractEventLoop, coroutine: Any) -> None:
    """Run a coroutine on that loop without waiting for it; failures are logged."""
    future = asyncio.run_coroutine_threadsafe(coroutine, loop)
    _pending.add(future)
    future.add_done_callback(_done)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _done(future: concurrent.futures.Future[Any]) -> None:
    _pending.discard(future)
    if not future.cancelled() and future.exception() is not None:
        logger.warning("group_send failed; the event is dropped", exc_info=future.exception())


@atexit.register
def _drain(timeout: float = 5.0) -> None:
    """A command that suspended a member still tells their open pages before it exits."""
    if _background_loop is not None and _pending:
        concurrent.futures.wait(list(_pending), timeout=timeout)
