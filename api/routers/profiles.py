"""Profiles ("fichas"): one organisation, project, ODS or PDD objective with its headline figures,
partners, ODS and PDD mix, networks, engagements, people, events, years and sources — as JSON, CSV
or XLSX under /api/v1/profiles, and as a printable page under /profiles."""
from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import NotFound, page_responses, responses
from coopgraph.api.responses import json_response
from coopgraph.analysis.profiles import KINDS, ProfileNotFound, build_profile
from coopgraph.viz.profiles import profile_csv, profile_html, profile_xlsx

router = APIRouter(tags=["profiles"])        # /api/v1/profiles/…
pages = APIRouter(tags=["profiles"])         # /profiles/… (pages for people, beside /maps)
LANG = Query("es", pattern="^(es|en)$", description="es (default) or en")
ProfileKind = Enum("ProfileKind", {k.replace("-", "_"): k for k in KINDS}, type=str)  # the fichas' kinds, not the maps'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Format(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Separator(str, Enum):
    comma = "comma"
    semicolon = "semicolon"


class ComparedProfile(BaseModel):
    kind: str
    id: str
    name: str
    acronym: str | None = None
    roles: list[str]
    details: dict[str, Any]


class ComparedFigure(BaseModel):
    key: str = Field(description="money, cooperant_cents, counterpart_cents, counterpart_per_cooperant_peso, "
                                 "contributions, interactions, partners, top_share_pct, hhi, sdgs, engagements, events, networks")
    unit: str = Field(description="cop_cents (COP centavos), count, pct, ratio or index")
    values: list[dict[str, Any]] = Field(description="one per profile, in the order asked: value (null: no data), "
                                                     "unit, basis, sources; money also as value_cents and "
                                                     "value_cop")


class Comparison(BaseModel):
    profiles: list[ComparedProfile]
    rows: list[ComparedFigure]
    data_version: str | None = None


IDS = Query(..., min_length=3, max_length=400, description="2 to 4 kind:id, comma-separated: cooperant:bid,network:c40")


@router.get("/profiles/compare", response_model=Comparison, responses=responses(404, 422, 503),
            summary="Two to four profiles side by side: their headline figures aligned by what they measure")
def compare_profiles(request: Request, store: StoreDep, ids: str = IDS):
    """The headline figures of 2 to 4 profiles (`ids=cooperant:bid,network:c40`) in aligned rows — money (given, received or channelled), cooperant and counterpart parts, counterpart per cooperant peso, contributions, interactions, partners, concentration, engagements — each value with its basis; the page for people is `/profiles/compare`."""
    from coopgraph.analysis.compare import compare_profiles as compute

    def answer():
        data = compute(store, ids)
        data.pop("data", None)
        return data

    return json_response(request, lambda: _not_found(answer))


def _not_found(compute):
    try:
        return compute()
    except ProfileNotFound as exc:
        raise NotFound(exc.message, **exc.details) from exc


class ProfileBody(BaseModel):
    kind: str
    id: str
    name: str
    acronym: str | None = None
    roles: list[str]
    details: dict[str, Any]
    headline: list[dict[str, Any]]
    sections: list[dict[str, Any]]


def _profile(store, kind: str, id: str):
    try:
        return build_profile(store, kind, id)
    except ProfileNotFound as exc:
        raise NotFound(exc.message, **exc.details) from exc


@router.get("/profiles/{kind}/{id}", response_model=ProfileBody,
            responses={**responses(404, 422, 503), 200: {"content": {
                "text/csv": {"schema": {"type": "string"}}, XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
            summary="A profile: headline figures (money in COP centavos, each with its basis and sources) and "
                    "sections; ?format=csv (UTF-8 with BOM; sep=semicolon for Spanish Excel) or xlsx")
def get_profile(kind: ProfileKind, id: str, request: Request, store: StoreDep,
                format: Format = Query(Format.json), lang: str = LANG, sep: Separator = Query(Separator.comma)):
    """A profile (ficha) of an organisation, network, ODS, PDD objective or sector: headline figures with their basis and sources, then its sections; `format=csv` or `xlsx` downloads it."""
    if format is Format.json:
        return json_response(request, lambda: _profile(store, kind.value, id).to_dict())
    profile = _profile(store, kind.value, id)
    name = f"ficha-{profile.kind}-{profile.id}"
    if format is Format.csv:
        body = profile_csv(profile, lang=lang, delimiter=";" if sep is Separator.semicolon else ",")
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(profile_xlsx(profile, lang=lang), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


@pages.get("/profiles/compare", response_class=HTMLResponse, responses=page_responses(404, 422, 503),
           summary="Two to four profiles side by side as a page (?ids=cooperant:bid,network:c40&lang=es)")
def compare_page(store: StoreDep, ids: str = IDS, lang: str = LANG):
    """Two to four profiles side by side: their headline figures in aligned columns, with a link to each ficha."""
    from coopgraph.analysis.compare import compare_profiles as compute
    from coopgraph.viz.compare import compare_html

    return HTMLResponse(compare_html(_not_found(lambda: compute(store, ids)), lang=lang, ids=ids))


@pages.get("/profiles/{kind}/{id}", response_class=HTMLResponse, responses=page_responses(404, 422, 503),
           summary="A profile as a printable page (the browser's 'save as PDF' gives a one-page briefing)")
def profile_page(kind: ProfileKind, id: str, store: StoreDep, lang: str = LANG):
    """A profile (ficha) as a printable HTML page."""
    return HTMLResponse(profile_html(_profile(store, kind.value, id), lang=lang))
