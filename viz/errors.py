"""Errors of the maps. The API maps `NodeNotFound` to 404 and `MapError` to 400; the CLI exits with 2."""
from __future__ import annotations

from coopgraph.errors import BadRequest, NotFound

__all__ = ["MapError", "NodeNotFound"]


class MapError(BadRequest):
    """A map was asked for with a wrong view, language, hop count, size or id."""

    exit_code = 2


class NodeNotFound(NotFound, MapError):
    """No organisation, network, ODS or PDD objective has that id (or the id names several)."""
