"""What a reviewer of the curated knowledge needs to see: merges with their reasons, names the
registry does not know (with fuzzy candidates), and what is left unclassified."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from coopgraph.loaders.reconcile import Computation
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.sdg_inference import infer_sdgs


@dataclass
class Review:
    merges: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    unclassified_organisations: list[dict] = field(default_factory=list)
    unclassified_contributions: list[dict] = field(default_factory=list)


def review(tables: dict[str, pd.DataFrame], registry: Registry) -> Review:
    out = Review()
    c = registry.curated
    if c is None:
        out.unresolved = [{"label": "*", "name": "(no curated data: every name is unreviewed)"}]
        return out
    names = dict(zip(c.organisations.org_id, c.organisations.name))
    for row in c.aliases[c.aliases.match.isin(["merge", "variant"])].drop_duplicates(["alias", "org_id"]).itertuples():
        out.merges.append({"alias": row.alias, "org_id": row.org_id, "into": names[row.org_id],
                           "match": row.match, "reason": row.reason})
    for name in sorted(set(tables["cooperants"].name) | set(tables["contributions"].cooperant)):
        if registry.org_id(name) is None:
            out.unresolved.append({"label": "Cooperant", "name": name, "candidates": registry.candidates(name)})
    for name in sorted(set(tables["entities"].name) | set(tables["contributions"].entity)):
        if registry.entity_id(name) is None:
            out.unresolved.append({"label": "DistrictEntity", "name": name, "candidates": []})
    used = {registry.org_id(n) for n in set(tables["cooperants"].name) | set(tables["contributions"].cooperant)}
    for row in c.organisations.itertuples():
        if row.org_id in used and (row.iati_type == "90" or row.kind == "other"):
            out.unclassified_organisations.append({"org_id": row.org_id, "name": row.name, "iati_type": int(row.iati_type),
                                                   "kind": row.kind, "notes": getattr(row, "notes", "")})
    assigned = set(c.contribution_objectives.row.astype(int))
    for row in tables["contributions"].itertuples():
        if row.row not in assigned:
            out.unclassified_contributions.append({"row": row.row, "entity": row.entity, "cooperant": row.cooperant,
                                                   "missing": "PDD objective"})
    for row in infer_sdgs(tables["sdg"], tables["contributions"]).itertuples():
        if row.sdg is None:
            source = tables["contributions"].set_index("row").loc[row.row]
            out.unclassified_contributions.append({"row": row.row, "entity": source.entity,
                                                   "cooperant": source.cooperant, "missing": f"ODS — {row.reason}"})
    return out


def pdd_computations(registry: Registry) -> dict[str, Computation]:
    """Section 5's shares and interaction counts per PDD objective, from the curated assignment."""
    if registry.curated is None:
        return {}
    objective_of = dict(zip(registry.curated.contribution_objectives.row.astype(int),
                            registry.curated.contribution_objectives.pdd_objective.astype(int)))

    def share(number):
        def compute(t):
            rows = t["contributions"]
            total = sum(rows.total_cop, Decimal(0))
            part = sum((r.total_cop for r in rows.itertuples() if objective_of.get(r.row) == number), Decimal(0))
            return (part * 100 / total).quantize(Decimal("0.01"))
        return compute

    def count(number):
        return lambda t: Decimal(sum(1 for r in t["contributions"].row if objective_of.get(r) == number))

    out = {}
    for number in range(1, 6):
        out[f"seccion-5.objective-{number}.share"] = share(number)
        out[f"seccion-5.objective-{number}.interactions"] = count(number)
    return out
