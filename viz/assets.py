"""The JavaScript and CSS of every page, read from installed packages — never from a CDN.

* vis-network 9.1.2 (Apache-2.0 / MIT) as the `pyvis` package ships it;
* plotly.js (MIT) as the `plotly` package ships it;
* this package's own `static/` scripts and styles, among them `cypher-editor.js`: Neo4j's Cypher support
  for CodeMirror 6 (Apache-2.0 / MIT), bundled once by viz/editor.

A page written to a file (`coopgraph map`, `coopgraph profile --out`) inlines them, so it opens offline
anywhere. A page the server answers links them instead (`/assets/NAME?v=DIGEST`, cached for a year by
the browser), so 5 MB of libraries travel once, not with every page: the server renders inside
`linked("/assets")`.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources

__all__ = ["vis_js", "vis_css", "plotly_js", "own", "inline_script", "inline_style", "json_for_script",
           "style", "script", "linked", "asset", "ASSETS"]

_LINK_BASE: ContextVar[str | None] = ContextVar("coopgraph_asset_base", default=None)

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


def _read(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_js() -> str:
    # the source map comment would make developer tools fetch a file that is not there
    return _SOURCE_MAP.sub("", _read("pyvis", "lib", "vis-9.1.2", "vis-network.min.js"))


@lru_cache(maxsize=1)
def vis_css() -> str:
    return _read("pyvis", "lib", "vis-9.1.2", "vis-network.css")


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return _SOURCE_MAP.sub("", get_plotlyjs())


@lru_cache(maxsize=16)
def own(name: str) -> str:
    return _read("coopgraph.viz", "static", name)


def inline_script(code: str) -> str:
    """Code safe inside <script>…</script>: no closing tag or comment opener can end it early."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def inline_style(css: str) -> str:
    return css.replace("</style", "<\\/style")


def json_for_script(text: str) -> str:
    """JSON text safe inside <script type="application/json">: every '<' escaped (still valid JSON)."""
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# name served under /assets -> its text (read once)
ASSETS = {"vis-network.min.js": vis_js, "vis-network.css": vis_css, "plotly.min.js": plotly_js,
          **{name: (lambda name=name: own(name)) for name in
             ("map.css", "map.js", "flows.js", "index.css", "profile.css",
              "cypher-editor.js", "cypher-editor.css", "query.js", "query.css")}}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@lru_cache(maxsize=32)
def asset(name: str) -> tuple[bytes, str, str]:
    """(body, media type, digest) of a served asset; KeyError for a name that is not one."""
    body = ASSETS[name]().encode("utf-8")
    return body, MEDIA_TYPES[name[name.rindex("."):]], hashlib.sha256(body).hexdigest()[:16]


@contextmanager
def linked(base: str):
    """Pages rendered inside link their assets under `base` instead of inlining them."""
    token = _LINK_BASE.set(base.rstrip("/"))
    try:
        yield
    finally:
        _LINK_BASE.reset(token)


def _href(name: str) -> str | None:
    base = _LINK_BASE.get()
    return None if base is None else f"{base}/{name}?v={asset(name)[2]}"


def style(name: str) -> str:
    """A stylesheet as markup: a <link> on a served page, the whole <style> in a file."""
    href = _href(name)
    return f'<link rel="stylesheet" href="{href}">' if href else f"<style>{inline_style(ASSETS[name]())}</style>"


def script(name: str) -> str:
    """A script as markup: <script src> on a served page, the whole <script> in a file."""
    href = _href(name)
    return f'<script src="{href}"></script>' if href else f"<script>{inline_script(ASSETS[name]())}</script>"
