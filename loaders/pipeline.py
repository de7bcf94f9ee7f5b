"""What `coopgraph load` does: read a source, resolve names, build one batch, write it atomically."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from coopgraph import spreadsheets
from coopgraph.graph.batch import GraphBatch
from coopgraph.loaders.curated import CURATED_DIR
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.report import parse_report
from coopgraph.loaders.report_graph import report_batch
from coopgraph.errors import InputError
from coopgraph.loaders.in_cop import DEFAULT_POLICY, convert_bulk, convert_engagements
from coopgraph.loaders.interactions import Validated, validate
from coopgraph.loaders.provenance_audit import Audit, audit
from coopgraph.loaders.reference import BUNDLED_REPORT, reference_batch, reference_checksum
from coopgraph.loaders.tables import read_tables
from coopgraph.loaders.tabular import RawTable, bounded_bytes, read_raw
from coopgraph.loaders.upsert import Plan, facts, plan
from coopgraph.loaders import history
from coopgraph.settings import get_settings



def bundled_tables() -> dict[str, pd.DataFrame]:
    """The 2024 report's tables as shipped under data/report-2024 (validated on read)."""
    return read_tables(BUNDLED_REPORT)


def tables_from(report: Path | None = None, tables_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """A report's tables: parsed from its text, read from a directory of tidy CSVs, or the bundled ones."""
    if report:
        return parse_report(report)
    return read_tables(tables_dir) if tables_dir else bundled_tables()


def build_batch(tables: dict[str, pd.DataFrame], registry: Registry | None = None,
                rate_policy: str = DEFAULT_POLICY) -> GraphBatch:
    batch = report_batch(tables, registry or Registry.load())
    convert_engagements(batch, policy=rate_policy)
    batch.validate()
    return batch


@dataclass
class FileLoad:
    path: Path
    source_id: str
    checksum: str
    validated: Validated
    raw: RawTable
    unchanged: bool = False
    plan: Plan | None = None  # what writing it changed, once written


def file_source_id(path: Path) -> str:
    """A file is its full path: `archivo/<name>@<hash of the path>` (two folders' export.csv are two files)."""
    full = str(Path(path).resolve())
    return f"archivo/{Path(path).name}@{hashlib.sha256(full.encode('utf-8')).hexdigest()[:10]}"


def _recorded_checksum(read, source_id: str) -> str | None:
    rows = read("MATCH (s:Source {id: $id}) RETURN s.checksum AS checksum", {"id": source_id})
    return rows[0]["checksum"] if rows else None


def check_files(store, paths: list[Path], registry, *, full: bool = False) -> list[FileLoad]:
    """Read and validate every file before anything is written; a file the store holds already, byte for
    byte (its checksum recorded), is neither parsed nor validated again unless `full`. `registry`: a
    Registry, or a function giving one, called only when some file is validated (reading it takes a second)."""
    loads, seen = [], {}
    for path in paths:
        data = bounded_bytes(Path(path))  # first: a path that is no readable file is refused in one line
        source_id = file_source_id(Path(path))
        if source_id in seen:  # the same path named twice: one file
            continue
        seen[source_id] = True
        checksum = hashlib.sha256(data).hexdigest()
        recorded = _recorded_checksum(store.read, source_id) if store.has_data() else None
        if recorded == checksum and not full:  # loaded before, byte for byte: nothing to parse or write
            loads.append(FileLoad(Path(path), source_id, checksum, Validated.nothing(), RawTable.nothing(path, checksum),
                                  unchanged=True))
            continue
        raw = read_raw(Path(path), data)
        registry = registry() if callable(registry) else registry
        loads.append(FileLoad(Path(path), source_id, raw.checksum, validate(raw, registry), raw,
                              unchanged=recorded == raw.checksum))
    return loads


def _registry() -> Registry:
    """The reviewed registry, read once per process while data/curated stays the same (reading it
    takes seconds; a server or a batch of loads would otherwise pay that on every file)."""
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(CURATED_DIR.glob("*"))) \
        if CURATED_DIR.exists() else ()
    return _registry_for(signature)


@functools.lru_cache(maxsize=1)
def _registry_for(signature: tuple) -> Registry:
    return Registry.load()


def load_files(store, paths: list[Path], *, rejects: Path | None = None, progress=None,
               rate_policy: str = DEFAULT_POLICY) -> list[FileLoad]:
    """Load interaction exports. Any invalid row stops everything unless `rejects` collects the bad rows."""
    step = progress or (lambda message: None)
    step("validating")
    loads = check_files(store, paths, _registry, full=rejects is not None)  # rejects: every file's bad rows
    problems = [p for load in loads for p in load.validated.problems]
    if problems and rejects is None:
        total = sum(load.validated.problem_count for load in loads)
        raise InputError(problems, total)
    if rejects is not None:
        write_rejects(loads, rejects)
    pending = [load for load in loads if not load.unchanged]
    if not pending:
        return loads
    batch = GraphBatch()  # the files' own Sources and new names; the reference data goes apart
    for load in pending:
        # the file's name only: the API and the maps show titles, and a host path is not theirs to show
        batch.add_node("Source", {"id": load.source_id, "title": load.path.name, "kind": "file",
                                  "checksum": load.checksum, "rows": len(load.raw.frame),
                                  "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")},
                       source=load.source_id)
        for name, org in load.validated.new_cooperants.items():
            batch.add_node("Cooperant", {"id": org, "name": name, "review": True}, source=load.source_id)
        for name, entity in load.validated.new_entities.items():
            batch.add_node("DistrictEntity", {"id": entity, "name": name, "review": True}, source=load.source_id)
    batch.validate()
    reference_id = reference_checksum(rate_policy, get_settings().home)
    step(f"writing {sum(len(l.validated.rows) for l in pending)} rows")
    with history.recorded(store, "load") as files, store.writer() as writer:
        # decided under the writer's lock, from the state being written over (a concurrent load of
        # the same file finds its rows there and writes nothing)
        for load in pending:
            load.unchanged = _recorded_checksum(writer.read, load.source_id) == load.checksum
        if writer.reference_checksum != reference_id:  # the curated data, written when it changed
            reference = reference_batch(_registry())
            convert_engagements(reference, policy=rate_policy)
            reference.validate()
            writer.write(reference)
        writer.keep_reference(reference_id)
        writer.write(batch)
        earlier: dict = {}
        for n, load in enumerate(pending):
            if not load.unchanged:
                load.plan = plan(writer.read, facts(load.validated.rows), load.source_id, earlier,
                                 remember=n < len(pending) - 1)
                writer.replace_rows(convert_bulk(load.plan.bulk, policy=rate_policy))
        files.extend(_file_record(load) for load in pending if not load.unchanged)
    return loads


def _file_record(load: FileLoad) -> dict:
    """What the history keeps of a loaded file."""
    record = {"name": load.path.name, "checksum": load.checksum, "rows": len(load.raw.frame)}
    if load.plan is not None:
        record.update(added=load.plan.inserted, changed=load.plan.updated, held=load.plan.unchanged,
                      removed=load.plan.dropped)
    return record


def write_rejects(loads: list[FileLoad], path: Path) -> int:
    """Bad rows with their reasons, in the columns they came with, so they can be fixed and reloaded."""
    frames = []
    for load in loads:
        bad = load.raw.frame[load.validated.bad].copy()
        bad.insert(0, "motivo", load.validated.reasons[load.validated.bad].str.rstrip("; "))
        bad.insert(0, "linea", load.raw.line_numbers()[load.validated.bad.to_numpy()])
        bad.insert(0, "archivo", load.path.name)
        frames.append(bad)
    out = pd.concat(frames) if frames else pd.DataFrame(columns=["archivo", "linea", "motivo"])
    table = spreadsheets.Table(list(out.columns), out.itertuples(index=False, name=None), title="rechazadas")
    spreadsheets.write(path, [table])
    return len(out)


def load(store, tables: dict[str, pd.DataFrame], progress=None, rate_policy: str = DEFAULT_POLICY) -> GraphBatch:
    """Build the batch first (any error stops here, before the store is touched), then write it."""
    step = progress or (lambda message: None)
    step("resolving names and building the graph")
    batch = build_batch(tables, rate_policy=rate_policy)
    step(f"writing {sum(len(r) for r in batch.nodes.values())} nodes and "
         f"{sum(len(r) for r in batch.relationships.values())} relationships")
    with history.recorded(store, "load") as files, store.writer() as writer:
        writer.write(batch)
        files.extend({"name": s["title"], "kind": s.get("kind"), "checksum": s.get("checksum")}
                     for s in batch.nodes.get("Source", {}).values() if s.get("kind") in ("report", "file"))
    return batch


def audit_tables(tables, registry, report=None) -> Audit:
    """The audit `coopgraph check` runs: the graph built from these tables, each cited line read from
    the report when given (else from the bundled copy of the cited lines)."""
    from coopgraph.loaders.report_lines import bundled_lines, read_report_lines

    lines = read_report_lines(report) if report else bundled_lines()
    return audit(build_batch(tables, registry), lines)
