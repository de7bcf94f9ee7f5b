"""The relationship maps and the flow chart as offline HTML pages, with an index linking them."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coopgraph.api.deps import StoreDep
from coopgraph.api.errors import page_responses
from coopgraph.viz import VIEWS, index_html, render_map

router = APIRouter(tags=["maps"])
LANG = Query("es", pattern="^(es|en)$", description="es (default) or en")


@router.get("/maps", response_class=HTMLResponse, summary="Index of every map")
def maps_index(request: Request, store: StoreDep, lang: str = LANG):
    """The index of every map, with links to the profiles and the query page, as an HTML page."""
    root = request.scope.get("root_path", "")
    return HTMLResponse(index_html(lang, store=store, query_href=root + "/query", profile_base=root + "/profiles"))


@router.get("/maps/{view}", response_class=HTMLResponse, responses=page_responses(400, 404, 422, 503),
            summary=f"One map ({', '.join(VIEWS)}); ego maps take ?id=cooperant:bid")
def map_page(view: str, store: StoreDep, id: str | None = Query(None, max_length=200),
             hops: int = Query(1, ge=1, le=2), lang: str = LANG,
             max_nodes: int = Query(2000, ge=50, le=10_000)):
    """One relationship map as an HTML page: overview, ego (`id=cooperant:bid`), networks or flows."""
    return HTMLResponse(render_map(store, view, id=id, lang=lang, hops=hops, max_nodes=max_nodes))
