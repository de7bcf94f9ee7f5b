"""Organisations (district entities, cooperants, city networks): list, and one with neighbours and
sources. (Search lives in routers/search.py.)"""
from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import NotFound, responses
from coopgraph.api.responses import json_response
from coopgraph.cypher.library import run
from coopgraph.graph.model import Basis, model

router = APIRouter(tags=["organisations"])


class Kind(str, Enum):
    cooperant = "cooperant"
    entity = "entity"
    network = "network"


LABELS = {kind: model().kinds()[kind.value].name for kind in Kind}  # graph/schema/nodes.yaml
PROFILES = {Kind.cooperant: "cooperant_profile", Kind.entity: "district_entity_profile",
            Kind.network: "network_profile"}


class OrganisationRow(BaseModel):
    kind: str
    id: str
    name: str
    country: str | None = None
    iati_type: int | None = None
    sector_id: str | None = None


class OrganisationPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[OrganisationRow]


class Organisation(BaseModel):
    kind: str
    id: str
    profile: dict[str, Any]
    neighbours: list[dict[str, Any]]
    sources: list[dict[str, Any]]


@router.get("/organisations", response_model=OrganisationPage, responses=responses(422, 503),
            summary="Organisations with filters, a page at a time")
def list_organisations(request: Request, store: StoreDep,
                       kind: Kind | None = Query(None, description="cooperant, entity or network"),
                       q: str = Query("", max_length=200, description="name fragment, accents and case ignored"),
                       country: str = Query("", pattern=r"^([A-Z]{2})?$", description="ISO 3166-1 alpha-2"),
                       iati_type: int = Query(0, ge=0, le=99, description="IATI OrganisationType code"),
                       sector: str = Query("", max_length=100, description="sector id, e.g. movilidad"),
                       offset: int = Query(0, ge=0, le=10_000), limit: int = Query(50, ge=1, le=500)):
    """District entities, cooperants and city networks, a page at a time, with their money and counts."""
    filters = {"kind": LABELS[kind] if kind else "", "q": q, "country": country, "iati_type": iati_type,
               "sector": sector}

    def compute():
        total = run(store, "organisations_count", **filters)[0]["total"]
        # past the end there is nothing to read (and LadybugDB 0.22 can crash on ORDER BY with SKIP
        # beyond the rows: see docs/engine.md)
        items = run(store, "organisations", **filters, skip=offset, limit=limit) if offset < total else []
        return {"total": total, "offset": offset, "limit": limit, "items": items}

    return json_response(request, compute)


@router.get("/organisations/{kind}/{id}", response_model=Organisation, responses=responses(404, 422, 503),
            summary="One organisation: profile with money by year range, neighbours, and where each fact came from")
def get_organisation(kind: Kind, id: str, request: Request, store: StoreDep,
                     basis: str = Query("", pattern=rf"^({'|'.join(b.value for b in Basis)})?$",
                                        description="only links and sources of this basis: stated, derived or outside")):
    """One organisation with its money, partners and provenance."""
    label = LABELS[kind]

    def compute():
        profile = run(store, PROFILES[kind], id=id)
        if not profile:
            raise NotFound(f"no {kind.value} with id {id!r}")
        neighbours = [r for r in run(store, "organisation_neighbours", id=id, basis=basis) if r["node_label"] == label]
        return {"kind": kind.value, "id": id, "profile": profile[0], "neighbours": neighbours,
                "sources": run(store, "node_sources", id=id, basis=basis)}

    return json_response(request, compute)
