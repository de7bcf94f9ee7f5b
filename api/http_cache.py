"""HTTP caching as clients and proxies expect it: ETags, conditional GETs, Cache-Control, and the
pages' libraries served once under /assets.

- Every successful GET answer carries an ETag (the one a route set, else a digest of its body) and
  answers 304 to an `If-None-Match` that names it: strong or weak (`W/"…"`, compared weakly as RFC 9110
  says for GET), a list, or `*`.
- Cache-Control: data and pages are `no-cache` (a client may keep them but asks again, cheaply, with its
  ETag: a load changes them); assets are `immutable` for a year, since their URL carries their digest.
- gzip (Starlette's GZipMiddleware) sits outside; a compressed answer's ETag is made weak, because the
  bytes differ from the uncompressed ones (nginx does the same).
"""
from __future__ import annotations

import hashlib

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopgraph.viz import assets

ASSET_PREFIX = "/assets"
VERSION_HEADER = "x-coopgraph-data-version"
LOADED_HEADER = "x-coopgraph-loaded-at"
DATA = "no-cache"
ASSET = "public, max-age=31536000, immutable"

router = APIRouter(include_in_schema=False)


@router.get(ASSET_PREFIX + "/{name}")
def served_asset(name: str) -> Response:
    """A page's library or style sheet; its URL carries its digest, so browsers keep it for a year."""
    try:
        body, media_type, digest = assets.asset(name)
    except KeyError:
        raise HTTPException(404, f"no asset {name!r}")
    return Response(body, media_type=media_type, headers={"ETag": f'"{digest}"', "Cache-Control": ASSET})


def etag_matches(header: str | None, etag: str) -> bool:
    """Weak comparison of `etag` with an If-None-Match header (a list, `*`, strong or weak tags).

    >>> etag_matches('W/"a1", "b2"', '"b2"'), etag_matches('W/"b2"', '"b2"'), etag_matches("*", '"x"')
    (True, True, True)
    >>> etag_matches('"a1"', '"b2"'), etag_matches(None, '"b2"')
    (False, False)
    """
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(tag) == wanted for tag in header.split(","))


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


class ConditionalGet:
    """ETag, 304 and Cache-Control for every GET answer (pure ASGI: the body is buffered to digest it)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if start["status"] != 200:  # errors and redirects pass as they are
                    await send(message)
                return
            if start is None or start["status"] != 200:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(scope=start)
            # the data version is part of the digest: a page whose bytes a load left alone still changes tag
            version = headers.get(VERSION_HEADER, "").encode()
            etag = headers.get("etag") or '"' + hashlib.sha256(version + b"\n" + body).hexdigest()[:32] + '"'
            headers["ETag"] = etag
            headers.setdefault("Cache-Control", DATA)
            if etag_matches(wanted, etag):
                not_modified = {k: v for k, v in headers.items()
                                if k in ("etag", "cache-control", "vary", VERSION_HEADER, LOADED_HEADER)}
                await send({"type": "http.response.start", "status": 304,
                            "headers": [(k.encode(), v.encode()) for k, v in not_modified.items()]})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)


class DataVersion:
    """Every answer names the data it comes from: the data version and when its load happened
    (loaders/history.py), so a figure quoted in a briefing can be traced to its load."""

    def __init__(self, app: ASGIApp, store):
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ASSET_PREFIX):
            await self.app(scope, receive, send)
            return
        from coopgraph.loaders.history import stamp

        if self.store.dialect == "embedded":  # a symlink read
            found = _safe_stamp(stamp, self.store)
        else:  # a query to the server: off the event loop
            import anyio

            found = await anyio.to_thread.run_sync(_safe_stamp, stamp, self.store)
        scope.setdefault("state", {})["data_stamp"] = found  # routes reuse it (api/responses.py): one version read

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start" and found["data_version"]:
                headers = MutableHeaders(scope=message)
                headers[VERSION_HEADER] = found["data_version"]
                if found["loaded_at"]:
                    headers[LOADED_HEADER] = found["loaded_at"]
            await send(message)

        await self.app(scope, receive, stamped)


def _safe_stamp(stamp, store) -> dict:
    try:
        return stamp(store)
    except Exception:  # a store that cannot answer: the route's own error says why
        return {"data_version": None, "loaded_at": None}


class WeakenEncodedETags:
    """Outside gzip: an answer whose bytes were re-encoded keeps its ETag, marked weak."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def weakened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                etag = headers.get("etag")
                if etag and headers.get("content-encoding") and not etag.startswith("W/"):
                    headers["ETag"] = "W/" + etag
            await send(message)

        await self.app(scope, receive, weakened)


class LinkedAssets:
    """Pages the server renders link /assets instead of inlining 5 MB of libraries (viz/assets.py)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with assets.linked(scope.get("root_path", "") + ASSET_PREFIX):
            await self.app(scope, receive, send)
