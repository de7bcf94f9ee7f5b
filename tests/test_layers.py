"""The layering is checked, not hoped for: import-linter holds the contracts of pyproject.toml
([tool.importlinter]: the CLI, the API, the maps, the features, loading, Cypher, the graph, each importing
only those below it; the shared utilities importing none), no module imports itself back through others
(no import cycle), and no hand-written module passes ~500 lines.

The design card's folders install as subpackages of `coopgraph` (setup.py's ROOTS), so the checkout has no
`coopgraph/` tree to analyse: the test stages one, as the wheel lays it out, and runs the tools on it."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATED = {"Cypher25Parser.py", "Cypher25Lexer.py", "Cypher25ParserListener.py", "Cypher25ParserVisitor.py"}
MAX_LINES = 500


def _roots() -> dict[str, str]:
    return eval(re.search(r"ROOTS = (\{.*?\})", (ROOT / "setup.py").read_text(), re.S).group(1))  # noqa: S307


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    """The package as installed: coopgraph/, coopgraph/graph/, coopgraph/analysis/… (Python files only)."""
    out = tmp_path_factory.mktemp("staged")
    for name, folder in _roots().items():
        shutil.copytree(ROOT / folder, out.joinpath(*name.split(".")), dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names if n in ("node_modules", "__pycache__")
                                                 or (Path(d, n).is_file() and not n.endswith(".py"))])
    return out


def _lint(staged: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("lint-imports")), str(ROOT / "pyproject.toml")],
                          cwd=staged, env={"PYTHONPATH": str(staged), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


def test_every_package_imports_only_the_layers_below_it(staged):
    done = _lint(staged)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


def test_a_wrong_way_import_breaks_the_build(staged, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(staged, broken)
    (broken / "coopgraph" / "graph" / "model.py").open("a").write("\nimport coopgraph.api.app  # noqa\n")
    done = _lint(broken)
    assert done.returncode != 0 and "BROKEN" in done.stdout and "coopgraph.graph.model -> coopgraph.api.app" in done.stdout


def test_no_import_cycle(staged):
    script = ("import grimp, json, networkx as nx\n"
              "g = grimp.build_graph('coopgraph')\n"
              "d = nx.DiGraph((m, i) for m in g.modules for i in g.find_modules_directly_imported_by(m))\n"
              "print(json.dumps([sorted(c) for c in nx.strongly_connected_components(d) if len(c) > 1]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=staged, env={"PYTHONPATH": str(staged)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"modules that import each other back: {done.stdout}"


def test_no_hand_written_module_passes_500_lines():
    long = {}
    for folder in _roots().values():
        for path in (ROOT / folder).rglob("*.py"):
            if path.name in GENERATED or "node_modules" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long[str(path.relative_to(ROOT))] = lines
    assert not long, f"split these along their concepts: {long}"


def test_the_doctests_of_the_graph_and_the_features_hold():
    """Each module's examples are run: a docstring that shows a call shows what it answers."""
    import doctest
    import importlib
    import pkgutil

    import coopgraph.analysis
    import coopgraph.graph

    failed, ran = {}, 0
    for package in (coopgraph.graph, coopgraph.analysis):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
            ran += result.attempted
            if result.failed:
                failed[info.name] = result.failed
    assert not failed and ran > 20, (failed, ran)
