"""Limits the API applies before any route (and so before authentication) runs."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from coopgraph.api.errors import Busy, error_response


class BodyLimit:
    """ASGI middleware: a body larger than `max_bytes` gets 413 without being read past the limit."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(scope, receive, send)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:  # a chunked body with no Content-Length grew past the limit
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        response = error_response(413, "body_too_large", f"the request body is larger than {self.max_bytes} bytes")
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class QuerySlots:
    """At most `size` query processes at once; a request waits `wait_s` for a slot, then gets 503."""

    def __init__(self, size: int, wait_s: float):
        self._free = threading.BoundedSemaphore(max(1, size))
        self.wait_s = wait_s

    @contextmanager
    def slot(self):
        if not self._free.acquire(timeout=self.wait_s):
            raise Busy("too many queries are running; try again in a moment", retry_after=1)
        try:
            yield
        finally:
            self._free.release()
