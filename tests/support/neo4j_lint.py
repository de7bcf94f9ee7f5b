"""Lint Cypher texts with Neo4j's own Cypher language service, from the test suite.

The embedded engine's tests cannot see a statement that only the Neo4j store sends, and CI has no
Neo4j server; `@neo4j-cypher/language-support` (what Neo4j's own editors use) parses and
semantically analyses Cypher offline. `lint` runs tests/cypher_lint/lint.mjs once for a whole batch,
against coopgraph's schema, so an unknown label, relationship type or property key is reported
too. Set it up with `npm ci --prefix tests/cypher_lint`.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from coopgraph.graph.model import model

LINT_DIR = Path(__file__).resolve().parents[1] / "cypher_lint"
PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"


def node_ready() -> tuple[bool, str]:
    """Whether node and the linter's node_modules are installed; the reason if not."""
    if shutil.which("node") is None:
        return False, "node is not installed (the Cypher linter runs on Node.js 20+)"
    if not PACKAGE.exists():
        return False, f"the Cypher linter is not installed: run `npm ci --prefix {LINT_DIR}`"
    return True, "ready"


def schema() -> dict[str, list[str]]:
    m = model()
    keys = {k for spec in [*m.nodes.values(), *m.relationships.values()] for k in spec.properties}
    return {"labels": sorted(m.nodes), "relationshipTypes": sorted(m.relationships), "propertyKeys": sorted(keys)}


def lint(queries: dict[str, str], parameters: dict[str, list[str]] | None = None) -> dict[str, list[dict]]:
    """Diagnostics ({severity, message, line, column}, 1-based) per query name; [] means clean.

    A query named in `parameters` may use only those $parameters; any other query, any it uses.
    """
    parameters = parameters or {}
    payload = {"schema": schema(),
               "queries": [{"name": name, "text": text, **({"parameters": list(parameters[name])}
                                                          if name in parameters else {})}
                           for name, text in queries.items()]}
    result = subprocess.run(["node", str(LINT_DIR / "lint.mjs")], input=json.dumps(payload),
                            capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"the Cypher linter failed ({result.returncode}): {result.stderr.strip()}")
    return {entry["name"]: entry["diagnostics"] for entry in json.loads(result.stdout)}
