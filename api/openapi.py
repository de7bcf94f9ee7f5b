"""The OpenAPI document, made to tell the truth about the server.

- operationIds are the route functions' names (`get_summary`, `run_query`), stable across versions;
- every error status of the API answers the one error shape (`ErrorBody`, api/errors.py) as JSON, and
  a page's errors are pages in its language (text/html); FastAPI's own `HTTPValidationError` is not what a 422 carries, so it is not declared;
- every operation has a description (its function's docstring) and a typed 200 (tests/api/test_openapi.py).
"""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from coopgraph.api.errors import PAGE_ERROR

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
UNDECLARED = ("HTTPValidationError", "ValidationError")


def operation_id(route: APIRoute) -> str:
    return route.name


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi


def document(app: FastAPI) -> dict:
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            page = "text/html" in (operation.get("responses", {}).get("200", {}).get("content") or {})
            for status, answer in operation.get("responses", {}).items():
                if not status.startswith("2"):
                    answer["content"] = dict(PAGE_ERROR) if page else {"application/json": {"schema": ERROR_REF}}
                    answer.setdefault("description", "an error page in the page's language" if page else
                                      "error: the one error shape")
    schemas = spec.get("components", {}).get("schemas", {})
    for name in UNDECLARED:
        schemas.pop(name, None)
    return spec
