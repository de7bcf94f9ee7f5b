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
SEED = Path(os.environ.get("COOPGRAPH_TEST_SEED") or ROOT.parent / "shared" / "seeds" / "000_9e0d3184b0ca2abc.txt")


def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed report is not at {SEED}")
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
