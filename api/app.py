"""The FastAPI application, built by a factory so tests and `coopgraph serve` share one wiring."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi_offline import FastAPIOffline
from fastapi.responses import RedirectResponse

from coopgraph import __version__
from coopgraph.api import errors, http_cache, openapi
from coopgraph.api.limits import BodyLimit, QuerySlots
from coopgraph.api.responses import Cache
from coopgraph.api.routers import analytics, breakdowns, cypher, maps, organisations, pages, profiles, provenance, queries, search, summary
from coopgraph.api.routers import diff as diff_routes
from coopgraph.api.routers import history as history_routes
from coopgraph.api.routers import iati as iati_routes
from coopgraph.api.routers import prospects as prospect_routes
from coopgraph.cypher.sandbox import close_pools, pool_for
from coopgraph.graph.store import open_store
from coopgraph.settings import Settings, get_settings

ROUTERS = (summary.router, analytics.router, breakdowns.router, organisations.router, queries.router, cypher.router,
           profiles.router, prospect_routes.router, search.router, diff_routes.router, provenance.router,
           history_routes.router, iati_routes.router)


def create_app(settings: Settings | None = None, *, warm_workers: bool = False) -> FastAPI:
    """`warm_workers`: start the query workers with the server (`coopgraph serve`), not at the first query."""
    settings = settings or get_settings()
    settings.check_api_key()

    store = open_store(settings)  # opening is lazy: nothing is read until the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_workers and settings.store != "neo4j" and store.has_data():
            pool_for(settings, trusted=True).warm()
        yield
        close_pools(settings)
        store.close()

    # FastAPIOffline: FastAPI whose /docs and /redoc load Swagger UI and ReDoc from coopgraph, not a CDN
    app = FastAPIOffline(title="coopgraph", version=__version__, lifespan=lifespan,
                         generate_unique_id_function=openapi.operation_id,
                  description="Graph knowledge base of international cooperation (Bogotá, 2024 report). "
                              "Money is exact COP (two decimals) unless a currency says otherwise.")
    app.state.settings = settings
    app.state.store = store
    app.state.cache = Cache()
    app.state.query_slots = QuerySlots(settings.api_query_processes, settings.api_queue_wait_s)
    app.add_middleware(BodyLimit, max_bytes=settings.api_max_body_bytes)
    # innermost first: pages link /assets, GETs get ETags and 304s, text is gzipped (docs in api/http_cache.py)
    app.add_middleware(http_cache.DataVersion, store=store)  # innermost: the ETag digests its version
    app.add_middleware(http_cache.LinkedAssets)
    app.add_middleware(http_cache.ConditionalGet)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(http_cache.WeakenEncodedETags)
    from coopgraph.viz.error_page import error_html

    app.state.error_page = error_html  # api/errors.py renders page errors with it
    errors.install(app)
    if settings.cors_origin_list:  # browsers on other origins may call the API only when listed
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Content-Type", "If-None-Match"], expose_headers=["ETag", "X-Coopgraph-Data-Version", "X-Coopgraph-Loaded-At"])

    @app.get("/", include_in_schema=False)
    def index():
        return RedirectResponse("/maps")

    for router in ROUTERS:
        app.include_router(router, prefix="/api/v1")
    app.include_router(prospect_routes.pages)  # /maps/prospects before /maps/{view}
    app.include_router(diff_routes.pages)  # /maps/diff before /maps/{view}
    app.include_router(maps.router)  # pages for people, beside the versioned API
    app.include_router(profiles.pages)
    app.include_router(pages.router)  # /query
    app.include_router(http_cache.router)
    openapi.install(app)
    return app
