"""GET /api/v1/breakdowns/{dimension} — money and interactions by the cooperant's country, region, kind or
IATI type, with shares (the figures of `coopgraph breakdown --json`; coopgraph.analysis.breakdowns)."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, WithJsonSchema

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.responses import Money, json_response
from coopgraph.api.routers.summary import year_range
from coopgraph.analysis.breakdowns import DIMENSIONS
from coopgraph.analysis.filters import check_years

router = APIRouter(tags=["breakdowns"])
Dimension = Enum("Dimension", {d.replace("-", "_"): d for d in DIMENSIONS}, type=str)
Percent = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "percent, two decimals; the column's "
                                                                              "shares sum to exactly 100"})]
Ratio = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "two decimals"})]


class GroupFigures(BaseModel):
    cooperants: int = Field(description="cooperants in the group with a contribution or an interaction in the years")
    contributions: int = Field(description="monetary contributions")
    interactions: int = Field(description="interactions the tables report for the group's cooperants (Tabla 2)")
    total_cents: int
    total_cop: Money = Field(description="the report's figures: contributions stated in COP")
    cooperant_cents: int
    cooperant_cop: Money
    counterpart_cents: int
    counterpart_cop: Money
    all_currency_cents: int
    all_currency_cop: Money = Field(description="all cooperation in COP: report COP plus amounts stated in other "
                                                "currencies, converted")
    total_share_pct: Percent | None = Field(description="share of total_cop; null when the whole is 0")
    all_currency_share_pct: Percent | None
    interactions_share_pct: Percent | None
    counterpart_per_cooperant_peso: Ratio | None = Field(
        description="district counterpart per peso of the cooperants' money; null (undefined) when they put in none")


class GroupRow(GroupFigures):
    key: str = Field(description="ISO 3166-1 alpha-2 country, UN M.49 region, curated kind or IATI code; "
                                 "'international' for bodies without a country, 'no-cooperant' for money without one")
    name: str = Field(description="the group's name in the language asked")


class Breakdown(BaseModel):
    dimension: str
    title: str
    lang: str
    years: dict[str, int]
    currency: str = "COP"
    total_cop_is: str = "report"
    rows: list[GroupRow]
    totals: GroupFigures
    data_version: str | None = None


@router.get("/breakdowns/{dimension}", response_model=Breakdown, responses=responses(404, 422, 503),
            summary="Money and interactions by the cooperant's country, region (continent), kind or IATI type, with shares")
def get_breakdown(dimension: Dimension, request: Request, store: StoreDep,
                  year: int | None = Query(None, ge=1900, le=2100, description="one year"),
                  from_year: int | None = Query(None, ge=1900, le=2100), to_year: int | None = Query(None, ge=1900, le=2100),
                  lang: str = Query("es", pattern="^(es|en)$", description="the groups' names: es (default) or en")):
    """Money (the report's COP and all cooperation in COP) and interactions grouped by one dimension of the cooperant — its country, region (continent), kind or IATI organisation type — each row with its shares (largest-remainder rounding: every column sums to exactly 100 %) and the counterpart per cooperant peso; `totals` equal the summary's."""
    from coopgraph.analysis.breakdowns import breakdown

    years = year_range(year, from_year, to_year)

    def answer():
        check_years(store, **years)
        return breakdown(store, dimension.value, **years, lang=lang)

    return json_response(request, answer)
