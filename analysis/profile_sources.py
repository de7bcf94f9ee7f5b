"""The profile's "sources" section: every source behind a ficha, down to the report's line.

Registered last by `coopgraph.analysis.profiles` (the prospects section is placed before it)."""
from __future__ import annotations

from coopgraph.analysis.profile_model import KINDS, ProfileContext, Section, register_section

SOURCES = {  # node -> where it was read from; reported figures -> the table line
    "node": "MATCH (n:{label})-[r:SOURCED_FROM]->(s:Source) WHERE n.{key} = $key "
            "RETURN s.id AS source, s.title AS title, r.locator AS locator",
    "reported": "MATCH (n:{label})-[r:REPORTED]->(s:Source) WHERE n.{key} = $key "
                "RETURN s.id AS source, s.title AS title, r.locator AS locator",
}
SOURCE_COLUMNS = ["fact", "about", "title", "locator", "basis", "quote"]


@register_section
def sources(context: ProfileContext) -> Section | None:
    """Every source behind the profile, down to the report's line: the node itself and each fact touching
    it with its basis and the quoted sentence (coopgraph.analysis.provenance), the figures the tables report
    for it, and the contribution rows its money adds up."""
    from coopgraph.analysis.provenance import fact_sources

    spec = KINDS[context.kind]
    titles = {r["id"]: r["title"] for r in context.store.read("MATCH (s:Source) RETURN s.id AS id, s.title AS title")}
    rows, seen = [], set()

    def add(fact, about, source, locator, basis=None, quotes=()):
        locator = locator or ""
        if not locator or (fact, about, source, locator) in seen:
            return
        seen.add((fact, about, source, locator))
        title = "; ".join(titles.get(s, s) for s in str(source or "").split("|") if s)
        rows.append({"fact": fact, "about": about, "source": source, "title": title, "locator": locator,
                     "basis": basis or "", "quote": " … ".join(q["text"] for q in quotes if q.get("text"))})

    provenance = fact_sources(context.store, context.node["id"]) if context.node.get("id") else None
    if provenance:
        for s in provenance["sources"]:
            if s["basis"]:  # citations without a basis predate line-level provenance
                add("node", context.node.get("name"), s["source"], s["locator"] or s["curated"], s["basis"], s["quotes"])
        for r in provenance["relationships"]:
            if r["basis"]:
                add(r["type"], r["other_name"], r["source"], r["locator"] or r["curated"], r["basis"], r["quotes"])
    else:
        for r in context.read(SOURCES["node"].format(label=spec.label, key=spec.key)):
            add("node", context.node.get("name"), r["source"], r["locator"])
    if spec.label in ("Cooperant", "DistrictEntity", "SDG"):
        for r in context.read(SOURCES["reported"].format(label=spec.label, key=spec.key)):
            add("reported", context.node.get("name"), r["source"], r["locator"], "stated")
    for c in context.contributions:
        for s in c["source"]:
            add("contribution", c["id"], s["id"], s.get("locator"), "stated")
    return Section("sources", SOURCE_COLUMNS, rows)
