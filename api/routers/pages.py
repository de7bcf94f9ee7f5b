"""Pages for people beside the maps and the profiles: the analysts' query page (/query)."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from coopgraph.viz.query_page import query_html

router = APIRouter(tags=["pages"])
LANG = Query("es", pattern="^(es|en)$", description="es (default) or en")


@router.get("/query", response_class=HTMLResponse,
            summary="The query page: a Cypher editor, every named query as a form (?name=…&limit=5 fills and runs it)")
def query_page(request: Request, lang: str = LANG):
    """The analysts' query page: named queries as forms with shareable URLs, your own Cypher (API key asked once per session), results as a table and a graph, downloads."""
    return HTMLResponse(query_html(lang, base=request.scope.get("root_path", "")))
