"""`coopgraph export neo4j-import DIR`: CSVs that Neo4j's own import tool (`neo4j-admin database
import full`, on the test server's classpath) turns into a database with every node and relationship."""
import csv
import os
import re
import subprocess

import pytest

from conftest import run_cli


def test_the_import_tool_takes_the_exported_csvs(loaded_home, loaded_store, tmp_path):
    from neo4j_server import server

    result = run_cli(["export", "neo4j-import", str(tmp_path / "csv")], loaded_home)
    assert result.returncode == 0, result.stderr
    script = tmp_path / "csv" / "import.sh"
    assert result.stdout.strip() == f"sh {script}"
    text = script.read_text(encoding="utf-8")
    assert "database import full" in text and str(tmp_path) not in text  # paths relative to its folder
    with open(tmp_path / "csv" / "nodes-Contribution.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[0] == "id:ID(Contribution)" and "total_cents:long" in header and header[-1] == ":LABEL"
    with open(tmp_path / "csv" / "relationships-PROVIDED-Cooperant-Contribution.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[:4] == [":START_ID(Cooperant)", ":END_ID(Contribution)", "source:string", "locator:string"]
    assert header[-1] == ":TYPE"

    reason = server.unavailable()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "neo4j-home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").touch()
    moved = tmp_path / "copied-to-the-neo4j-host"
    (tmp_path / "csv").rename(moved)  # the folder works wherever it is copied
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tool = subprocess.run(["sh", str(moved / "import.sh")], cwd=elsewhere, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"),
                               "NEO4J_ADMIN": str(server.admin_tool(tmp_path / "neo4j-admin"))})
    assert tool.returncode == 0, tool.stdout[-2000:] + tool.stderr[-2000:]
    assert list(elsewhere.iterdir()) == [] and (moved / "import.report").exists()  # no stray report file
    imported = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", tool.stdout)
    counts = loaded_store.counts()
    assert (int(imported.group(1)), int(imported.group(2))) == \
        (sum(counts["nodes"].values()), sum(counts["relationships"].values()))
