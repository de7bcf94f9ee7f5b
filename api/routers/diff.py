"""GET /api/v1/diff — what changed between two years, as `coopgraph diff --json`; /maps/diff draws it."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import page_responses, responses
from coopgraph.api.models import YearDiff
from coopgraph.api.responses import json_response

router = APIRouter(tags=["diff"])
pages = APIRouter(tags=["maps"])

FROM = Query(..., alias="from", ge=1900, le=2100, description="the earlier year, e.g. 2023")
TO = Query(..., alias="to", ge=1900, le=2100, description="the later year, e.g. 2024")
CONSTANT = Query(None, ge=1900, le=2100, description="year whose average rates convert both years (default: to)")


@router.get("/diff", response_model=YearDiff, responses=responses(404, 422, 503),
            summary="Partners gained, lost and kept; money change at each year's and at constant rates; brokers; communities")
def get_diff(request: Request, store: StoreDep, from_year: int = FROM, to_year: int = TO, constant: int | None = CONSTANT):
    """What changed between two years: partners gained, lost and kept, money change at each year's own rates and at constant rates, broker rank changes, communities formed or split."""
    from coopgraph.analysis.diff import year_diff

    return json_response(request, lambda: year_diff(store, from_year, to_year, constant_year=constant))


@pages.get("/maps/diff", response_class=HTMLResponse, responses=page_responses(404, 422, 503),
           summary="The change map: new, lost and kept links between two years, nodes sized by their change")
def diff_map(store: StoreDep, from_year: int = FROM, to_year: int = TO, lang: str = Query("es", pattern="^(es|en)$")):
    """The map of what changed between two years, as an HTML page."""
    from coopgraph.viz.diff_map import diff_map_html

    return HTMLResponse(diff_map_html(store, from_year, to_year, lang=lang))
