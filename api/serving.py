"""How `coopgraph serve` reads requests: uvicorn's h11 protocol with a read deadline.

uvicorn bounds the wait between requests on a kept-alive connection (`timeout_keep_alive`) but not
the time a client takes to send one: a client sending its headers a byte at a time held a
connection (and its buffers) for as long as it liked. Here a request's headers and body must have
arrived within `COOPGRAPH_API_READ_TIMEOUT_S` of its first byte (of the connection, for the first
request); past it, a client still sending headers gets 408 and the connection closes, one still
sending a body is disconnected (the route sees the disconnect). The time an answer takes is not
counted: the deadline ends once the request is read.
"""
from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                   b"connection: close\r\ncontent-length: 38\r\n\r\nthe request took too long to arrive.\r\n")


def guarded_protocol(read_timeout_s: float) -> type[H11Protocol]:
    """An h11 protocol class whose requests must be read within `read_timeout_s` seconds."""

    class ReadDeadlineH11(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            self._read_deadline: asyncio.TimerHandle | None = None
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._read_deadline is None and self._between_requests():
                self._arm()  # the first byte of the next request on a kept-alive connection
            super().data_received(data)
            if self.cycle is not None and not self.cycle.more_body and not self.cycle.response_complete:
                self._disarm()  # headers and body are in: the answer's time is the route's

        def on_response_complete(self) -> None:
            self._disarm()  # answered (perhaps before reading the whole body): keep-alive takes over
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _between_requests(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _arm(self) -> None:
            self._disarm()
            self._read_deadline = self.loop.call_later(read_timeout_s, self._too_slow)

        def _disarm(self) -> None:
            if self._read_deadline is not None:
                self._read_deadline.cancel()
                self._read_deadline = None

        def _too_slow(self) -> None:
            self._read_deadline = None
            if self.transport.is_closing():
                return
            if self._between_requests():  # still sending headers: no route has seen it
                self.transport.write(_TIMEOUT_ANSWER)
            self.transport.close()

    return ReadDeadlineH11
