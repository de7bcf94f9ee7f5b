"""Network analytics, money flows and graph exports for other systems."""
from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.models import Analytics, Sankey
from coopgraph.api.responses import json_response
from coopgraph.api.routers.summary import year_range
from coopgraph.cypher.library import run
from coopgraph.money import from_cents

router = APIRouter(tags=["analytics"])


class FlowDimension(str, Enum):
    sector = "sector"
    sdg = "sdg"
    pdd_objective = "pdd_objective"
    org_type = "org_type"
    country = "country"


QUERY_BY = {FlowDimension.sector: "contributions_by_sector", FlowDimension.sdg: "contributions_by_sdg",
            FlowDimension.pdd_objective: "contributions_by_pdd_objective",
            FlowDimension.org_type: "contributions_by_org_type", FlowDimension.country: "contributions_by_country"}


class Flows(BaseModel):
    by: str
    currency: str
    rows: list[dict[str, Any]]
    total_cop_is: str = "report"
    all_cooperation: dict[str, Any] | None = None


def _with_cop(row: dict) -> dict:
    """Each *_cents column also as exact COP (*_cop)."""
    out = dict(row)
    for key, value in row.items():
        if key.endswith("_cents") and value is not None:
            out[key.removesuffix("_cents") + "_cop"] = from_cents(value)
    return out


YEAR = Query(None, ge=1900, le=2100, description="one year")
FROM = Query(None, ge=1900, le=2100)
TO = Query(None, ge=1900, le=2100)


@router.get("/flows", response_model=Flows, responses=responses(422, 503),
            summary="Money of the monetary contributions by sector, ODS, PDD objective, organisation type or country")
def flows(request: Request, store: StoreDep, by: FlowDimension = FlowDimension.sector,
          year: int | None = YEAR, from_year: int | None = FROM, to_year: int | None = TO):
    """Money by one dimension (sector, ODS, PDD objective, cooperant type, …) for a year range, each row with its share."""
    years = year_range(year, from_year, to_year)
    from coopgraph.graph.all_cooperation import all_cooperation

    return json_response(request, lambda: {"by": by.value, "currency": "COP",
                                           "rows": [_with_cop(r) for r in run(store, QUERY_BY[by], **years)],
                                           "total_cop_is": "report",  # rows: contributions stated in COP
                                           "all_cooperation": all_cooperation(store, **years)})


@router.get("/flows/sankey", response_model=Sankey, responses=responses(422, 503),
            summary="Money along cooperant type → country → sector → entity → ODS / PDD objective (Sankey links)")
def sankey(request: Request, store: StoreDep, year: int | None = YEAR, from_year: int | None = FROM,
           to_year: int | None = TO):
    """The money flow chart's data: nodes, links and stages, each link's value in COP and centavos; what /maps/flows draws."""
    from coopgraph.analysis.analytics import analyze

    return json_response(request, lambda: analyze(store, **year_range(year, from_year, to_year))["flows"])


@router.get("/analytics", response_model=Analytics, responses=responses(422, 503),
            summary="Brokers, communities, concentration, single points of failure, gaps and flows (coopgraph analyze)")
def analytics(request: Request, store: StoreDep, year: int | None = YEAR, from_year: int | None = FROM,
              to_year: int | None = TO, sector: str | None = Query(None, max_length=100),
              network: str | None = Query(None, max_length=100), sdg: int | None = Query(None, ge=1, le=17)):
    """Network analytics of the organisation graph or a slice of it (year, sector, network, ODS): centralities, communities, k-core, single points of failure, concentration (HHI), counterpart ratio, alignment gaps and flows."""
    from coopgraph.analysis.analytics import analyze

    return json_response(request, lambda: analyze(store, **year_range(year, from_year, to_year), sector_id=sector,
                                                  network_id=network, sdg=sdg))


class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


@router.get("/exports/graph.{fmt}", responses={**responses(422, 503), 200: {"content": {
                "application/json": {"schema": {"type": "object", "description": "node-link JSON (NetworkX, d3)"}},
                "application/graphml+xml": {"schema": {"type": "string"}}, "application/gexf+xml": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}}}, "description": "the graph file"}},
            summary="The organisation graph, or a slice of it, as GraphML, GEXF, node-link JSON or CSV (edges)")
def export_graph(fmt: ExportFormat, request: Request, store: StoreDep, year: int | None = YEAR,
           from_year: int | None = FROM, to_year: int | None = TO, sector: str | None = Query(None, max_length=100),
           network: str | None = Query(None, max_length=100), sdg: int | None = Query(None, ge=1, le=17),
           sep: str = Query("comma", pattern="^(comma|semicolon)$",
                            description="CSV only: semicolon (and a decimal comma) for Excel set to Spanish")):
    """The organisation graph, or a slice of it, as a file: GraphML, GEXF 1.3 (Gephi), node-link JSON (names as labels) or CSV (Gephi's edge table; `sep=semicolon` writes `;` and a decimal comma)."""
    from coopgraph.analysis.exports import FORMATS, export_graph, with_cooperant_counts
    from coopgraph.analysis.projections import organisation_graph

    from coopgraph.analysis.filters import check_network, check_sector

    check_sector(store, sector)  # a slice that names nothing is an error naming what there is, not an empty file
    check_network(store, network)
    key = (store.version(), request.url.path, str(request.query_params))
    body = request.app.state.cache.get_or_compute_bytes(key, lambda: export_graph(with_cooperant_counts(organisation_graph(
        store, **year_range(year, from_year, to_year), sector_id=sector, network_id=network, sdg=sdg), store), fmt.value,
        delimiter=";" if sep == "semicolon" else ","))
    return Response(body, media_type=FORMATS[fmt.value],
                    headers={"Content-Disposition": f'attachment; filename="coopgraph.{fmt.value}"'})
