"""The fichas' groupings: how dependent a node's money is on one cooperant, and where its cooperants come
from (region, kind), for an entity, a sector, an ODS and a PDD objective.

Registered with `coopgraph.analysis.profiles.register_section`, after the ODS and PDD mix. The figures are
those the analysis and the groupings define (coopgraph.analysis.concentration, coopgraph.analysis.breakdowns),
over the node's contributions stated in COP:

* ``concentration`` — one row: the top cooperant and its share of the money, how many cooperants, the
  HHI, and the district counterpart per cooperant peso (None when the cooperants put in nothing);
* ``regions`` and ``cooperant_kinds`` — the node's money per region (continent) and per kind of its
  cooperants, with largest-remainder shares that sum to 100 %.

Rows are language-neutral: a group row holds its ``dimension`` and ``group`` key; pages name it.
"""
from __future__ import annotations

from collections import defaultdict

from coopgraph.analysis.breakdowns import group_key
from coopgraph.analysis.concentration import hhi
from coopgraph.analysis.profile_model import ProfileContext, Section, register_section
from coopgraph.analysis.shares import per_peso, shares_pct

__all__ = ["GROUPED_KINDS", "concentration_section", "regions_section", "cooperant_kinds_section"]

GROUPED_KINDS = ("entity", "sector", "sdg", "pdd-objective")
COOPERANTS = ("MATCH (o:Cooperant) WHERE o.id IN $ids "
              "RETURN o.id AS id, o.country AS country, o.kind AS kind, o.iati_type AS iati_type")
GROUP_COLUMNS = ["group", "contributions", "total_cents", "total_share_pct"]


def _money_by_cooperant(context: ProfileContext) -> dict[str, dict]:
    """Per cooperant (id → name, contributions, total, own part, counterpart): the node's COP contributions."""
    out: dict[str, dict] = defaultdict(lambda: {"name": "", "contributions": 0, "total_cents": 0, "cooperant_cents": 0,
                                                "counterpart_cents": 0})
    for c in context.contributions:
        if not c["monetary"] or c["currency"] != "COP":
            continue
        for o in {(o["id"], o["name"]) for o in c["cooperant"]}:
            m = out[o[0]]
            m["name"] = o[1]
            m["contributions"] += 1
            for key in ("total_cents", "cooperant_cents", "counterpart_cents"):
                m[key] += int(c[key] or 0)
    return out


def concentration_section(context: ProfileContext) -> Section | None:
    if context.kind not in GROUPED_KINDS:
        return None
    money = {k: v for k, v in _money_by_cooperant(context).items() if v["total_cents"] > 0}
    if not money:
        return None
    total = sum(m["total_cents"] for m in money.values())
    top_id, top = min(money.items(), key=lambda item: (-item[1]["total_cents"], item[0]))
    counterpart = sum(m["counterpart_cents"] for m in money.values())
    own = sum(m["cooperant_cents"] for m in money.values())
    row = {"kind": "cooperant", "id": top_id, "top_cooperant": top["name"],
           "top_share_pct": shares_pct([top["total_cents"], total - top["total_cents"]])[0],
           "cooperants": len(money), "hhi": hhi(m["total_cents"] for m in money.values()),
           "total_cents": total, "counterpart_per_cooperant_peso": per_peso(counterpart, own)}
    return Section("concentration", ["top_cooperant", "top_share_pct", "cooperants", "hhi",
                                     "counterpart_per_cooperant_peso"], [row], note="concentration")


def _groups(context: ProfileContext, dimension: str) -> list[dict]:
    money = _money_by_cooperant(context)
    if not money:
        return []
    cooperants = {r["id"]: r for r in context.read(COOPERANTS, ids=sorted(money))}
    groups: dict[str, dict] = defaultdict(lambda: {"contributions": 0, "total_cents": 0})
    for cooperant, m in money.items():
        g = groups[group_key(dimension, cooperants.get(cooperant))]
        g["contributions"] += m["contributions"]
        g["total_cents"] += m["total_cents"]
    rows = [{"dimension": dimension, "group": key, **g} for key, g in groups.items()]
    rows.sort(key=lambda r: (-r["total_cents"], -r["contributions"], r["group"]))
    for r, pct in zip(rows, shares_pct([r["total_cents"] for r in rows])):
        r["total_share_pct"] = pct
    return rows


def regions_section(context: ProfileContext) -> Section | None:
    if context.kind not in GROUPED_KINDS:
        return None
    return Section("regions", GROUP_COLUMNS, _groups(context, "region"), note="shares")


def cooperant_kinds_section(context: ProfileContext) -> Section | None:
    if context.kind not in GROUPED_KINDS:
        return None
    return Section("cooperant_kinds", GROUP_COLUMNS, _groups(context, "kind"), note="shares")


for _builder in (concentration_section, regions_section, cooperant_kinds_section):
    register_section(_builder, before="networks")
