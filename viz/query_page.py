"""The analysts' query page (/query): a Cypher editor that completes the graph's own vocabulary, every
named query as a form with a shareable URL, results as a table (money the Colombian way) and as a graph.

    html = query_html("es")   # served by api/routers/pages.py; its scripts link /assets when served

The page asks the API for everything it runs (GET /api/v1/queries/NAME, POST /api/v1/cypher); what it
gets here is what it cannot ask for: the schema for completion, the named queries and its words.
"""
from __future__ import annotations

import json
from functools import lru_cache

from coopgraph.cypher.library import library
from coopgraph.graph.model import model
from coopgraph.viz import assets, i18n
from coopgraph.viz.page import render_template
from coopgraph.viz.query_text import words

__all__ = ["query_html", "editor_schema", "named_queries"]

EXAMPLE = ("MATCH (c:Cooperant)-[:PROVIDED]->(x:Contribution)<-[:RECEIVED]-(e:DistrictEntity)\n"
           "WHERE x.currency = 'COP'\n"
           "RETURN c.name AS cooperante, e.name AS entidad, sum(x.total_cents) AS total_cents\n"
           "ORDER BY total_cents DESC LIMIT 10")


@lru_cache(maxsize=1)
def editor_schema() -> dict:
    """What the editor completes (Neo4j's EditorSupportSchema) and what the page needs to draw nodes."""
    m = model()
    properties = {p for n in m.nodes.values() for p in n.properties}
    properties |= {p for r in m.relationships.values() for p in r.properties}
    if m.provenance:
        properties |= set(m.provenance.properties)
    return {
        "labels": list(m.nodes),
        "relationshipTypes": list(m.relationships),
        "propertyKeys": sorted(properties),
        "keys": {n.name: n.key for n in m.nodes.values()},  # a node's identity in a drawn answer
        "words": {lang: {n.name: n.word(lang) for n in m.nodes.values()} for lang in i18n.LANGS},
        "relationshipWords": {lang: {r.name: r.words.get(lang) or r.name for r in m.relationships.values()}
                              for lang in i18n.LANGS},
    }


@lru_cache(maxsize=1)
def named_queries() -> list[dict]:
    return [{"name": q.name, "description": q.description, "cypher": q.cypher,
             "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                        for p in q.params.values()]}
            for q in library().values()]


def query_html(lang: str = "es", *, base: str = "") -> str:
    """The page in `lang`; `base` is the server's root path (the API is under base + /api/v1)."""
    i18n.check_lang(lang)
    text = words(lang)
    config = {"lang": lang, "api": f"{base}/api/v1", "page": f"{base}/query", "text": text,
              "schema": editor_schema(), "queries": named_queries(), "example": EXAMPLE}
    return render_template(
        "query.html", lang=lang, text=text, other_lang="en" if lang == "es" else "es", base=base,
        queries=named_queries(),
        config=assets.json_for_script(json.dumps(config, ensure_ascii=False)),
        styles="".join(assets.style(n) for n in ("vis-network.css", "cypher-editor.css", "query.css")),
        scripts="".join(assets.script(n) for n in ("vis-network.min.js", "cypher-editor.js", "query.js")))
