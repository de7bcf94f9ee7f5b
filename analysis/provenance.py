"""Where a fact comes from, in the report's own words: what `coopgraph sources` and the profile
pages show.

`fact_sources(store, id)` returns a node's sources (the Source, the report lines with their quoted
sentences, the curated file and line, the basis) and the same for every relationship that touches
it. Quotes come from the bundled copy of the cited lines (data/report-2024/lines.csv), so the
report itself is not needed.
"""
from __future__ import annotations

from coopgraph.errors import NotFoundError
from coopgraph.loaders.provenance_audit import node_terms
from coopgraph.loaders.report_lines import bundled_lines, parse_locator, quote

__all__ = ["fact_sources", "quotes_for", "facts", "FACT_COLUMNS"]

# Relationships that are provenance or table bookkeeping themselves, not facts about the node
_NOT_FACTS = {"SOURCED_FROM", "REPORTED", "PART_OF"}


def quotes_for(locator: str | None, terms=()) -> list[dict]:
    """[{line, text}] for the report lines a locator cites: the sentence(s) naming a term."""
    text = bundled_lines()
    return [{"line": n, "text": quote(text[n], terms) if n in text else ""} for n in parse_locator(locator)]


def _provenance(row: dict, terms) -> dict:
    return {"source": row.get("source"), "locator": row.get("locator") or "", "curated": row.get("curated"),
            "basis": row.get("basis"), "method": row.get("method"), "reference": row.get("reference"),
            "quotes": quotes_for(row.get("locator"), terms)}


def fact_sources(store, fact_id: str, *, relationships: bool = True) -> dict:
    """A node's provenance by id (e.g. 'diana-duran', 'breathe-cities-bogota', 'bid'), and that of
    each relationship touching it. Raises NotFoundError when no node has the id."""
    found = None
    for label in store.model.nodes:
        if label == "Source":
            continue
        rows = store.read(f"MATCH (n:{label} {{id: $id}}) RETURN n", {"id": fact_id})
        if rows:
            found = (label, rows[0]["n"])
            break
    if found is None:
        return _source(store, fact_id)
    label, node = found
    terms = node_terms(label, node)
    sources = store.read(
        f"MATCH (n:{label} {{id: $id}})-[r:SOURCED_FROM]->(s:Source) RETURN s.id AS source, s.title AS title, "
        "r.locator AS locator, r.curated AS curated, r.basis AS basis, r.method AS method, r.reference AS reference "
        "ORDER BY source, locator", {"id": fact_id})
    out = {"id": fact_id, "label": label, "name": node.get("name") or fact_id, "basis": node.get("basis"),
           "sources": [{**_provenance(r, terms), "title": r["title"]} for r in sources], "relationships": []}
    if relationships:
        out["relationships"] = _relationships(store, label, fact_id, terms)
    return out


def _source(store, source_id: str) -> dict:
    """A Source by id (a report, a table, a section): its title and, for a report, the act it says it
    is presented under, with that line quoted. Raises NotFoundError when no node has the id."""
    rows = store.read("MATCH (s:Source {id: $id}) RETURN s", {"id": source_id})
    if not rows:
        raise NotFoundError(f"no node with id {source_id!r}")
    node = rows[0]["s"]
    out = {"id": source_id, "label": "Source", "name": node.get("title") or source_id, "basis": "stated",
           "sources": [], "relationships": []}
    if node.get("mandate"):
        out["sources"].append({**_provenance({"source": source_id, "locator": node.get("mandate_locator"),
                                              "basis": "stated"}, [node["mandate"]]),
                               "title": node.get("title"), "about": "mandate", "mandate": node["mandate"]})
    return out


def _relationships(store, label: str, fact_id: str, terms) -> list[dict]:
    found = []
    for rel in store.model.relationships.values():
        if rel.name in _NOT_FACTS:
            continue
        for a, b in rel.pairs:
            for direction, (mine, other) in (("out", (a, b)), ("in", (b, a))):
                if mine != label:
                    continue
                pattern = (f"(n:{mine} {{id: $id}})-[r:{rel.name}]->(m:{other})" if direction == "out"
                           else f"(m:{other})-[r:{rel.name}]->(n:{mine} {{id: $id}})")
                for row in store.read(f"MATCH {pattern} RETURN m, r", {"id": fact_id}):
                    other_node, props = row["m"], row["r"]
                    both = terms + node_terms(other, other_node)
                    found.append({"type": rel.name, "direction": direction, "other_label": other,
                                  "other_id": other_node.get("id"), "other_name": other_node.get("name") or other_node.get("id"),
                                  "role": props.get("role"), **_provenance(props, both)})
    return sorted(found, key=lambda r: (r["type"], r["other_name"] or ""))


FACT_COLUMNS = ("type", "from_label", "from_id", "from_name", "to_label", "to_id", "to_name", "role", "reason",
                "source", "locator", "curated", "basis", "method", "reference")


def facts(store, *, basis: str | None = None, rel_type: str | None = None) -> list[dict]:
    """Every relationship of the graph as one fact with its provenance (FACT_COLUMNS), node citations
    (SOURCED_FROM) included; `basis` keeps stated, derived or outside facts only, `rel_type` one type."""
    out = []
    for rel in store.model.relationships.values():
        if rel_type and rel.name != rel_type:
            continue
        for a, b in rel.pairs:
            where = "WHERE r.basis = $basis " if basis else ""
            cypher = (f"MATCH (x:{a})-[r:{rel.name}]->(y:{b}) {where}"
                      f"RETURN x.{store.model.node(a).key} AS from_id, y.{store.model.node(b).key} AS to_id, "
                      f"x AS x, y AS y, r AS r")
            for row in store.read(cypher, {"basis": basis} if basis else {}):
                r = row["r"]
                out.append({"type": rel.name, "from_label": a, "from_id": str(row["from_id"]),
                            "from_name": row["x"].get("name") or row["x"].get("title") or str(row["from_id"]),
                            "to_label": b, "to_id": str(row["to_id"]),
                            "to_name": row["y"].get("name") or row["y"].get("title") or str(row["to_id"]),
                            **{c: r.get(c) for c in FACT_COLUMNS[7:]}})
    return sorted(out, key=lambda f: (f["type"], f["from_label"], f["from_id"], f["to_label"], f["to_id"], f["locator"] or ""))
