"""Sending to WebSocket groups from page code, which runs on a worker thread.

`async_to_sync(layer.group_send)` from a page thread starts a fresh event loop for each call
(and with Redis a fresh connection), and with the in-process layer it touches queues owned by
the server's loop from another thread. When the page runs inside the ASGI server (the embedded
`serve`), the send is handed to the server's own loop instead; elsewhere (gunicorn for pages,
management commands, tests without a server) it falls back to async_to_sync.
"""

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)
_server_loop: asyncio.AbstractEventLoop | None = None


class RememberServerLoop:
    """ASGI middleware for the WebSocket side: notes the loop the server runs consumers on."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        global _server_loop
        _server_loop = asyncio.get_running_loop()
        return await self.app(scope, receive, send)


def server_loop() -> asyncio.AbstractEventLoop | None:
    """The ASGI server's running loop, when this code runs inside it on another thread."""
    loop = _server_loop
    if loop is not None and loop.is_running() and not _on_loop(loop):
        return loop
    return None


def group_send(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _server_loop
    if loop is not None and loop.is_running() and not _on_loop(loop):
        future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
        future.add_done_callback(_log_failure)
        return
    async_to_sync(layer.group_send)(group, event)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _log_failure(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("group_send failed", exc_info=future.exception())
