"""Where alignment or money hangs on too little (ODS, PDD objectives and programs with no cooperant, one
cooperant or one intermediary; entities that depend on one partner), and who could fill each gap."""
from __future__ import annotations

from coopgraph.analysis.concentration import concentration
from coopgraph.analysis.projections import QUERY_TIMEOUT_S, node_id

__all__ = ["GAP_PROSPECTS", "DEPENDENCY_SHARE", "gaps"]

DEPENDENCY_SHARE = 0.8  # a top cooperant with this share of an entity's money or more is a dependency

_COP = "CASE WHEN c.currency = 'COP' THEN c.{0} ELSE 0 END"
ALIGNED = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[:{rel}]->(t:{label}) WHERE {where}
RETURN t.id AS id, count(DISTINCT o.id) AS cooperants, min(o.id) AS cooperant,
       count(DISTINCT c.id) AS contributions, sum({total}) AS total_cents
"""
BROKERS = """
MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution)-[:{rel}]->(t:{label}), (e:DistrictEntity)-[:RECEIVED]->(c)
WHERE {where}
RETURN t.id AS id, count(DISTINCT e.id) AS entities, min(e.id) AS entity
"""
LINKED = "MATCH (c:Contribution)-[:{rel}]->(t:{label}) WHERE {where} RETURN t.id AS id, sum(c.interactions) AS interactions"
SDGS = "MATCH (g:SDG) RETURN g.id AS id, g.number AS number, g.name AS name"
OBJECTIVES = "MATCH (o:PDDObjective) RETURN o.id AS id, o.number AS number, o.name AS name"
PROGRAMS = """
MATCH (p:PDDProgram) OPTIONAL MATCH (p)-[:IN_OBJECTIVE]->(o:PDDObjective)
RETURN p.id AS id, p.code AS code, p.name AS name, o.number AS objective
"""


def _read(store, cypher: str, params: dict) -> list[dict]:
    return store.read(cypher, params, timeout_s=QUERY_TIMEOUT_S)


def _money_sql(template: str, **extra) -> str:
    return template.format(total=_COP.format("total_cents"), cooperant=_COP.format("cooperant_cents"),
                           counterpart=_COP.format("counterpart_cents"), **extra)


GAP_PROSPECTS = 3        # prospects listed per gap
GAP_ENTITY_LIMIT = 25    # entities with a one-partner dependency that get prospects, largest money first
GAP_PROSPECT_ROWS = 20_000  # above this many cooperant × entity × sector rows, gaps list no prospects (≈1 s a gap)


def gaps(store, where: str, params: dict, rows, *, conc: dict | None = None, prospects_top: int = GAP_PROSPECTS) -> dict:
    """Where alignment or money hangs on too little, and who could fill each gap.

    * ``sdg``, ``pdd_objectives``, ``pdd_programs``: those no cooperant supports in the range
      (``sin cooperante``), only one does (``un solo cooperante``), or that every contribution reaches
      through a single district entity (``un solo intermediario``: ``broker`` names it);
    * ``entities``: district entities whose money hangs on one partner (the top cooperant gives
      `DEPENDENCY_SHARE` or more of it, on ``total_cents``);
    * every gap carries ``prospects``: the first `prospects_top` of `coopgraph.analysis.prospects` for it
      (cooperants not yet engaged with it, with the strongest piece of evidence, ``why``), computed on
      the range's years without the slice. ``coopgraph prospect --for ID`` gives all the evidence.
      Above `GAP_PROSPECT_ROWS` funding rows (about a second per gap) they are skipped and
      ``prospects_skipped`` says so.
    """
    out = {}
    specs = (("sdg", "ADVANCES", "SDG", SDGS), ("pdd_objectives", "SERVES", "PDDObjective", OBJECTIVES),
             ("pdd_programs", "IN_PROGRAM", "PDDProgram", PROGRAMS))
    for key, rel, label, listing in specs:
        aligned = {r["id"]: r for r in _read(store, _money_sql(ALIGNED, rel=rel, label=label, where=where), params)}
        brokers = {r["id"]: r for r in _read(store, BROKERS.format(rel=rel, label=label, where=where), params)}
        linked = {r["id"]: int(r["interactions"] or 0) for r in
                  _read(store, LINKED.format(rel=rel, label=label, where=where), params)}
        entries = []
        for t in _read(store, listing, {}):
            found = aligned.get(t["id"], {})
            count = int(found.get("cooperants") or 0)
            prefix = {"sdg": "sdg", "pdd_objectives": "pdd-objective", "pdd_programs": "pdd-program"}[key]
            raw = t["number"] if key != "pdd_programs" else t["id"]
            entry = {"id": f"{prefix}:{raw}", "name": t["name"], "cooperants": count,
                     "cooperant": {"id": node_id("cooperant", found["cooperant"]),
                                   "name": rows.name(node_id("cooperant", found["cooperant"]))} if count == 1 else None,
                     "contributions": int(found.get("contributions") or 0),
                     "total_cents": int(found.get("total_cents") or 0),
                     "interactions": linked.get(t["id"], 0),
                     "status": "sin cooperante" if count == 0 else "un solo cooperante" if count == 1 else "ok"}
            via = brokers.get(t["id"], {})
            entry["entities"] = int(via.get("entities") or 0)
            entry["broker"] = ({"id": node_id("entity", via["entity"]), "name": rows.name(node_id("entity", via["entity"]))}
                               if entry["entities"] == 1 else None)
            if entry["status"] == "ok" and entry["entities"] == 1:
                entry["status"] = "un solo intermediario"
            if key != "pdd_programs":
                entry["number"] = t["number"]
            else:
                entry["code"], entry["objective"] = t["code"], t["objective"]
            entries.append(entry)
        entries.sort(key=lambda e: (e.get("number") or 0, e.get("code") or "", e["id"]))
        out[key] = [e for e in entries if e["status"] != "ok"]
        out[f"{key}_linked_contributions"] = sum(linked.values()) > 0
    conc = conc if conc is not None else concentration(rows)
    out["entities"] = [{"id": e["id"], "name": e["name"], "total_cents": e["total_cents"], "cooperants": e["cooperants"],
                        "top_cooperant": e["top_cooperant"], "top_share": e["top_share"],
                        "status": "un solo cooperante" if e["cooperants"] == 1 else "dependencia"}
                       for e in conc["entities"] if e["top_share"] is not None and e["top_share"] >= DEPENDENCY_SHARE
                       ][:GAP_ENTITY_LIMIT]
    if len(rows.funding) <= GAP_PROSPECT_ROWS:
        _fill_gaps(store, params, out, prospects_top)
    else:
        out["prospects_skipped"] = (f"{len(rows.funding)} filas de financiación: más de {GAP_PROSPECT_ROWS}; "
                                    "use coopgraph prospect --for ID para cada brecha")
    out["note"] = ("Un ODS, objetivo o programa sin cooperante puede ser una brecha de cooperación o de datos: "
                   "*_linked_contributions dice si algún aporte del periodo está vinculado a ese tipo de meta. "
                   "Los prospectos de cada brecha son cooperantes aún no vinculados a ella (coopgraph prospect --for ID).")
    return out


def _fill_gaps(store, params: dict, out: dict, top: int) -> None:
    """Add each gap's first prospects (see `gaps`); programs only when contributions name programs."""
    from coopgraph.analysis.prospects import cached_graph, popularity, prospects_from

    keys = ["sdg", "pdd_objectives", "entities"] + (["pdd_programs"] if out["pdd_programs_linked_contributions"] else [])
    if top <= 0 or not any(out[k] for k in keys):
        return
    from_year, to_year = params.get("from_year", 0), params.get("to_year", 9999)
    rows, graph = cached_graph(store, from_year, to_year)
    popular = popularity(graph)
    for key in keys:
        for entry in out[key]:
            found = prospects_from(rows, entry["id"], top=top, from_year=from_year, to_year=to_year, graph=graph,
                                   popular=popular)
            entry["prospects"] = [{"id": p["id"], "name": p["name"], "score": p["score"],
                                   "why": p["evidence"][0]["text"] if p["evidence"] else None}
                                  for p in found["prospects"]]
