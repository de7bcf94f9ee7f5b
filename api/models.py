"""Response and request models: what the OpenAPI document promises."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from coopgraph.api.responses import Money


class SectorTotal(BaseModel):
    sector: str
    sector_id: str
    contributions: int
    total_cop: Money


class SdgTotal(BaseModel):
    sdg: int
    name: str
    interactions: int
    interactions_monetary: int
    total_cop: Money


class ObjectiveTotal(BaseModel):
    objective: int
    name: str
    contributions: int
    total_cop: Money
    share_pct: Money


class OrgTypeTotal(BaseModel):
    iati_type: int | None
    name: str | None
    contributions: int
    organisations: int
    cooperant_cop: Money
    total_cop: Money


class Summary(BaseModel):
    interactions: int = Field(description="interactions in the years asked (607 in 2024)")
    monetary_contributions: int
    cooperant_cop: Money
    counterpart_cop: Money
    total_cop: Money
    currency: str = "COP"
    total_cop_is: str = Field("report", description="total_cop is the report's figure: contributions stated in COP")
    all_cooperation: dict[str, Any] = Field(description="all cooperation in COP: total_cop plus the amounts stated in "
                                                        "other currencies, converted, each with its rate, date and source")
    by_sector: list[SectorTotal]
    by_sdg: list[SdgTotal]
    by_pdd_objective: list[ObjectiveTotal]
    by_org_type: list[OrgTypeTotal]
    counts: dict[str, int]
    relationship_counts: dict[str, int]


class QueryParam(BaseModel):
    name: str
    type: str
    default: Any = None


class NamedQueryInfo(BaseModel):
    name: str
    description: str
    params: list[QueryParam]
    url: str


class QueryRows(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


class CypherRequest(BaseModel):
    query: str = Field(description="read-only Cypher (docs/sandbox.md)", min_length=1, max_length=10_000)
    params: dict[str, Any] = Field(default_factory=dict)
