"""The organisation graph (or a slice) as GraphML, GEXF, node-link JSON or CSV, through NetworkX."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx

from coopgraph.cells import escape  # spreadsheet-safe cells (CSV injection)

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
           "json": "application/json", "csv": "text/csv"}


def with_cooperant_counts(graph: nx.Graph, store) -> nx.Graph:
    """The unsliced organisation graph carries how many cooperants the store holds and how many of them
    are unlinked (coopgraph.graph.readmodel's definition, the overview map's count): the file shows
    only linked organisations, and a reader should not have to infer the rest from what is missing."""
    from coopgraph.graph.readmodel import read_model

    s = graph.graph
    if (s.get("from_year", 0), s.get("to_year", 9999), s.get("sector_id"), s.get("network_id"), s.get("sdg")) == (
            0, 9999, None, None, None):
        model = read_model(store)
        s["cooperants"] = len(model.cooperants)
        s["unlinked_cooperants"] = len(model.unlinked_cooperants)
    return graph


def export_graph(graph: nx.Graph, fmt: str, *, delimiter: str = ",") -> bytes:
    """The graph in `fmt`. CSV is UTF-8 with a BOM (Excel), pesos beside centavos, `delimiter` "," or ";"
    (";" writes pesos with a decimal comma). GEXF and GraphML: see coopgraph.graph.portable."""
    from coopgraph.graph.portable import for_graph_tools, money_columns, pesos

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, default=str).encode("utf-8")
    if fmt == "csv":  # one row per edge, endpoints' names included, for spreadsheets
        text = io.StringIO()
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        columns = money_columns(sorted({k for _, _, a in graph.edges(data=True) for k in a}))
        writer.writerow(map(escape, ["source", "source_name", "target", "target_name", *(c for c, _ in columns)]))
        for u, v, a in graph.edges(data=True):
            writer.writerow(map(escape, [u, graph.nodes[u].get("name", ""), v, graph.nodes[v].get("name", ""),
                                         *(pesos(a.get(cents) or 0, decimal_comma=delimiter == ";") if cents
                                           else a.get(c, "") for c, cents in columns)]))
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    buffer = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(for_graph_tools(graph), buffer)
    return buffer.getvalue()
