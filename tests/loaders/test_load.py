"""Loading: idempotent, atomic under a real kill -9, and bad input leaves the previous store untouched."""
import os
import signal
import subprocess
import sys
import time

from coopgraph.graph.store.embedded import EmbeddedStore
from coopgraph.settings import Settings

from conftest import ROOT, run_cli


def counts(home):
    store = EmbeddedStore(Settings(home=home))
    try:
        return store.counts()
    finally:
        store.close()


def test_loading_twice_gives_the_same_counts(home):
    assert run_cli(["load"], home).returncode == 0
    first = counts(home)
    assert run_cli(["load"], home).returncode == 0
    assert counts(home) == first
    assert first["nodes"]["Contribution"] == 62 + 16  # 62 monetary + one non-monetary tally per ODS of Tabla 1


# A child process that loads, then stalls inside the write block until it is killed.
STALLED_LOAD = """
import sys, time
from pathlib import Path
from coopgraph.graph.store.embedded import EmbeddedStore
from coopgraph.loaders.pipeline import build_batch, bundled_tables
from coopgraph.settings import Settings
from coopgraph.graph.batch import GraphBatch

store = EmbeddedStore(Settings(home=Path(sys.argv[1])))
batch = build_batch(bundled_tables())
extra = GraphBatch()
for i in range(20000):
    extra.add_node("Sector", {"id": f"s{i}", "name": f"S{i}"}, source="informe-2024/tabla-5")
extra.nodes["Source"] = batch.nodes["Source"]
with store.writer() as writer:
    writer.write(batch)
    writer.write(extra)
    Path(sys.argv[2]).write_text("half written")
    time.sleep(120)
"""


def test_a_load_killed_midway_leaves_the_previous_store(home, tmp_path):
    assert run_cli(["load"], home).returncode == 0
    before = counts(home)
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", STALLED_LOAD, str(home), str(marker)], cwd=ROOT)
    deadline = time.time() + 120
    while not marker.exists():
        assert child.poll() is None, "the loading process died on its own"
        assert time.time() < deadline, "the loading process never reached its write block"
        time.sleep(0.1)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert any(p.name.endswith(".partial") for p in (home / "store" / "generations").iterdir())
    assert counts(home) == before  # readers see the previous store, whole
    assert run_cli(["summary", "--json"], home).returncode == 0
    assert run_cli(["load"], home).returncode == 0  # the next load cleans the orphan
    assert not any(p.name.endswith(".partial") for p in (home / "store" / "generations").iterdir())
    assert counts(home) == before


def test_a_malformed_report_is_one_clear_error_and_changes_nothing(home, tmp_path):
    from conftest import seed_path

    assert run_cli(["load"], home).returncode == 0
    before = counts(home)
    text = seed_path().read_text(encoding="utf-8")
    bad = tmp_path / "informe-2024.txt"
    bad.write_text(text.replace("\\$ 7.600.000,00", "\\$ siete millones", 1), encoding="utf-8")
    result = run_cli(["load", "--report", str(bad)], home)
    assert result.returncode == 2
    assert "informe-2024.txt, line" in result.stderr and "Colombian" in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(home) == before


def test_a_malformed_tables_csv_names_row_and_column(home, tmp_path):
    import shutil

    from coopgraph.loaders.pipeline import BUNDLED_REPORT

    assert run_cli(["load"], home).returncode == 0
    before = counts(home)
    data = tmp_path / "report-2024"
    shutil.copytree(BUNDLED_REPORT, data)
    csv = data / "tabla-5-aportes.csv"
    text = csv.read_text(encoding="utf-8")
    line = text.split("12117000.00")[0].count("\n") + 1
    csv.write_text(text.replace("12117000.00", "doce millones", 1), encoding="utf-8")
    result = run_cli(["load", "--tables", str(data)], home)
    assert result.returncode == 2
    assert f"tabla-5-aportes.csv, line {line}, column 'cooperant_cop'" in result.stderr.replace("\n", "")
    assert "doce millones" in result.stderr and "Traceback" not in result.stderr
    assert counts(home) == before


def test_a_store_built_by_an_older_schema_upgrades_on_the_next_load(home, tmp_path):
    """New labels, properties and relationship pairs are added in place; nothing loaded is lost."""
    import shutil

    from coopgraph.graph.model import load_model
    from store_contract import small_batch

    old_schema = tmp_path / "schema"
    shutil.copytree(ROOT / "graph" / "schema", old_schema)
    nodes = (old_schema / "nodes.yaml").read_text(encoding="utf-8")
    (old_schema / "nodes.yaml").write_text(nodes.split("\nEngagement:")[0] + "\n", encoding="utf-8")
    rels = (old_schema / "relationships.yaml").read_text(encoding="utf-8")
    kept = [block for block in rels.split("\n\n") if not any(x in block for x in ("Engagement", "Place", "Person"))]
    (old_schema / "relationships.yaml").write_text("\n\n".join(kept), encoding="utf-8")
    old = EmbeddedStore(Settings(home=home), model=load_model(old_schema))
    with old.writer() as writer:
        writer.write(small_batch())
    old.close()
    assert run_cli(["load"], home).returncode == 0
    upgraded = counts(home)
    assert upgraded["nodes"]["Engagement"] > 0 and upgraded["nodes"]["Contribution"] >= 78 + 1
