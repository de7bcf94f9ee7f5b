"""The FastAPI application, built by a factory so tests and `coopgraph serve` share one wiring."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response

from coopgraph import __version__
from coopgraph.errors import CoopgraphError, StoreError
from coopgraph.graph.store import open_store
from coopgraph.output import to_json
from coopgraph.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = open_store(settings)
        yield
        app.state.store.close()

    app = FastAPI(title="coopgraph", version=__version__, lifespan=lifespan,
                  description="Graph knowledge base of international cooperation (Bogotá, 2024 report).")

    @app.exception_handler(CoopgraphError)
    async def domain_error(request, exc: CoopgraphError):
        status = 503 if isinstance(exc, StoreError) else 400
        return JSONResponse({"status": status, "code": type(exc).__name__, "message": exc.message,
                             "details": exc.details}, status_code=status)

    @app.get("/", include_in_schema=False)
    def index():
        return RedirectResponse("/docs")

    @app.get("/api/v1/summary", summary="Headline figures (exact COP amounts)")
    def summary(year: int | None = Query(None, description="Only this year")):
        from coopgraph.graph.summary import summary as compute

        data = compute(app.state.store, **({"from_year": year, "to_year": year} if year else {}))
        return Response(to_json(data), media_type="application/json")

    return app
