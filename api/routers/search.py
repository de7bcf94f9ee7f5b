"""One search for every node a strategist may mean: accents, case, acronyms, aliases, word order and
typos, ranked and typed (coopgraph.analysis.search, the same rules as the maps' search box)."""
from __future__ import annotations

from enum import Enum

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.responses import json_response
from coopgraph.analysis.search import KIND_RANK, search as run_search
from coopgraph.graph.model import model

router = APIRouter(tags=["search"])
LABELS = {kind: label.name for kind, label in model().kinds().items()}  # graph/schema/nodes.yaml


SearchKind = Enum("SearchKind", {k.replace("-", "_"): k for k in KIND_RANK}, type=str)


class SearchHit(BaseModel):
    kind: str
    node_label: str
    id: str
    name: str
    acronym: str | None = None
    roles: list[str]
    score: float
    map_id: str
    profile: str | None = None


@router.get("/search", response_model=list[SearchHit], responses=responses(422, 503),
            summary="Find any node by what people type: accents and case ignored, acronyms (SDA, BID), aliases, "
                    "any word order, typos; best first")
def search(request: Request, store: StoreDep, q: str = Query(..., min_length=1, max_length=200),
           kind: list[SearchKind] = Query([], description="keep only these kinds (repeat the parameter)"),
           limit: int = Query(20, ge=1, le=200)):
    """Find any organisation, network, project, ODS, PDD objective or sector as people type it: accents, acronyms, any word order, typos."""
    def compute():
        hits = run_search(store, q, limit=limit, kinds={k.value for k in kind} or None)
        return [{**h.to_dict(), "node_label": LABELS[h.kind],
                 "profile": f"/profiles/{h.kind}/{h.id}" if h.kind != "sector" else None} for h in hits]

    return json_response(request, compute)
