"""Every Cypher text the maps and the flow chart send, by name: the tests lint them all with Neo4j's
language service, so a map's query that Neo4j would refuse fails the suite."""
from __future__ import annotations

from coopgraph.viz import flows
from coopgraph.viz.graphdata import (COMBOS, ENGAGEMENT_YEARS, LINKS, MONEY_LINKS, NETWORK_AS_COOPERANT, NODE_MONEY,
                                     NODES, REPORTED)

__all__ = ["all_queries"]


def all_queries() -> dict[str, str]:
    """Every Cypher text the maps send, by name (the tests lint them with Neo4j's language service)."""
    texts = {f"nodes: {k}": q for k, q in NODES.items()}
    texts |= {f"node money: {k}": q for k, q in NODE_MONEY.items()}
    texts["network as cooperant"] = NETWORK_AS_COOPERANT
    texts |= {f"money link: {r} {a}-{b}": q for r, a, b, q in MONEY_LINKS}
    texts |= {f"link: {r} {a}-{b}": q for r, a, b, q in LINKS}
    texts |= {"combos": COMBOS, "engagement years": ENGAGEMENT_YEARS}
    texts |= {f"reported: {k}": q for k, q in REPORTED.items()}
    texts |= {"flows: rows": flows.ROWS, "flows: other currency": flows.OTHER_CURRENCY}
    texts |= {f"flows: names {k}": q for k, q in flows.NAMES.items()}
    return texts
