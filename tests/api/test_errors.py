"""Errors carry their HTTP status beside their exit code; every "not found" is one NotFound; the API's
error module maps the bases and imports no domain module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coopgraph.cypher.library import QueryError
from coopgraph.cypher.sandbox import EngineCrashed, SandboxUnavailable
from coopgraph.errors import CoopgraphError, IatiError, InputError, NotFound, NotFoundError, StoreError
from coopgraph.analysis.diff import YearDiffError
from coopgraph.graph.neo4j_import import ExportError
from coopgraph.rates import RateError
from coopgraph.settings import SettingsError
from coopgraph.cli.sources import BadOption
from coopgraph.analysis.filters import NoSuchData
from coopgraph.analysis.profiles import ProfileNotFound
from coopgraph.analysis.prospects import UnknownTarget
from coopgraph.viz.errors import MapError, NodeNotFound

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("error", [NotFoundError, NoSuchData, ProfileNotFound, UnknownTarget, NodeNotFound])
def test_every_not_found_is_one_not_found_answering_404_and_exiting_2(error):
    assert issubclass(error, NotFound)
    assert (error.http_status, error.exit_code) == (404, 2)


@pytest.mark.parametrize("error,status", [(MapError, 400), (QueryError, 400), (InputError, 422), (YearDiffError, 422),
                                          (StoreError, 503), (SandboxUnavailable, 503), (EngineCrashed, 500),
                                          (CoopgraphError, 500), (RateError, 422), (BadOption, 400),
                                          (ExportError, 422), (SettingsError, 500),
                                          (IatiError, 422)])
def test_each_error_carries_its_http_status(error, status):
    assert error.http_status == status


def test_node_not_found_is_still_a_map_error():
    assert issubclass(NodeNotFound, MapError)


def test_the_api_error_module_imports_no_domain_module():
    tree = ast.parse((ROOT / "api" / "errors.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    ours = {m for m in imported if m.startswith("coopgraph")}
    assert ours == {"coopgraph.errors"}, ours
