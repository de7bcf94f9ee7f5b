"""The JavaScript and CSS every page inlines, read from installed packages — never from a CDN.

* vis-network 9.1.2 (Apache-2.0 / MIT) as the `pyvis` package ships it;
* plotly.js (MIT) as the `plotly` package ships it;
* this package's own `static/` scripts and styles.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["vis_js", "vis_css", "plotly_js", "own", "inline_script", "inline_style", "json_for_script"]

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


@lru_cache(maxsize=8)
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
