"""Responses with exact money and ETags that follow the store's version."""
from __future__ import annotations

import hashlib
import threading
from decimal import Decimal
from typing import Annotated, Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import WithJsonSchema

from coopgraph.output import machine_json

# Money is an exact decimal number in JSON (34055833247.50), never a string or a rounded float.
Money = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "exact amount, two decimals"})]


class Cache:
    """Answers of expensive reads, kept per store version, so a reload refreshes them."""

    def __init__(self, size: int = 256):
        self.size = size
        self._data: dict[tuple, bytes] = {}
        self._guard = threading.Lock()  # held only to look up or store, never while computing
        self._computing: dict[tuple, threading.Lock] = {}  # one lock per key being computed

    def get_or_compute(self, key: tuple, compute: Callable[[], object]) -> bytes:
        return self.get_or_compute_bytes(key, lambda: machine_json(compute()).encode("utf-8"))

    def get_or_compute_bytes(self, key: tuple, compute: Callable[[], bytes]) -> bytes:
        """One computation per key (waiters of the same key share it); other keys never wait for it."""
        found = self._data.get(key)
        if found is not None:
            return found
        with self._guard:
            lock = self._computing.setdefault(key, threading.Lock())
        try:
            with lock:
                found = self._data.get(key)
                if found is None:
                    found = compute()
                    with self._guard:
                        if len(self._data) >= self.size:
                            self._data.pop(next(iter(self._data)))
                        self._data[key] = found
                return found
        finally:
            with self._guard:
                if self._computing.get(key) is lock and not lock.locked():
                    del self._computing[key]


def json_response(request: Request, compute: Callable[[], object], *, cache: bool = True) -> Response:
    """JSON with exact numbers and an ETag; 304 when the client already has this version."""
    store = request.app.state.store
    stamp = getattr(request.state, "data_stamp", None)  # read once per request by http_cache.DataVersion
    version = stamp["data_version"] if stamp and stamp["data_version"] else store.version()
    key = (version, request.url.path, str(request.query_params))

    def versioned():  # a JSON object says which data it comes from (loaders/history.py)
        answer = compute()
        return {**answer, "data_version": version} if isinstance(answer, dict) else answer

    body = (request.app.state.cache.get_or_compute(key, versioned) if cache
            else machine_json(versioned()).encode("utf-8"))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
