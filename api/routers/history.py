"""GET /api/v1/history — every load that made the data, and every rollback (`coopgraph history --json`)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.models import History
from coopgraph.api.responses import json_response
from coopgraph.loaders import history

router = APIRouter(tags=["history"])


@router.get("/history", response_model=History, responses=responses(503),
            summary="Every load and rollback: when, which files, the figures before and after")
def get_history(request: Request, store: StoreDep):
    """The log of loads, oldest first: the data version each made current, when, which files (name, checksum, rows added, changed, held and removed), the headline figures before and after, and whether its data is still kept for a rollback."""
    return json_response(request, lambda: {"loads": history.entries(store)})
