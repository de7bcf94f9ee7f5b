"""GET /api/v1/sources/{id} — where a fact comes from: report lines quoted, curated file and line, basis."""
from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.responses import json_response
from coopgraph.graph.provenance import fact_sources

router = APIRouter(tags=["provenance"])


class Basis(str, Enum):
    stated = "stated"
    derived = "derived"
    outside = "outside"


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
    def compute():
        data = fact_sources(store, id)
        if basis is not None:
            data["sources"] = [s for s in data["sources"] if s["basis"] == basis.value]
            data["relationships"] = [r for r in data["relationships"] if r["basis"] == basis.value]
        return data

    return json_response(request, compute)
