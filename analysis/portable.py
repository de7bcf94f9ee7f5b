"""What makes a graph file open cleanly in the tools people use (Gephi, Cytoscape, yEd, igraph, Excel).

* GEXF and GraphML: node ids are the graph's own unique ids (``cooperant:c40`` and ``network:c40``
  are two nodes; NetworkX's GEXF writer would otherwise take a node's ``id`` attribute, the bare
  store id, as its id and merge them); the label is the name, never the kind; ``kind`` and money
  (``amount_cents`` exact, ``amount_cop`` in pesos) are attributes of every node; lists are joined
  with ";", empty values left out (neither format takes them).
* CSV: money in pesos (exact, two decimals) beside every ``*_cents`` column; a decimal comma when
  the delimiter is ";" (spreadsheets set to Spanish).
"""
from __future__ import annotations

from decimal import Decimal

import networkx as nx

from coopgraph.money import from_cents

__all__ = ["for_graph_tools", "pesos", "money_columns"]

NODE_MONEY = ("amount_cents", "cooperant_cents", "counterpart_cents")


def pesos(cents, *, decimal_comma: bool = False) -> str:
    """``123456`` centavos → ``"1234.56"`` (``"1234,56"`` with a decimal comma); exact."""
    text = str(from_cents(int(cents)))
    return text.replace(".", ",") if decimal_comma else text


def _scalar(value):
    if isinstance(value, (list, tuple, set)):
        return ";".join(map(str, value))
    return value


def for_graph_tools(graph: nx.Graph) -> nx.Graph:
    """A copy ready for GEXF and GraphML (see the module docstring); nodes' money sums their links' money."""
    out = nx.DiGraph() if graph.is_directed() else nx.Graph()
    out.graph.update({k: v for k, v in graph.graph.items() if v is not None and not isinstance(v, dict)})
    money = {n: dict.fromkeys(NODE_MONEY, 0) for n in graph}
    for u, v, a in graph.edges(data=True):
        for key in NODE_MONEY:
            for n in (u, v):
                money[n][key] += int(a.get(key) or 0)
    for n, attrs in graph.nodes(data=True):
        clean = {k: _scalar(v) for k, v in attrs.items() if v is not None and not isinstance(v, dict)}
        store_id = clean.pop("id", None)
        kind_label = clean.pop("label", None)
        clean.update(label=str(attrs.get("name") or n), store_id=str(store_id or n).split(":", 1)[-1],
                     kind=str(attrs.get("kind") or str(n).split(":", 1)[0]))
        if kind_label:
            clean["node_label"] = kind_label
        clean.update(money[n])
        clean["amount_cop"] = float(Decimal(money[n]["amount_cents"]) / 100)
        out.add_node(n, **clean)
    for u, v, a in graph.edges(data=True):
        clean = {k: _scalar(v) for k, v in a.items() if v is not None and not isinstance(v, dict)}
        if "amount_cents" in clean:
            clean["amount_cop"] = float(Decimal(int(clean["amount_cents"])) / 100)
        out.add_edge(u, v, **clean)
    return out


def money_columns(keys: list[str]) -> list[tuple[str, str | None]]:
    """CSV columns: each ``x_cents`` followed by ``x_cop`` (pesos). Returns (header, cents key or None)."""
    out = []
    for k in keys:
        out.append((k, None))
        if k.endswith("_cents"):
            out.append((k[: -len("_cents")] + "_cop", k))
    return out
