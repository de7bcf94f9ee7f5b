"""Who to approach next: partner prospects for an entity, sector, ODS, PDD objective or city network."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import page_responses, responses
from coopgraph.api.models import Prospects, ProspectTarget
from coopgraph.api.responses import json_response
from coopgraph.api.routers.summary import year_range

router = APIRouter(tags=["prospects"])
pages = APIRouter(tags=["maps"])  # the prospect map, served beside the other maps (registered before /maps/{view})

YEAR = Query(None, ge=1900, le=2100, description="one year")


@router.get("/prospects", response_model=Prospects, responses=responses(404, 422, 503),
            summary="Cooperants not yet engaged with a target, ranked, each with its evidence and sources")
def get_prospects(request: Request, store: StoreDep,
                  target: str = Query(..., alias="for", min_length=1, max_length=200,
                                      description="entity:sda, sector:ambiente, sdg:13, pdd-objective:4 or network:c40"),
                  top: int = Query(10, ge=1, le=500), lang: str = Query("es", pattern="^(es|en)$"),
                  year: int | None = YEAR, from_year: int | None = Query(None, ge=1900, le=2100),
                  to_year: int | None = Query(None, ge=1900, le=2100)):
    """Who to approach next for a target (an entity, sector, ODS, PDD objective or network): cooperants not yet engaged, ranked by link prediction, each with its evidence and sources."""
    from coopgraph.analysis.prospects import prospects

    return json_response(request, lambda: prospects(store, target, top=top, lang=lang,
                                                    **year_range(year, from_year, to_year)))


@router.get("/prospects/targets", response_model=list[ProspectTarget], responses=responses(503),
            summary="Every id /prospects?for= accepts, with its name")
def get_targets(request: Request, store: StoreDep):
    """The ids prospects can be asked for."""
    from coopgraph.analysis.prospects import targets

    return json_response(request, lambda: targets(store))


@pages.get("/maps/prospects", response_class=HTMLResponse, responses=page_responses(400, 404, 422, 503),
           summary="The prospect map of a target: who works with it and who could (dashed, sized by score)")
def prospect_map(store: StoreDep,
                 target: str = Query(..., alias="for", min_length=1, max_length=200,
                                     description="entity:sda, sector:ambiente, sdg:13, pdd-objective:4 or network:c40"),
                 top: int = Query(10, ge=1, le=50), lang: str = Query("es", pattern="^(es|en)$")):
    """The prospect map of a target, as an HTML page."""
    from coopgraph.viz.prospect_map import prospect_map_html

    return HTMLResponse(prospect_map_html(store, target, top=top, lang=lang))
