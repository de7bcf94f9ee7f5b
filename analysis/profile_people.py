"""The profile's sections about who and when: a project's participants, the people, and year by year.

Registered by `coopgraph.analysis.profiles` after the projects and events (before the sources)."""
from __future__ import annotations

from collections import defaultdict

from coopgraph.analysis.profile_model import ProfileContext, Section, register_section

@register_section
def participants(context: ProfileContext) -> Section | None:
    """Who took part in a project or event."""
    if context.kind != "engagement":
        return None
    rows = context.read("MATCH (x:DistrictEntity)-[r:TOOK_PART_IN]->(g:Engagement {id: $key}) "
                        "RETURN 'entity' AS kind, x.id AS id, x.name AS name, r.role AS part")
    rows += context.read("MATCH (x:Cooperant)-[r:TOOK_PART_IN]->(g:Engagement {id: $key}) "  # part: Breathe Cities' funder…
                         "RETURN 'cooperant' AS kind, x.id AS id, x.name AS name, r.role AS part")
    return Section("participants", ["kind", "id", "name", "part"], sorted(rows, key=lambda r: (r["kind"], r["name"])))


PEOPLE = {
    "entity": "MATCH (p:Person)-[r:WORKS_FOR]->(:DistrictEntity {id: $key}) RETURN DISTINCT p.id AS id, p.name AS name, r.role AS role",
    "cooperant": "MATCH (p:Person)-[r:WORKS_FOR]->(o:Cooperant) WHERE o.id IN $ids RETURN DISTINCT p.id AS id, p.name AS name, r.role AS role",
    "engagement": "MATCH (p:Person)-[r:TOOK_PART_IN]->(:Engagement {id: $key}) RETURN DISTINCT p.id AS id, p.name AS name, r.role AS role",
    "network": ("MATCH (p:Person)-[r:TOOK_PART_IN]->(:Engagement)-[:UNDER_NETWORK]->(:CityNetwork {id: $key}) "
                "RETURN DISTINCT p.id AS id, p.name AS name, r.role AS role"),
}


@register_section
def people(context: ProfileContext) -> Section | None:
    cypher = PEOPLE.get(context.kind)
    if not cypher:
        return None
    rows = context.read(cypher, ids=context.cooperant_ids)
    return Section("people", ["id", "name", "role"], sorted(rows, key=lambda r: r["name"]))


@register_section
def years(context: ProfileContext) -> Section | None:
    """Year by year, when there is more than one year."""
    by_year = defaultdict(lambda: {"contributions": 0, "interactions": 0, "total_cents": 0})
    for c in context.contributions:
        y = by_year[c["year"]]
        y["interactions"] += int(c["interactions"] or 0)
        y["contributions"] += 1 if c["monetary"] else 0
        y["total_cents"] += int(c["total_cents"] or 0) if c["currency"] == "COP" else 0
    if len(by_year) < 2:
        return None
    return Section("years", ["year", "contributions", "interactions", "total_cents"],
                   [{"year": y, **v} for y, v in sorted(by_year.items())])
