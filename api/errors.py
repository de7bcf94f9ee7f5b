"""One JSON error shape for every error, mapped from domain errors once (HANDLERS)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from coopgraph.cypher.library import QueryError
from coopgraph.cypher.sandbox import EngineCrashed, SandboxUnavailable
from coopgraph.errors import CoopgraphError, InputError, NotFoundError, StoreError
from coopgraph.graph.diff import YearDiffError
from coopgraph.graph.filters import NoSuchData
from coopgraph.graph.prospects import UnknownTarget
from coopgraph.viz.errors import MapError, NodeNotFound


class ErrorBody(BaseModel):
    """Every error response: HTTP status, a stable code, a Spanish-or-English message, details."""

    status: int
    code: str
    message: str
    details: dict[str, Any] = {}


class NotFound(CoopgraphError):
    """The thing asked for does not exist."""


class Unauthorized(CoopgraphError):
    """A key is needed and was missing or wrong."""


class Disabled(CoopgraphError):
    """The endpoint is switched off by configuration."""


class Busy(CoopgraphError):
    """Every query process is taken; the client should retry after `retry_after` seconds."""


# domain error -> HTTP status, most specific first
HANDLERS: list[tuple[type[CoopgraphError], int]] = [
    (EngineCrashed, 500), (SandboxUnavailable, 503), (Busy, 503), (NoSuchData, 404), (YearDiffError, 422), (NotFound, 404), (NodeNotFound, 404), (NotFoundError, 404),
    (UnknownTarget, 404), (MapError, 400), (Unauthorized, 401), (Disabled, 403), (QueryError, 400), (InputError, 422),
    (StoreError, 503), (CoopgraphError, 500),
]


PRIVATE_DETAILS = {"engine", "store", "retry_after"}  # engine texts and host paths stay on the server


def error_response(status: int, code: str, message: str, details: dict | None = None) -> JSONResponse:
    body = ErrorBody(status=status, code=code, message=message, details=details or {})
    return JSONResponse(body.model_dump(), status_code=status)


def responses(*statuses: int) -> dict:
    """OpenAPI `responses=` for a route, so the schema says which errors it can answer."""
    return {status: {"model": ErrorBody} for status in statuses}


def install(app: FastAPI) -> None:
    @app.exception_handler(CoopgraphError)
    async def domain(request: Request, exc: CoopgraphError):
        status = next(code for kind, code in HANDLERS if isinstance(exc, kind))
        details = {k: v for k, v in exc.details.items() if k not in PRIVATE_DETAILS}
        home = str(request.app.state.settings.home)
        message = exc.message.replace(home, "COOPGRAPH_HOME")  # the host's paths stay on the server
        response = error_response(status, _code(type(exc).__name__), message, details)
        if "retry_after" in exc.details:
            response.headers["Retry-After"] = str(exc.details["retry_after"])
        return response

    @app.exception_handler(RequestValidationError)
    async def validation(_: Request, exc: RequestValidationError):
        problems = [{"parameter": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                     "in": str(e["loc"][0]), "message": e["msg"]} for e in exc.errors()]
        first = problems[0] if problems else {"parameter": "?", "message": "invalid"}
        return error_response(422, "invalid_parameter", f"{first['parameter']}: {first['message']}",
                              {"problems": problems})

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException):
        return error_response(exc.status_code, "http_" + str(exc.status_code), str(exc.detail))


def _code(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
