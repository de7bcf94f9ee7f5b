"""One JSON error shape for every error. Each error class carries its HTTP status
(coopgraph/errors.py: NotFound 404, BadRequest 400, Unprocessable 422, Unavailable 503…), so this
module maps the bases once and knows no domain module."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from coopgraph.errors import CoopgraphError, Forbidden, NotFound, Unauthorized, Unavailable

__all__ = ["ErrorBody", "NotFound", "Unauthorized", "Disabled", "Busy", "error_response", "responses", "install"]


class ErrorBody(BaseModel):
    """Every error response: HTTP status, a stable code, a Spanish-or-English message, details."""

    status: int
    code: str
    message: str
    details: dict[str, Any] = {}


class Disabled(Forbidden):
    """The endpoint is switched off by configuration."""


class Busy(Unavailable):
    """Every query process is taken; the client should retry after `retry_after` seconds."""


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
        status = exc.http_status
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
