"""Fixtures. Every test runs the real embedded engine in a throw-away COOPGRAPH_HOME; nothing is mocked.

`loaded_home` loads the bundled 2024 data once per session (read-only tests share it);
tests that write get their own empty `home`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coopgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# The 2024 report's text is public and bundled (data/report-2024/informe-2024.txt); COOPGRAPH_TEST_SEED
# points the tests at another copy of it.
SEED = Path(os.environ.get("COOPGRAPH_TEST_SEED") or ROOT / "data" / "report-2024" / "informe-2024.txt")


def seed_path() -> Path:
    assert SEED.exists(), f"the 2024 report's text is not at {SEED} (bundled as data/report-2024/informe-2024.txt)"
    return SEED


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def settings(home) -> Settings:
    return Settings(home=home)


@pytest.fixture(scope="session")
def loaded_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("loaded") / "home"
    result = run_cli(["load"], home)
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture(scope="session")
def loaded_store(loaded_home):
    """A read-only store of the loaded data, shared by every test that only reads."""
    from coopgraph.graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Settings(home=loaded_home))
    yield store
    store.close()


def run_cli(args: list[str], home: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed `coopgraph` command as a user would, in its own process."""
    env = {**os.environ, "COLUMNS": "200", **(env or {}), "COOPGRAPH_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "coopgraph", *args], capture_output=True, text=True,
                          env=env, timeout=300, **kwargs)


# -- Neo4j --------------------------------------------------------------------------------------
# One live server per session: the user's own when NEO4J_URI is set (its database is wiped), else
# the suite's (tests/neo4j_server: Neo4j's test harness in a JVM) wherever java and mvn exist.
# Community edition has one user database, so tests that wipe it and tests that read the 2024 load
# share it: `neo4j_loaded` reloads only when a test changed it since the last load (the test files
# are named so that those that read the load run first, then loads, then the wiping contract).
@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    pytest.importorskip("neo4j")
    if os.environ.get("NEO4J_URI"):
        _neo4j_tally["server"] = f"your Neo4j at {os.environ['NEO4J_URI']} (NEO4J_URI)"
        yield Settings(store="neo4j", neo4j_uri=os.environ["NEO4J_URI"],
                       neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                       neo4j_password=os.environ.get("NEO4J_PASSWORD"),
                       neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"))
        return
    from neo4j_server import server

    reason = server.unavailable()
    if reason:
        if os.environ.get("CI"):  # CI installs java and maven: a skip there would hide the live tests
            pytest.fail(reason)
        pytest.skip(reason)
    started = server.start()
    _neo4j_tally["server"] = (f"Neo4j {started.version} test server on {started.uri}: ready in "
                              f"{started.started_s:.1f} s, {started.rss_mb() or 0:.0f} MB resident")
    try:
        yield Settings(store="neo4j", neo4j_uri=started.uri, neo4j_password=started.password)
    finally:
        started.stop()


def neo4j_env(settings: Settings) -> dict:
    """The environment that points the `coopgraph` command at the live Neo4j."""
    return {"COOPGRAPH_STORE": "neo4j", "COOPGRAPH_NEO4J_URI": settings.neo4j_uri,
            "COOPGRAPH_NEO4J_USER": settings.neo4j_user,
            "COOPGRAPH_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
            "COOPGRAPH_NEO4J_DATABASE": settings.neo4j_database}


def wipe_neo4j(store) -> None:
    """Delete everything, in bounded transactions (a big benchmark load would not fit in one)."""
    from neo4j_server import server

    server.wipe(store.driver, store.database)


@pytest.fixture
def neo4j_store(neo4j_settings):
    """An empty Neo4j store (the shared database wiped)."""
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_settings)
    wipe_neo4j(store)
    yield store
    store.close()


_neo4j_load = {"version": None}


@pytest.fixture
def neo4j_loaded(neo4j_settings, tmp_path_factory):
    """A Neo4j store holding the bundled 2024 load, loaded by `coopgraph load` as a user would."""
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_settings)
    if _neo4j_load["version"] is None or store.version() != _neo4j_load["version"]:
        wipe_neo4j(store)
        result = run_cli(["load"], tmp_path_factory.mktemp("neo4j-load") / "home", env=neo4j_env(neo4j_settings))
        assert result.returncode == 0, result.stderr
        _neo4j_load["version"] = store.version()
    yield store
    store.close()


# CI's log says how many tests ran on the live server, so a silent skip shows.
_neo4j_tally = {"server": None, "ids": set(), "ran": 0, "failed": 0, "skipped": 0}


def pytest_collection_modifyitems(items):
    _neo4j_tally["ids"] = {item.nodeid for item in items if "neo4j_settings" in getattr(item, "fixturenames", ())}


def pytest_runtest_logreport(report):
    if report.nodeid not in _neo4j_tally["ids"]:
        return
    if report.skipped:
        _neo4j_tally["skipped"] += 1
    elif report.when == "call":
        _neo4j_tally["ran"] += 1
        _neo4j_tally["failed"] += report.failed
    elif report.failed:
        _neo4j_tally["failed"] += 1


def pytest_terminal_summary(terminalreporter):
    tally = _neo4j_tally
    if tally["ids"]:
        terminalreporter.write_sep("-", "live Neo4j")
        if tally["server"]:
            terminalreporter.write_line(tally["server"])
        terminalreporter.write_line(f"tests on the live Neo4j server: {tally['ran']} ran, {tally['failed']} failed, "
                                    f"{tally['skipped']} skipped")
