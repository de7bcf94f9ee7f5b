"""The named query library: list it, run one with typed parameters."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from coopgraph.api.deps import SettingsDep, StoreDep
from coopgraph.api.errors import NotFound, responses
from coopgraph.api.models import NamedQueryInfo, QueryRows
from coopgraph.api.query_files import FILE_ANSWER, FileFormat, result_file
from coopgraph.api.responses import json_response
from coopgraph.cypher.library import library
from coopgraph.cypher.row_sources import with_sources
from coopgraph.cypher.sandbox import run_isolated

router = APIRouter(tags=["queries"])


@router.get("/queries", response_model=list[NamedQueryInfo], summary="The named Cypher queries")
def list_queries(request: Request):
    """The named Cypher queries, with their parameters and types."""
    return json_response(request, lambda: [
        {"name": q.name, "description": q.description, "url": f"/api/v1/queries/{q.name}",
         "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params.values()]}
        for q in library().values()])


@router.get("/queries/{name}", response_model=QueryRows, responses=responses(400, 404, 429, 500, 503),
            summary="Run a named query; its parameters go in the query string (?limit=5)")
def run_query(name: str, request: Request, store: StoreDep, settings: SettingsDep,
              sources: bool = Query(False, description="each row's sources (report lines) and basis")):
    """Run a named query; its parameters go in the query string (`?limit=5`), typed as `GET /api/v1/queries` lists them; `sources=true` adds each row's sources (the report's table and line of the node it is about) and basis."""
    query = _named(name)
    params = query.bind({k: v for k, v in request.query_params.items() if k != "sources"})

    def compute():  # parameters come from the network: a crash of the engine must stay in the child
        with request.app.state.query_slots.slot():
            result = run_isolated(query.text(store.dialect), params, settings, trusted=True, store=store)
        columns, rows = list(result.columns), result.rows
        if sources:
            columns, rows = with_sources(store, query.text(store.dialect), columns, rows)
        return {"columns": columns, "rows": rows, "truncated": result.truncated}

    return json_response(request, compute)


@router.get("/queries/{name}/export", response_class=Response, responses={**responses(400, 404, 429, 500, 503), **FILE_ANSWER},
            summary="Run a named query and download the answer as CSV or XLSX (?format=xlsx&limit=5)")
def export_query(name: str, request: Request, store: StoreDep, settings: SettingsDep,
                 format: FileFormat = Query(FileFormat.xlsx), semicolon: bool = Query(False)):
    """Run a named query and answer a file: CSV (UTF-8 with BOM; `semicolon=true` for spreadsheets set to Spanish) or XLSX, money in pesos as numbers; the query's parameters go in the query string beside `format`."""
    query = _named(name)
    given = {k: v for k, v in request.query_params.items() if k not in ("format", "semicolon")}
    params = query.bind(given)
    with request.app.state.query_slots.slot():
        result = run_isolated(query.text(store.dialect), params, settings, trusted=True, store=store)
    return result_file(result.columns, result.rows, format, name, semicolon=semicolon)


def _named(name: str):
    if name not in library():
        raise NotFound(f"no named query {name!r}", available=sorted(library()))
    return library()[name]
