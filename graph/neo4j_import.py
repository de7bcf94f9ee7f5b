"""Node and relationship CSVs for `neo4j-admin database import full`, read from any store.

The fast route to a big Neo4j: the import tool writes a new database offline from CSVs (no
transactions, no Cypher). One file per label (`nodes-<Label>.csv`) and one per relationship type and
pair of labels (`relationships-<TYPE>-<From>-<To>.csv`), headed as the tool reads them: each label's
key is the ID column of an id space named after the label (keys are unique per label, not across
labels), every property typed, lists as `string[]` joined by `|`. `import_command` is the command
line that imports them (bench/bench_neo4j.py runs it and times it against loading through Bolt);
`write_script` writes it as `import.sh` beside the CSVs, with paths relative to that folder, so the
folder can be copied to the Neo4j host and imported there (the tool's report lands in it too).
"""
from __future__ import annotations

import csv
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from coopgraph.errors import Unprocessable
from coopgraph.graph.model import Model

IMPORT_TYPES = {"string": "string", "int": "long", "float": "double", "bool": "boolean", "date": "string",
                "money": "long", "string[]": "string[]"}
ARRAY_DELIMITER = "|"


class ExportError(Unprocessable):
    """The graph holds a value the import format cannot carry."""


@dataclass
class ImportFiles:
    directory: Path
    nodes: dict[Path, int] = field(default_factory=dict)  # file -> rows
    relationships: dict[Path, int] = field(default_factory=dict)
    multiline: bool = False  # some value holds a line break: the tool must be told

    def import_arguments(self, database: str = "neo4j", *, relative: bool = False) -> list[str]:
        """Arguments after `neo4j-admin`, for a database that does not exist yet (paths relative to the
        folder when `relative`); the tool's report goes into the folder, not wherever it was started."""
        where = (lambda p: p.name) if relative else str
        return ["database", "import", "full", database, f"--array-delimiter={ARRAY_DELIMITER}",
                *(["--multiline-fields=true"] if self.multiline else []),
                f"--report-file={where(self.directory / 'import.report')}",
                *(f"--nodes={where(p)}" for p in self.nodes), *(f"--relationships={where(p)}" for p in self.relationships)]

    @property
    def import_command(self) -> str:
        return " ".join(["neo4j-admin", *(f"'{a}'" if "|" in a else a for a in self.import_arguments())])


SCRIPT = """#!/bin/sh
# Import these CSVs into a new Neo4j database with Neo4j's own tool (written by `coopgraph export neo4j-import`).
# Stop Neo4j first. Usage: sh import.sh [DATABASE [OPTION...]], e.g. sh import.sh neo4j --overwrite-destination=true
# (neo4j-admin on PATH, or NEO4J_ADMIN=/path/to/neo4j-admin). The tool's report is written to import.report here.
set -eu
cd "$(dirname "$0")"
database="${{1:-neo4j}}"
[ $# -gt 0 ] && shift
exec "${{NEO4J_ADMIN:-neo4j-admin}}" {arguments} "$@"
"""


def write_script(files: ImportFiles) -> Path:
    """`import.sh` beside the CSVs: the import command with paths relative to its folder."""
    arguments = files.import_arguments("DATABASE", relative=True)
    quoted = " ".join('"$database"' if a == "DATABASE" else shlex.quote(a) for a in arguments)
    path = files.directory / "import.sh"
    path.write_text(SCRIPT.format(arguments=quoted), encoding="utf-8")
    path.chmod(0o755)
    return path


def write_import_files(store, directory: Path, progress=None) -> ImportFiles:
    """Write every node and relationship of `store` under `directory` (created if absent), and `import.sh`.
    `progress(phase, done, total)` is told of each file as it is written."""
    model: Model = store.model
    directory.mkdir(parents=True, exist_ok=True)
    files = ImportFiles(directory)
    step = progress or (lambda *_: None)
    total = len(model.nodes) + sum(len(rel.pairs) for rel in model.relationships.values())
    done = 0
    for label in model.nodes.values():
        step(f"nodes {label.name}", done, total)
        done += 1
        columns = list(label.properties)
        # properties as columns, not whole nodes: flat values cost the store far less to hand back
        rows = store.read(f"MATCH (n:{label.name}) RETURN {_columns('n', columns)} ORDER BY n.{label.key}")
        if not rows:
            continue
        header = [f"{label.key}:ID({label.name})" if c == label.key else
                  f"{c}:{IMPORT_TYPES[label.properties[c].type]}" for c in columns] + [":LABEL"]
        path = directory / f"nodes-{label.name}.csv"
        _write(path, header, ([*(row[f"p{i}"] for i in range(len(columns))), label.name] for row in rows), files)
        files.nodes[path] = len(rows)
    for rel in model.relationships.values():
        for a, b in rel.pairs:
            step(f"relationships {rel.name} {a}→{b}", done, total)
            done += 1
            key_a, key_b = model.node(a).key, model.node(b).key
            columns = list(rel.properties)
            rows = store.read(f"MATCH (a:{a})-[r:{rel.name}]->(b:{b}) RETURN a.{key_a} AS f, b.{key_b} AS t"
                              + "".join(f", r.{c} AS p{i}" for i, c in enumerate(columns)) + " ORDER BY f, t")
            if not rows:
                continue
            header = [f":START_ID({a})", f":END_ID({b})",
                      *(f"{c}:{IMPORT_TYPES[rel.properties[c].type]}" for c in columns), ":TYPE"]
            path = directory / f"relationships-{rel.name}-{a}-{b}.csv"
            _write(path, header, ([row["f"], row["t"], *(row[f"p{i}"] for i in range(len(columns))), rel.name]
                                  for row in rows), files)
            files.relationships[path] = len(rows)
    step("done", total, total)
    write_script(files)
    return files


def _columns(variable: str, properties: list[str]) -> str:
    return ", ".join(f"{variable}.{p} AS p{i}" for i, p in enumerate(properties))


def _write(path: Path, header: list[str], rows, files: ImportFiles) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_field(value, path, files) for value in row])


def _field(value, path: Path, files: ImportFiles) -> str:
    if value is None:
        return ""  # the import tool stores no property for an empty field
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if any(ARRAY_DELIMITER in str(v) for v in value):
            raise ExportError(f"{path.name}: a list value {value!r} contains {ARRAY_DELIMITER!r}, "
                              "the import format's list separator")
        value = ARRAY_DELIMITER.join(str(v) for v in value)
    text = str(value)
    if "\n" in text or "\r" in text:
        files.multiline = True
    return text
