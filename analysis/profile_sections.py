"""The profile's sections about money and partners, networks, projects and events (registered in this order;
coopgraph.analysis.profiles imports this module first, then the other section modules)."""
from __future__ import annotations

from collections import defaultdict

from coopgraph.analysis.profile_model import ProfileContext, Section, register_section
from coopgraph.graph.readmodel import EVENT_KINDS, partners as partners_of, read_model

def _money_rows(context: ProfileContext, dim: str, id_column: str) -> list[dict]:
    """Contributions grouped by the node at the other end of `dim`, largest money first."""
    groups: dict = defaultdict(lambda: {"contributions": 0, "interactions": 0, "cooperant_cents": 0,
                                        "counterpart_cents": 0, "total_cents": 0})
    names = {}
    for c in context.contributions:
        for other in {(o["id"], o["name"]) for o in c[dim]}:
            g = groups[other[0]]
            names[other[0]] = other[1]
            g["interactions"] += int(c["interactions"] or 0)
            if c["monetary"]:
                g["contributions"] += 1
            if c["currency"] == "COP":
                for k in ("cooperant_cents", "counterpart_cents", "total_cents"):
                    g[k] += int(c[k] or 0)
    rows = [{id_column: k, "name": names[k], **v} for k, v in groups.items()]
    return sorted(rows, key=lambda r: (-r["total_cents"], -r["interactions"], str(r["name"])))


MONEY_COLUMNS = ["contributions", "interactions", "cooperant_cents", "counterpart_cents", "total_cents"]


@register_section
def partners(context: ProfileContext) -> Section | None:
    """Everyone it works with (readmodel.partners): by money first, then by how many projects and events."""
    dims = {"entity": [("cooperant", "cooperant")], "cooperant": [("entity", "entity")],
            "network": [("cooperant", "cooperant"), ("entity", "entity")],
            "sdg": [("cooperant", "cooperant"), ("entity", "entity")],
            "pdd-objective": [("cooperant", "cooperant"), ("entity", "entity")],
            "sector": [("cooperant", "cooperant"), ("entity", "entity")]}.get(context.kind, [])
    money: dict[tuple[str, str], dict] = {}
    for dim, kind in dims:
        for r in _money_rows(context, dim, "id"):
            if dim == "cooperant" and r["id"] in context.cooperant_ids:
                continue
            money[(kind, r["id"])] = {"kind": kind, **r}
    linked = partners_of(context.store, context.kind, context.node.get("id"), cooperant_ids=context.cooperant_ids,
                         money={} if context.kind in ("sdg", "pdd-objective") else
                         {key[1]: (key[0], r["name"]) for key, r in money.items()})
    rows = []
    empty = {c: 0 for c in MONEY_COLUMNS}
    for p in linked:
        rows.append({**empty, **money.pop((p["kind"], p["id"]), {}), "kind": p["kind"], "id": p["id"], "name": p["name"],
                     "links": p["links"], "projects": p["projects"], "events": p["events"]})
    rows += [{**r, "links": ["money"], "projects": 0, "events": 0} for r in money.values()]
    district_first = context.kind == "network"  # a network's partners in the district before its other cooperants
    rows.sort(key=lambda r: (-r["total_cents"], district_first and r["kind"] != "entity", -r["interactions"],
                             -(r["projects"] + r["events"]), str(r["name"])))
    return Section("partners", ["kind", "id", "name", "links", *MONEY_COLUMNS], rows)


@register_section
def sdgs(context: ProfileContext) -> Section | None:
    if context.kind == "sdg":
        return None
    return Section("sdgs", ["id", "name", *MONEY_COLUMNS], sorted(
        _money_rows(context, "sdg", "id"), key=lambda r: (-r["total_cents"], int(r["id"]))), note="not_split")


@register_section
def pdd(context: ProfileContext) -> Section | None:
    if context.kind == "pdd-objective":
        return None
    return Section("pdd", ["id", "name", *MONEY_COLUMNS], _money_rows(context, "pdd", "id"), note="not_split")


NETWORK_LINKS = {
    "entity": [("fee", "MATCH (n:CityNetwork)-[:FEE_PAID_BY]->(e:DistrictEntity {id: $key}) RETURN n.id AS id, n.name AS name"),
               ("engagement", "MATCH (e:DistrictEntity {id: $key})-[:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork) "
                              "RETURN DISTINCT n.id AS id, n.name AS name"),
               ("channel", "MATCH (e:DistrictEntity {id: $key})-[:RECEIVED]->(:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) "
                           "RETURN DISTINCT n.id AS id, n.name AS name")],
    "cooperant": [("same_as", "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant {id: $key}) RETURN n.id AS id, n.name AS name"),
                  ("engagement", "MATCH (o:Cooperant {id: $key})-[:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(n:CityNetwork) "
                                 "RETURN DISTINCT n.id AS id, n.name AS name")],
    "network": [("section_of", "MATCH (:CityNetwork {id: $key})-[:SECTION_OF]->(n:CityNetwork) RETURN n.id AS id, n.name AS name"),
                ("section", "MATCH (n:CityNetwork)-[:SECTION_OF]->(:CityNetwork {id: $key}) RETURN n.id AS id, n.name AS name"),
                ("fee_paid_by", "MATCH (:CityNetwork {id: $key})-[:FEE_PAID_BY]->(e:DistrictEntity) RETURN e.id AS id, e.name AS name")],
    "engagement": [("under_network", "MATCH (:Engagement {id: $key})-[:UNDER_NETWORK]->(n:CityNetwork) RETURN n.id AS id, n.name AS name")],
}


@register_section
def networks(context: ProfileContext) -> Section | None:
    rows, seen = [], set()
    for relation, cypher in NETWORK_LINKS.get(context.kind, []):
        for r in context.read(cypher):
            if (relation, r["id"]) not in seen:
                seen.add((relation, r["id"]))
                rows.append({"relation": relation, "id": r["id"], "name": r["name"]})
    return Section("networks", ["relation", "id", "name"], rows)


ENGAGEMENT_FIELDS = ("g.id AS id, g.name AS name, g.kind AS engagement_kind, g.start_date AS start_date, "
                     "g.end_date AS end_date, g.amount_cents AS amount_cents, g.currency AS currency")
ENGAGEMENTS = {
    "entity": f"MATCH (n:DistrictEntity {{id: $key}})-[:TOOK_PART_IN]->(g:Engagement) RETURN DISTINCT {ENGAGEMENT_FIELDS}",
    "cooperant": f"MATCH (n:Cooperant)-[:TOOK_PART_IN]->(g:Engagement) WHERE n.id IN $ids RETURN DISTINCT {ENGAGEMENT_FIELDS}",
    "network": f"MATCH (g:Engagement) WHERE g.id IN $ids RETURN DISTINCT {ENGAGEMENT_FIELDS}",
}


def _engagements(context: ProfileContext) -> list[dict]:
    cypher = ENGAGEMENTS.get(context.kind)
    if not cypher:
        return []
    if context.kind == "network":  # the read model's definition: under it or its sections, or its cooperant self
        ids = sorted(read_model(context.store).networks[context.node["id"]].engagements)
    else:
        ids = context.cooperant_ids
    rows = context.read(cypher, ids=ids)
    return sorted(rows, key=lambda r: (str(r.get("start_date") or r.get("end_date") or ""), r["name"]))


ENGAGEMENT_COLUMNS = ["id", "name", "engagement_kind", "start_date", "end_date", "amount_cents", "currency"]


@register_section
def engagements(context: ProfileContext) -> Section | None:
    """Projects, programmes, studies and funds."""
    rows = [r for r in _engagements(context) if r["engagement_kind"] not in EVENT_KINDS]
    return Section("engagements", ENGAGEMENT_COLUMNS, rows, note="amount_original_currency")


@register_section
def events(context: ProfileContext) -> Section | None:
    """Events, declarations, trainings and commissions."""
    rows = [r for r in _engagements(context) if r["engagement_kind"] in EVENT_KINDS]
    return Section("events", ENGAGEMENT_COLUMNS, rows, note="amount_original_currency")
