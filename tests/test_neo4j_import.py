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
    command = result.stdout.strip()
    assert command.startswith("neo4j-admin database import full neo4j ")
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
    arguments = [a.strip("'") for a in command.split()[1:]]
    tool = subprocess.run(["java", "-Xmx512m", "-cp", server.build(), "org.neo4j.cli.AdminTool", *arguments],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")})
    assert tool.returncode == 0, tool.stdout[-2000:] + tool.stderr[-2000:]
    imported = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", tool.stdout)
    counts = loaded_store.counts()
    assert (int(imported.group(1)), int(imported.group(2))) == \
        (sum(counts["nodes"].values()), sum(counts["relationships"].values()))
