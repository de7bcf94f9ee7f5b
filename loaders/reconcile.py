"""Reconciliation: every total the report states, recomputed from the rows it was loaded from.

Each stated figure (tables' total rows, subtotals, the narrative's quotes; see claims.csv)
is compared with the same figure computed from the rows. Differences are the report's own
slips, listed for the reader; they never stop a load.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pandas as pd

from coopgraph.loaders.names import slug

OK, ROUNDING, SLIP, UNKNOWN = "ok", "redondeo", "DIFERENCIA", "sin calcular"


@dataclass
class CheckRow:
    claim_id: str
    description: str
    where: str
    unit: str
    stated: Decimal
    computed: Decimal | None
    status: str
    note: str = ""


Computation = Callable[[dict[str, pd.DataFrame]], "Decimal | tuple[Decimal, Decimal] | None"]


def _sum(table: str, column: str) -> Computation:
    return lambda t: Decimal(sum(t[table][column], Decimal(0)))


def _millions(table: str, column: str) -> Computation:
    """A COP total in millions, with the rounding tolerance of one figure."""
    return lambda t: (Decimal(sum(t[table][column], Decimal(0))) / 1_000_000, Decimal("1"))


def _subtotal(action_slug: str) -> Computation:
    def compute(t):
        rows = t["collaboration"][t["collaboration"].action_type.map(slug) == action_slug]
        # each value is rounded to the million, so n values may drift by n/2 millions
        return Decimal(sum(rows.value_millions, Decimal(0))), Decimal(len(rows)) / 2
    return compute


COMPUTATIONS: dict[str, Computation] = {
    "tabla-1.non_monetary": _sum("sdg", "interactions_non_monetary"),
    "tabla-1.monetary": _sum("sdg", "interactions_monetary"),
    "tabla-1.interactions": _sum("sdg", "interactions"),
    "tabla-1.total": _sum("sdg", "total_cop"),
    "tabla-2.interactions": _sum("cooperants", "interactions"),
    "tabla-3.interactions": _sum("entities", "interactions"),
    "tabla-4.total": lambda t: (Decimal(sum(t["collaboration"].value_millions, Decimal(0))),
                                Decimal(len(t["collaboration"])) / 2),
    "tabla-5.cooperant": _sum("contributions", "cooperant_cop"),
    "tabla-5.counterpart": _sum("contributions", "counterpart_cop"),
    "tabla-5.total": _sum("contributions", "total_cop"),
    "seccion-2.interactions": _sum("sdg", "interactions"),
    "seccion-2.total": _sum("contributions", "total_cop"),
    "seccion-3.interactions": _sum("entities", "interactions"),
    "seccion-4.cooperant": _sum("contributions", "cooperant_cop"),
    "seccion-4.counterpart": _sum("contributions", "counterpart_cop"),
    "seccion-4.total": _sum("contributions", "total_cop"),
    "seccion-5.total_millions": _millions("contributions", "total_cop"),
    "seccion-6.cideu.projects": lambda t: Decimal(len(t["cideu"])),
    "seccion-6.cideu.eur": _sum("cideu", "amount_eur"),
}

NOTES = {
    "seccion-6.cideu.projects": "computed: activities listed in the CIDEU table",
    "seccion-6.cideu.eur": "computed: sum of the CIDEU table's activities",
    "seccion-5.total_millions": "computed: Tabla 5 total in millions",
    "seccion-2.total": "computed: sum of Tabla 5 rows",
}


def _cross_checks(t: dict[str, pd.DataFrame]) -> list[CheckRow]:
    """Figures one table implies about another."""
    rows = []
    sdg, contributions = t["sdg"], t["contributions"]
    bad = contributions[contributions.cooperant_cop + contributions.counterpart_cop != contributions.total_cop]
    rows.append(_row("tabla-5.rows", "Tabla 5: filas donde aporte + contrapartida = valor total", "Tabla 5",
                     "count", Decimal(len(contributions)), Decimal(len(contributions) - len(bad)),
                     note=", ".join(f"row {r}" for r in bad.row)))
    bad = sdg[sdg.interactions_non_monetary + sdg.interactions_monetary != sdg.interactions]
    rows.append(_row("tabla-1.rows", "Tabla 1: filas donde no monetarias + monetarias = total", "Tabla 1",
                     "count", Decimal(len(sdg)), Decimal(len(sdg) - len(bad)),
                     note=", ".join(f"ODS {r}" for r in bad.sdg)))
    rows.append(_row("cruce.monetarias", "Interacciones monetarias de Tabla 1 = filas de Tabla 5", "Tabla 1 / Tabla 5",
                     "count", Decimal(sum(sdg.interactions_monetary)), Decimal(len(contributions))))
    rows.append(_row("cruce.total", "Monto total de Tabla 1 = valor total de Tabla 5", "Tabla 1 / Tabla 5", "COP",
                     Decimal(sum(sdg.total_cop, Decimal(0))), Decimal(sum(contributions.total_cop, Decimal(0)))))
    return rows


def _row(claim_id, description, where, unit, stated, computed, tolerance=Decimal(0), note="") -> CheckRow:
    if computed is None:
        status = UNKNOWN
    elif stated == computed:
        status = OK
    elif abs(stated - computed) <= tolerance:
        status = ROUNDING
    else:
        status = SLIP
    return CheckRow(claim_id, description, where, unit, stated, computed, status, note)


def reconcile(tables: dict[str, pd.DataFrame],
              extra: dict[str, Computation] | None = None) -> list[CheckRow]:
    """Compare each stated figure with its recomputation; `extra` adds computations (e.g. PDD shares)."""
    computations = {**COMPUTATIONS, **(extra or {})}
    for claim in tables["claims"].claim_id:
        if claim.startswith("tabla-4.subtotal."):
            computations.setdefault(claim, _subtotal(claim.removeprefix("tabla-4.subtotal.")))
    rows = []
    for claim in tables["claims"].itertuples(index=False):
        where = f"{claim.source.split('/', 1)[-1]}, line {claim.line}"
        compute = computations.get(claim.claim_id)
        result = compute(tables) if compute else None
        tolerance = Decimal(0)
        if isinstance(result, tuple):
            result, tolerance = result
        rows.append(_row(claim.claim_id, claim.description, where, claim.unit, Decimal(claim.stated), result,
                         tolerance, NOTES.get(claim.claim_id, "")))
    return rows + _cross_checks(tables)
