"""POST /api/v1/cypher — analysts' own Cypher: needs the API key, read-only, time- and row-bounded."""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from coopgraph.api.deps import SettingsDep, StoreDep
from coopgraph.api.errors import Disabled, Unauthorized, responses
from coopgraph.api.models import CypherRequest, QueryRows
from coopgraph.api.query_files import FILE_ANSWER, FileFormat, result_file
from coopgraph.api.responses import json_response
from coopgraph.cypher.sandbox import run_isolated

router = APIRouter(tags=["cypher"])


@router.post("/cypher", response_model=QueryRows, responses=responses(400, 401, 403, 413, 422, 429, 500, 503),
             summary="Run read-only Cypher (header X-API-Key; off when COOPGRAPH_API_KEY is unset)")
def post_cypher(body: CypherRequest, request: Request, store: StoreDep, settings: SettingsDep,
                x_api_key: Annotated[str | None, Header()] = None):
    """Run an analyst's own Cypher: reading clauses only (the statement policy refuses the rest), in a confined process, bounded in time, rows and bytes. Needs the API key when one is set."""
    _check_key(settings, x_api_key)

    def compute():
        with request.app.state.query_slots.slot():
            result = run_isolated(body.query, body.params, settings, store=store)
        return {"columns": result.columns, "rows": result.rows, "truncated": result.truncated}

    return json_response(request, compute, cache=False)


@router.post("/cypher/export", response_class=Response, responses={**responses(400, 401, 403, 413, 422, 429, 500, 503), **FILE_ANSWER},
             summary="Run read-only Cypher and download the answer as CSV or XLSX (header X-API-Key)")
def export_cypher(body: CypherRequest, request: Request, settings: SettingsDep, store: StoreDep,
                  format: FileFormat = Query(FileFormat.xlsx), semicolon: bool = Query(False),
                  x_api_key: Annotated[str | None, Header()] = None):
    """Run an analyst's own Cypher as POST /api/v1/cypher does and answer a file: CSV (UTF-8 with BOM; `semicolon=true` for spreadsheets set to Spanish) or XLSX, money in pesos as numbers."""
    _check_key(settings, x_api_key)
    with request.app.state.query_slots.slot():
        result = run_isolated(body.query, body.params, settings, store=store)
    return result_file(result.columns, result.rows, format, "consulta", semicolon=semicolon)


def _check_key(settings, x_api_key: str | None) -> None:
    if settings.api_key is None:
        raise Disabled("the cypher endpoint is off: set COOPGRAPH_API_KEY to enable it")
    # Header values arrive as latin-1 text: back to their bytes, any bytes compare in constant time
    given = (x_api_key or "").encode("latin-1", errors="replace")
    if x_api_key is None or not hmac.compare_digest(given, settings.api_key.get_secret_value().encode("utf-8")):
        raise Unauthorized("a valid X-API-Key header is required")
