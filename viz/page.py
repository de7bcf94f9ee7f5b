"""The Jinja environment of the pages (autoescaped; scripts and styles go in through `|safe`)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["render_template"]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("coopgraph.viz", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_template(name: str, **context) -> str:
    return _environment().get_template(name).render(**context)
