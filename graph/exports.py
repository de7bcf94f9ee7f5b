"""The organisation graph (or a slice) as GraphML, GEXF, node-link JSON or CSV, through NetworkX."""
from __future__ import annotations

import io
import json

import networkx as nx

from coopgraph import spreadsheets

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
           "json": "application/json", "csv": "text/csv"}


def export_graph(graph: nx.Graph, fmt: str, *, delimiter: str = ",") -> bytes:
    """The graph in `fmt`. CSV is UTF-8 with a BOM (Excel), pesos beside centavos, `delimiter` "," or ";"
    (";" writes pesos with a decimal comma). GEXF and GraphML: see coopgraph.graph.portable."""
    from coopgraph.graph.portable import for_graph_tools

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, default=str).encode("utf-8")
    if fmt == "csv":  # Gephi's edge table (Source, Target, Type, Label, Weight), then names and money
        return spreadsheets.csv_bytes([edge_table(graph)], semicolon=delimiter == ";")
    buffer = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(for_graph_tools(graph), buffer)
    return buffer.getvalue()


def edge_table(graph: nx.Graph) -> "spreadsheets.Table":
    """One row per edge as Gephi's edge-table import reads it, endpoints' names and pesos beside centavos."""
    from coopgraph.graph.portable import money_columns
    from coopgraph.money import from_cents

    keys = sorted({k for _, _, a in graph.edges(data=True) for k in a} - {"relation", "weight"})
    columns = money_columns(keys)
    kind = "Directed" if graph.is_directed() else "Undirected"
    rows = ([u, v, kind, a.get("relation", ""), a.get("weight", 1), graph.nodes[u].get("name", ""),
             graph.nodes[v].get("name", ""),
             *(spreadsheets.Money(from_cents(int(a.get(cents) or 0))) if cents else _cell(a.get(c)) for c, cents in columns)]
            for u, v, a in graph.edges(data=True))
    headers = ["Source", "Target", "Type", "Label", "Weight", "source_name", "target_name", *(c for c, _ in columns)]
    return spreadsheets.Table(headers, rows, {c: spreadsheets.COUNT for c, cents in columns if c.endswith("_cents")},
                              title="aristas")


def _cell(value):
    if isinstance(value, (list, tuple, set)):
        return ";".join(map(str, value))
    return value
