"""One JSON error shape for every error of the API. Each error class carries its HTTP status
(coopgraph/errors.py: NotFound 404, BadRequest 400, Unprocessable 422, Unavailable 503…), so this
module maps the bases once and knows no domain module.

Pages for people (/maps…, /profiles…, /query) answer the same errors, with the same status, as a short
HTML page in the page's language (?lang=, Spanish by default) with what was asked and a link back
(coopgraph/viz/error_page.py); everything under /api keeps the JSON."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
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


PAGE_ERROR = {"text/html": {"schema": {"type": "string"}}}


def page_responses(*statuses: int) -> dict:
    """OpenAPI `responses=` for a page: its errors are pages too, in the page's language (`page_response`)."""
    return {status: {"description": "An error page in the page's language", "content": PAGE_ERROR} for status in statuses}


PAGE_PREFIXES = ("/maps", "/profiles", "/query")  # pages for people; /api, /docs, /assets… answer JSON


def is_page(request: Request) -> bool:
    path = request.url.path[len(request.scope.get("root_path", "")):] if request.scope.get("root_path") else request.url.path
    return path == "/" or any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES)


def page_response(request: Request, status: int, *, asked: str | None = None, candidates=(), headers=None) -> HTMLResponse:
    error_html = request.app.state.error_page  # the maps' renderer, given by create_app: this module imports no surface
    lang = request.query_params.get("lang", "es")
    body = error_html(status, lang if lang in ("es", "en") else "es", asked=asked, candidates=list(candidates),
                      base=request.scope.get("root_path", ""))
    return HTMLResponse(body, status_code=status, headers=headers)


def _asked(request: Request, details: dict) -> str | None:
    """What the address asked for that could not be served: the id, target or view, else the path."""
    for key in ("id", "target", "view", "kind"):
        if details.get(key):
            return str(details[key])
    for key in ("id", "for", "ids"):
        if request.query_params.get(key):
            return request.query_params[key]
    return None


def install(app: FastAPI) -> None:
    @app.exception_handler(CoopgraphError)
    async def domain(request: Request, exc: CoopgraphError):
        status = exc.http_status
        if is_page(request):
            headers = {"Retry-After": str(exc.details["retry_after"])} if "retry_after" in exc.details else None
            return page_response(request, status, asked=_asked(request, exc.details),
                                 candidates=exc.details.get("candidates") or (), headers=headers)
        details = {k: v for k, v in exc.details.items() if k not in PRIVATE_DETAILS}
        home = str(request.app.state.settings.home)
        message = exc.message.replace(home, "COOPGRAPH_HOME")  # the host's paths stay on the server
        response = error_response(status, _code(type(exc).__name__), message, details)
        if "retry_after" in exc.details:
            response.headers["Retry-After"] = str(exc.details["retry_after"])
        return response

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError):
        problems = [{"parameter": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                     "in": str(e["loc"][0]), "message": e["msg"]} for e in exc.errors()]
        first = problems[0] if problems else {"parameter": "?", "message": "invalid"}
        if is_page(request):
            value = request.query_params.get(first["parameter"]) or request.path_params.get(first["parameter"])
            return page_response(request, 422, asked=f"{first['parameter']}={value}" if value else first["parameter"])
        return error_response(422, "invalid_parameter", f"{first['parameter']}: {first['message']}",
                              {"problems": problems})

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException):
        if is_page(request) and exc.status_code >= 400:
            return page_response(request, exc.status_code, asked=request.url.path if exc.status_code == 404 else None)
        return error_response(exc.status_code, "http_" + str(exc.status_code), str(exc.detail))


def _code(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
