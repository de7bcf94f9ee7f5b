"""A store's whole content, to compare before and after: "exactly as it was" means equal snapshots."""
from __future__ import annotations

import json

__all__ = ["snapshot"]


def snapshot(store) -> tuple[list, list]:
    """Every node and relationship with all its properties: 'exactly as it was' means equal snapshots."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, "
                      "elementId(b) AS b")
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return sorted(map(key, nodes)), sorted(map(key, rels))
