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
    data_version: str | None = Field(None, description="the load these figures come from (`coopgraph history`)")


class LoadFigures(BaseModel):
    interactions: int
    report_cop: str = Field(description="the report's figures in COP, an exact decimal")
    all_cooperation_cop: str = Field(description="all cooperation in COP (other currencies converted)")


class LoadRecord(BaseModel):
    version: str = Field(description="the data version the load (or rollback) made current")
    previous: str | None
    action: str = Field(description="load | rollback")
    at: str = Field(description="when, UTC (ISO 8601)")
    files: list[dict[str, Any]] = Field(description="name, checksum, rows; added, changed, held, removed for exports")
    figures_before: LoadFigures | None
    figures_after: LoadFigures | None
    kept: bool = Field(description="its data is still kept (a rollback can return to it)")
    current: bool


class History(BaseModel):
    loads: list[LoadRecord]
    data_version: str | None = None


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


# -- the analyses' answers: their top level typed, their tables open (each documented in docs/) --------
class _Open(BaseModel):
    model_config = {"extra": "allow"}


class SankeyNode(_Open):
    id: str
    name: str
    column: str


class SankeyLink(_Open):
    source: str
    target: str
    value_cents: int
    value_cop: Money
    contributions: int
    stage: str


class Sankey(_Open):
    """The money flow chart: cooperant type → ODS → cooperant … stages, each link's value in COP."""
    basis: str
    monetary_total_cents: int
    monetary_total_cop: Money
    stages: list[dict[str, Any]]
    nodes: list[SankeyNode]
    links: list[SankeyLink]
    note: str


class Analytics(_Open):
    """Network metrics, communities, concentration, gaps and flows (docs/analytics.md)."""
    centrality: dict[str, list[dict[str, Any]]]
    communities: list[dict[str, Any]]
    kcore: dict[str, Any]
    single_points_of_failure: dict[str, Any]
    concentration: dict[str, Any]
    counterpart_ratio: dict[str, Any]
    dependency_warnings: list[str]
    gaps: dict[str, Any]
    flows: Sankey
    co_funding: dict[str, Any]
    meta: dict[str, Any]
    all_cooperation: dict[str, Any]


class ProspectTarget(_Open):
    id: str
    kind: str
    name: str


class Prospect(_Open):
    rank: int
    id: str
    name: str
    score: float
    evidence_count: int
    evidence: list[dict[str, Any]]


class Prospects(_Open):
    """Who to approach next for a target, ranked by link prediction, each with its evidence (docs/prospecting.md)."""
    target: dict[str, Any]
    years: dict[str, int]
    engaged: int
    candidates: int
    with_evidence: int
    prospects: list[Prospect]
    method: dict[str, Any]


class YearDiff(_Open):
    """What changed between two years (docs/diff.md)."""
    from_year: int
    to_year: int
    partners: dict[str, Any]
    money: dict[str, Any]
    brokers: Any
    communities: dict[str, Any]
