"""The organisation graph (or a slice) as GraphML, GEXF, node-link JSON or CSV, through NetworkX."""
from __future__ import annotations

import io

import networkx as nx

from coopgraph import spreadsheets
from coopgraph.money import from_cents

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
    (";" writes pesos with a decimal comma). GEXF and GraphML: see coopgraph.analysis.portable."""
    from coopgraph.analysis.portable import for_graph_tools

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "json":
        return _node_link_json(for_graph_tools(graph))
    if fmt == "csv":  # Gephi's edge table (Source, Target, Type, Label, Weight), then names and money
        return spreadsheets.csv_bytes([edge_table(graph)], semicolon=delimiter == ";")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(for_graph_tools(graph), buffer)
        return buffer.getvalue()
    nx.write_gexf(for_graph_tools(graph), buffer, version="1.2draft")
    return gexf_13(buffer.getvalue())


GEXF_12, GEXF_13 = "http://www.gexf.net/1.2draft", "http://gexf.net/1.3"


def gexf_13(document: bytes) -> bytes:
    """NetworkX's GEXF 1.2 as GEXF 1.3 (what Gephi 0.9+ writes), attribute ids named as their titles,
    so a tool that shows ids shows `kind` and `amount_cop`, not `0` and `3`."""
    from xml.etree import ElementTree as ET

    ET.register_namespace("", GEXF_13)
    ET.register_namespace("viz", GEXF_13 + "/viz")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    text = document.decode("utf-8").replace(GEXF_12 + "/viz", GEXF_13 + "/viz").replace(GEXF_12, GEXF_13)
    root = ET.fromstring(text)
    root.set("version", "1.3")
    root.set("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", f"{GEXF_13} {GEXF_13}/gexf.xsd")
    ns = {"g": GEXF_13}
    for attributes in root.iterfind(".//g:attributes", ns):
        names = {}
        for attribute in attributes.iterfind("g:attribute", ns):
            names[attribute.get("id")] = attribute.get("title")
            attribute.set("id", attribute.get("title"))
        owner = "node" if attributes.get("class") == "node" else "edge"
        for value in root.iterfind(f".//g:{owner}/g:attvalues/g:attvalue", ns):
            value.set("for", names.get(value.get("for"), value.get("for")))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _node_link_json(graph: nx.Graph) -> bytes:
    """Node-link JSON (NetworkX, d3): names as labels, money exact in pesos beside centavos (machine_json)."""
    from coopgraph.output import machine_json

    data = nx.node_link_data(graph, edges="links")
    for item in (*data["nodes"], *data["links"]):  # the graph tools' float pesos give way to exact ones
        for key in [k for k, v in item.items() if k.endswith("_cop") and isinstance(v, float)]:
            del item[key]
    return machine_json(data).encode("utf-8")


def edge_table(graph: nx.Graph) -> "spreadsheets.Table":
    """One row per edge as Gephi's edge-table import reads it, endpoints' names and pesos beside centavos."""
    from coopgraph.analysis.portable import money_columns

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
