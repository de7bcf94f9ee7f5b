"""Dependence on one cooperant, and the district's counterpart, wherever money is split: per entity,
sector, ODS and PDD objective.

* **Concentration** — the Herfindahl–Hirschman index over each cooperant's share of a target's money,
  on ``total_cents`` (the cooperant's contribution plus the district counterpart it brought: the money
  the report attributes to the partnership); ``hhi_cooperant_cents`` is the same index on the
  cooperants' own contribution. HHI = Σ sᵢ², 1 for a single funder, 1/n for n equal funders; with the
  top cooperant and its share. Only contributions stated in COP with a cooperant count. A
  contribution linked to two ODS (or objectives) counts in full in each.
* **Counterpart** — per target, the district counterpart over the total (``ratio``, as before) and the
  counterpart per peso the cooperants put in (``counterpart_per_cooperant_peso``: counterpart ÷
  cooperant, two decimals, None — undefined, not zero — when the cooperants put in nothing).

`concentration` and `counterpart_ratio` read rows the analytics module has already asked the store
for (coopgraph.analysis.projections' funding rows, the flow rows) plus `target_rows` for ODS and PDD.
"""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from coopgraph.graph.readmodel import node_id
from coopgraph.analysis.shares import per_peso as _per_peso

__all__ = ["hhi", "concentration", "counterpart_ratio", "target_rows", "TARGETS"]

# dimension -> (relationship, label, id kind, key in the answers)
TARGETS = {"sdg": ("ADVANCES", "SDG", "sdg", "sdgs"),
           "pdd_objective": ("SERVES", "PDDObjective", "pdd-objective", "pdd_objectives")}
TARGET_MONEY = """
MATCH (c:Contribution)-[:{rel}]->(t:{label}) WHERE {where} AND c.monetary AND c.currency = 'COP'
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
RETURN o.id AS cooperant, t.number AS target, count(c) AS contributions, sum(c.total_cents) AS total_cents,
       sum(c.cooperant_cents) AS cooperant_cents, sum(c.counterpart_cents) AS counterpart_cents
"""


def per_peso(numerator: int, denominator: int) -> float | None:
    """The ratio rounded to two decimals, as a float (the analysis is plain JSON); None when undefined.

    >>> per_peso(7, 10), per_peso(1, 3), per_peso(1, 0)
    (0.7, 0.33, None)
    """
    ratio = _per_peso(numerator, denominator)
    return None if ratio is None else float(ratio)


def hhi(amounts) -> float | None:
    """Herfindahl–Hirschman index of non-negative amounts (exact on integers); None when they sum to 0.

    >>> hhi([50, 50])
    0.5
    >>> hhi([989, 11])
    0.978242
    >>> hhi([7]), hhi([0, 0])
    (1.0, None)
    """
    amounts = [int(a) for a in amounts if a]
    total = sum(amounts)
    if total <= 0:
        return None
    return round(float(Fraction(sum(a * a for a in amounts), total * total)), 6)


def target_rows(store, where: str, params: dict, *, timeout_s: float | None = None) -> dict[str, list[dict]]:
    """Per ODS and per PDD objective: the money of each cooperant (None: contributions without one)."""
    kwargs = {"timeout_s": timeout_s} if timeout_s else {}
    return {dim: store.read(TARGET_MONEY.format(rel=rel, label=label, where=where), params, **kwargs)
            for dim, (rel, label, _, _) in TARGETS.items()}


def _entry(key: str, name: str, amounts: dict, own: dict, counterpart: int, rows, top: int) -> dict:
    funded = {c: a for c, a in amounts.items() if a > 0}
    total = sum(funded.values())
    ranked = sorted(funded.items(), key=lambda item: (-item[1], item[0]))
    shares = [{"id": node_id("cooperant", c), "name": rows.name(node_id("cooperant", c)), "amount_cents": a,
               "share": round(a / total, 6)} for c, a in ranked[:top]]
    others = sum(a for _, a in ranked[top:])
    top_id = ranked[0][0] if ranked else None
    cooperant = sum(own.get(c, 0) for c in funded)
    return {
        "id": key, "name": name, "total_cents": total, "cooperant_cents": cooperant,
        "counterpart_cents": counterpart, "cooperants": len(funded), "hhi": hhi(funded.values()),
        "hhi_cooperant_cents": hhi(own.values()),
        "top_cooperant": {"id": node_id("cooperant", top_id), "name": rows.name(node_id("cooperant", top_id))}
        if top_id else None,
        "top_share": round(ranked[0][1] / total, 6) if ranked else None,
        "top_cents": ranked[0][1] if ranked else 0,
        "top_cooperant_cents": own.get(top_id, 0) if top_id else 0,
        "shares": shares, "others_cents": others, "others_share": round(others / total, 6) if total else 0.0,
        "counterpart_per_cooperant_peso": per_peso(counterpart, cooperant),
    }


def _group(records):
    """(target, cooperant, total, cooperant part, counterpart) records → per target: amounts, own, counterpart."""
    by, own = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    counterpart = defaultdict(int)
    for key, cooperant, total, own_cents, counter in records:
        if not total or cooperant is None:
            continue
        by[key][cooperant] += int(total)
        own[key][cooperant] += int(own_cents or 0)
        counterpart[key] += int(counter or 0)
    return by, own, counterpart


def concentration(rows, *, top: int = 10, targets: dict[str, list[dict]] | None = None,
                  names: dict[str, dict] | None = None) -> dict:
    """HHI and top-cooperant share of each entity's, sector's, ODS's and PDD objective's money.

    ``shares`` lists the `top` largest cooperants; ``others_*`` holds the rest, so shares plus
    others_share sum to 1. `targets` are `target_rows`; `names` maps ``sdg`` and ``pdd_objective``
    numbers to their names (without them, no ``sdgs`` and ``pdd_objectives`` lists).
    """
    out = {"basis": "total_cents"}
    for kind, label, key_of in (("entity", "entities", lambda r: r["entity"]),
                                ("sector", "sectors", lambda r: r["sector_id"] or "none")):
        by, own, counterpart = _group((key_of(r), r["cooperant"], r["total_cents"], r["cooperant_cents"],
                                       r["counterpart_cents"]) for r in rows.funding)
        entries = []
        for key, amounts in by.items():
            name = rows.name(node_id(kind, key)) if key != "none" else "Sin sector"
            entry = _entry(node_id(kind, key), name, amounts, own[key], counterpart[key], rows, top)
            if kind == "entity":
                sector = (rows.entities.get(key) or {}).get("sector_id")
                entry["sector"] = {"id": node_id("sector", sector), "name": rows.sectors.get(sector, sector)} if sector else None
            entries.append(entry)
        out[label] = sorted(entries, key=lambda e: (-e["total_cents"], e["id"]))
    for dim, (_, _, kind, label) in TARGETS.items():
        if targets is None or names is None:
            continue
        by, own, counterpart = _group((r["target"], r["cooperant"], r["total_cents"], r["cooperant_cents"],
                                       r["counterpart_cents"]) for r in targets[dim])
        entries = [{**_entry(node_id(kind, key), names[dim].get(key, str(key)), amounts, own[key], counterpart[key],
                             rows, top), "number": int(key)} for key, amounts in by.items()]
        out[label] = sorted(entries, key=lambda e: (-e["total_cents"], e["number"]))
    return out


def _ratio_entry(key: str, name: str, counterpart: int, cooperant: int, total: int, contributions: int) -> dict:
    return {"id": key, "name": name, "counterpart_cents": counterpart, "cooperant_cents": cooperant,
            "total_cents": total, "contributions": contributions, "ratio": round(counterpart / total, 6) if total else None,
            "counterpart_per_cooperant_peso": per_peso(counterpart, cooperant)}


def _ratios(records, entry_of) -> list[dict]:
    money = defaultdict(lambda: [0, 0, 0, 0])
    for key, counterpart, cooperant, total, n in records:
        m = money[key]
        m[0] += int(counterpart or 0)
        m[1] += int(cooperant or 0)
        m[2] += int(total or 0)
        m[3] += int(n)
    entries = [entry_of(key, *m) for key, m in money.items()]
    entries.sort(key=lambda e: (-(e["ratio"] or 0), -e["total_cents"], e["id"]))
    return entries


def counterpart_ratio(flow_rows: list[dict], rows, *, targets: dict[str, list[dict]] | None = None,
                      names: dict[str, dict] | None = None) -> dict:
    """Each entity's, sector's, ODS's and PDD objective's district counterpart over the total of its monetary
    contributions (``ratio``), and per peso of the cooperants' (``counterpart_per_cooperant_peso``)."""
    def records(key_of):
        return ((key_of(r), r["counterpart_cents"], r["cooperant_cents"], r["total_cents"], r["contributions"])
                for r in flow_rows)

    entities = _ratios(records(lambda r: r["entity"] or ""), lambda e, *m: _ratio_entry(
        node_id("entity", e) if e else "entity:none", rows.name(node_id("entity", e)) if e else "Sin entidad", *m))
    counter_total = sum(e["counterpart_cents"] for e in entities)
    cooperant_total = sum(e["cooperant_cents"] for e in entities)
    total = sum(e["total_cents"] for e in entities)
    out = {"overall": {"counterpart_cents": counter_total, "cooperant_cents": cooperant_total, "total_cents": total,
                       "ratio": round(counter_total / total, 6) if total else None,
                       "counterpart_per_cooperant_peso": per_peso(counter_total, cooperant_total)},
           "entities": entities}
    out["sectors"] = _ratios(records(lambda r: r["sector"] or ""), lambda s, *m: _ratio_entry(
        node_id("sector", s) if s else "sector:none", rows.sectors.get(s, s) if s else "Sin sector", *m))
    for dim, (_, _, kind, label) in TARGETS.items():
        if targets is None or names is None:
            continue
        out[label] = _ratios(((r["target"], r["counterpart_cents"], r["cooperant_cents"], r["total_cents"],
                               r["contributions"]) for r in targets[dim]),
                             lambda key, *m, kind=kind, dim=dim: {
                                 **_ratio_entry(node_id(kind, key), names[dim].get(key, str(key)), *m), "number": int(key)})
    return out
