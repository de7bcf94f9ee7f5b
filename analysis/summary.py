"""The headline figures of the graph: what `coopgraph summary` and the API's summary return."""
from __future__ import annotations

from decimal import Decimal

from coopgraph.cypher.library import run
from coopgraph.graph.all_cooperation import all_cooperation
from coopgraph.money import from_cents


def summary(store, from_year: int = 0, to_year: int = 9999) -> dict:
    """Totals in exact COP (Decimal), interactions, and breakdowns, for a year range."""
    years = {"from_year": from_year, "to_year": to_year}
    totals = run(store, "summary_totals", **years)[0]
    by_sdg = run(store, "interactions_by_sdg", **years)
    by_sector = run(store, "contributions_by_sector", **years)
    by_objective = run(store, "contributions_by_pdd_objective", **years)
    by_org_type = run(store, "contributions_by_org_type", **years)
    counts = store.counts()
    total = from_cents(totals["total_cents"])
    return {
        "interactions": int(totals["interactions"]),
        "monetary_contributions": int(totals["contributions"]),
        "cooperant_cop": from_cents(totals["cooperant_cents"]),
        "counterpart_cop": from_cents(totals["counterpart_cents"]),
        "total_cop": from_cents(totals["total_cents"]),
        "currency": "COP",
        "total_cop_is": "report",  # the figures as stated in COP; all_cooperation adds the converted ones
        "all_cooperation": all_cooperation(store, **years),
        "by_sector": [{"sector": r["sector"], "sector_id": r["sector_id"],
                       "contributions": int(r["contributions"]),
                       "total_cop": from_cents(r["total_cents"])} for r in by_sector],
        "by_sdg": [{"sdg": int(r["sdg"]), "name": r["name"], "interactions": int(r["interactions"] or 0),
                    "interactions_monetary": int(r["interactions_monetary"] or 0),
                    "total_cop": from_cents(r["total_cents"] or 0)} for r in by_sdg],
        "by_pdd_objective": [{"objective": int(r["objective"]), "name": r["name"],
                              "contributions": int(r["contributions"]),
                              "total_cop": from_cents(r["total_cents"]),
                              "share_pct": share_pct(from_cents(r["total_cents"]), total)} for r in by_objective],
        "by_org_type": [{"iati_type": r["iati_type"], "name": r["name"], "contributions": int(r["contributions"]),
                         "organisations": int(r["organisations"]),
                         "cooperant_cop": from_cents(r["cooperant_cents"]),
                         "total_cop": from_cents(r["total_cents"])} for r in by_org_type],
        "counts": counts["nodes"],
        "relationship_counts": counts["relationships"],
    }


def share_pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else Decimal(0)
