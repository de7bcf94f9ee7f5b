"""GET /api/v1/summary — the headline figures of `coopgraph summary --json`."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import responses
from coopgraph.api.models import Summary
from coopgraph.api.responses import json_response
from coopgraph.analysis.summary import summary as compute
from coopgraph.analysis.filters import check_years

router = APIRouter(tags=["summary"])


def year_range(year: int | None, from_year: int | None, to_year: int | None) -> dict:
    if year is not None:
        return {"from_year": year, "to_year": year}
    return {"from_year": from_year if from_year is not None else 0, "to_year": to_year if to_year is not None else 9999}


@router.get("/summary", response_model=Summary, responses=responses(404, 422, 503),
            summary="Interactions, contributions and exact COP totals, by sector, ODS, PDD objective and organisation type")
def get_summary(request: Request, store: StoreDep,
                year: int | None = Query(None, ge=1900, le=2100, description="one year"),
                from_year: int | None = Query(None, ge=1900, le=2100), to_year: int | None = Query(None, ge=1900, le=2100)):
    """Headline figures of the store or of a year range: interactions, contributions, money reported in COP (Tabla 5) and all cooperation in COP, by sector, ODS, PDD objective and organisation type. Money is exact COP (`*_cop`) beside integer centavos (`*_cents`)."""
    years = year_range(year, from_year, to_year)

    def answer():
        check_years(store, **years)  # a year without data is a 404 that lists the years with data
        return compute(store, **years)

    return json_response(request, answer)
