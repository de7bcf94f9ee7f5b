"""GET /api/v1/sources/{id} — where a fact comes from: report lines quoted, curated file and line, basis."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.responses import json_response
from coopgraph.graph.model import Basis
from coopgraph.analysis.provenance import fact_sources, facts

router = APIRouter(tags=["provenance"])


class FactSources(BaseModel):
    id: str
    label: str
    name: str
    basis: str | None = None
    sources: list[dict[str, Any]]
    relationships: list[dict[str, Any]]


@router.get("/sources/{id}", response_model=FactSources, responses=responses(404, 422, 503),
            summary="A node's sources and those of its relationships, with the report's sentences; filter by basis")
def get_sources(id: str, request: Request, store: StoreDep,
                basis: Basis | None = Query(None, description="only facts the report states, coopgraph derived, or that come from outside")):
    """Where a fact comes from: the report lines that state it (quoted), the curated file and line, and whether the report states it or coopgraph derived it."""
    def compute():
        data = fact_sources(store, id)
        if basis is not None:
            data["sources"] = [s for s in data["sources"] if s["basis"] == basis.value]
            data["relationships"] = [r for r in data["relationships"] if r["basis"] == basis.value]
        return data

    return json_response(request, compute)


class FactPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


@router.get("/facts", response_model=FactPage, responses=responses(422, 503),
            summary="Every fact (relationship) with its provenance, filtered by basis and type, a page at a time")
def list_facts(request: Request, store: StoreDep,
               basis: Basis | None = Query(None, description="stated, derived or outside"),
               type: str = Query("", pattern=r"^[A-Z_]*$", max_length=40, description="one relationship type, e.g. ADVANCES"),
               offset: int = Query(0, ge=0, le=1_000_000), limit: int = Query(100, ge=1, le=1000)):
    """Every fact (relationship) with its provenance, a page at a time; filter by basis or type."""
    def compute():
        found = facts(store, basis=basis.value if basis else None, rel_type=type or None)
        return {"total": len(found), "offset": offset, "limit": limit, "items": found[offset:offset + limit]}

    return json_response(request, compute)
