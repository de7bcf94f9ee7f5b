"""Where the money flows: the monetary contributions' value along IATI type → country → sector → entity,
then entity → ODS and entity → PDD objective (definitions in `coopgraph.analysis.analytics`)."""
from __future__ import annotations

from collections import defaultdict

from coopgraph.analysis.projections import node_id

__all__ = ["FLOW_STAGES", "flows"]

FLOW_STAGES = (("iati_type-country", "iati_type", "country"), ("country-sector", "country", "sector"),
               ("sector-entity", "sector", "entity"), ("entity-sdg", "entity", "sdg"),
               ("entity-pdd_objective", "entity", "pdd_objective"))


def _country_name(code: str) -> str:
    from babel import Locale

    return Locale("es").territories.get(code, code)


def _missing(flow_node: str) -> bool:
    """A placeholder node of a flow column: no data (``:none``) or a cooperant with no IATI type."""
    return flow_node.endswith((":none", ":unclassified"))


def flows(flow_rows: list[dict], tails: dict[str, list[dict]], rows, labels: dict, monetary_total_cents: int) -> dict:
    """Sankey-ready links ``{source, target, value_cents, stage}`` and nodes, per stage (see FLOW_STAGES)."""
    links = defaultdict(lambda: [0, 0])
    nodes: dict[str, dict] = {}

    def node(column: str, raw, name: str) -> str:
        nid = f"{column.replace('_', '-') if column != 'iati_type' else 'iati'}:{raw if raw not in (None, '') else 'none'}"
        nodes.setdefault(nid, {"id": nid, "name": name, "column": column})
        return nid

    def link(stage, a, b, cents, n):
        links[(stage, a, b)][0] += cents
        links[(stage, a, b)][1] += n

    for r in flow_rows:
        cents, n = int(r["total_cents"] or 0), int(r["contributions"])
        if r["no_cooperant"]:
            iati = node("iati_type", None, "Sin cooperante")
        elif r["iati_type"] is None:
            iati = node("iati_type", "unclassified", "Tipo de cooperante sin clasificar")
        else:
            iati = node("iati_type", r["iati_type"], r["iati_type_name"] or f"Tipo IATI {r['iati_type']}")
        country = node("country", r["country"], _country_name(r["country"]) if r["country"]
                       else "Sin país (organismo internacional o sin dato)")
        sector = node("sector", r["sector"], rows.sectors.get(r["sector"], r["sector"]) if r["sector"] else "Sin sector")
        entity = node("entity", r["entity"], rows.name(node_id("entity", r["entity"])) if r["entity"] else "Sin entidad")
        link("iati_type-country", iati, country, cents, n)
        link("country-sector", country, sector, cents, n)
        link("sector-entity", sector, entity, cents, n)
    for stage, column, empty in (("entity-sdg", "sdg", "Sin ODS"), ("entity-pdd_objective", "pdd_objective", "Sin objetivo PDD")):
        for r in tails[column]:
            entity = node("entity", r["entity"], rows.name(node_id("entity", r["entity"])) if r["entity"] else "Sin entidad")
            target = node(column, r["target"], labels[column].get(r["target"], empty) if r["target"] is not None else empty)
            link(stage, entity, target, int(r["total_cents"] or 0), int(r["contributions"]))
    stage_order = {s[0]: i for i, s in enumerate(FLOW_STAGES)}
    out_links = [{"source": a, "target": b, "value_cents": v, "contributions": n, "stage": s}
                 for (s, a, b), (v, n) in links.items()]
    out_links.sort(key=lambda l: (stage_order[l["stage"]], -l["value_cents"], l["source"], l["target"]))
    stages = []
    for stage, source, target in FLOW_STAGES:
        mine = [l for l in out_links if l["stage"] == stage]
        total = sum(l["value_cents"] for l in mine)
        stages.append({"id": stage, "source": source, "target": target, "total_cents": total,
                       "conserved": total == monetary_total_cents,
                       "missing_source_cents": sum(l["value_cents"] for l in mine if _missing(l["source"])),
                       "missing_target_cents": sum(l["value_cents"] for l in mine if _missing(l["target"]))})
    used = {l["source"] for l in out_links} | {l["target"] for l in out_links}
    return {"basis": "total_cents", "monetary_total_cents": monetary_total_cents, "stages": stages,
            "nodes": sorted((n for n in nodes.values() if n["id"] in used), key=lambda n: n["id"]),
            "links": out_links,
            "note": "las etapas entity-sdg y entity-pdd_objective son columnas finales alternativas: "
                    "no se encadenan entre sí en un mismo diagrama"}
