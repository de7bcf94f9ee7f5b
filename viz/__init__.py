"""Relationship maps and flow charts of the cooperation graph, as offline HTML pages.

    from coopgraph.viz import render_map, index_html
    html = render_map(store, "ego", id="cooperant:bid", lang="es", hops=1, max_nodes=2000)

See docs/maps.md.
"""
from coopgraph.viz.errors import MapError, NodeNotFound
from coopgraph.viz.render import DEFAULT_MAX_NODES, VIEWS, index_html, map_graph, render_map

__all__ = ["VIEWS", "DEFAULT_MAX_NODES", "render_map", "index_html", "map_graph", "MapError", "NodeNotFound"]
