"""The organisation graph (or a slice) as GraphML, GEXF, node-link JSON or CSV, through NetworkX."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx

from coopgraph.cells import escape  # spreadsheet-safe cells (CSV injection)

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
           "json": "application/json", "csv": "text/csv"}


def _scalar_copy(graph: nx.Graph) -> nx.Graph:
    """GraphML and GEXF take only scalar attributes: drop empty values, join lists."""
    out = nx.Graph() if not graph.is_directed() else nx.DiGraph()

    def clean(attrs: dict) -> dict:
        return {k: (";".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v)
                for k, v in attrs.items() if v is not None and not isinstance(v, dict)}

    out.add_nodes_from((n, clean(a)) for n, a in graph.nodes(data=True))
    out.add_edges_from((u, v, clean(a)) for u, v, a in graph.edges(data=True))
    return out


def export_graph(graph: nx.Graph, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, default=str).encode("utf-8")
    if fmt == "csv":  # one row per edge, endpoints' names included, for spreadsheets
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        keys = sorted({k for _, _, a in graph.edges(data=True) for k in a})
        writer.writerow(map(escape, ["source", "source_name", "target", "target_name", *keys]))
        for u, v, a in graph.edges(data=True):
            writer.writerow(map(escape, [u, graph.nodes[u].get("name", ""), v, graph.nodes[v].get("name", ""),
                                         *(a.get(k, "") for k in keys)]))
        return text.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(_scalar_copy(graph), buffer)
    return buffer.getvalue()
