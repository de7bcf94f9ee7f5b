"""What `coopgraph load` does: read a source, resolve names, build one batch, write it atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

import coopgraph.data
from coopgraph.graph.batch import GraphBatch
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.report import parse_report
from coopgraph.loaders.report_graph import report_batch
from coopgraph.loaders.tables import read_tables

BUNDLED_REPORT = Path(coopgraph.data.__file__).parent / "report-2024"


def bundled_tables() -> dict[str, pd.DataFrame]:
    """The 2024 report's tables as shipped under data/report-2024 (validated on read)."""
    return read_tables(BUNDLED_REPORT)


def tables_from(report: Path | None = None, tables_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """A report's tables: parsed from its text, read from a directory of tidy CSVs, or the bundled ones."""
    if report:
        return parse_report(report)
    return read_tables(tables_dir) if tables_dir else bundled_tables()


def build_batch(tables: dict[str, pd.DataFrame], registry: Registry | None = None) -> GraphBatch:
    batch = report_batch(tables, registry or Registry.load())
    batch.validate()
    return batch


def load(store, tables: dict[str, pd.DataFrame], progress=None) -> GraphBatch:
    """Build the batch first (any error stops here, before the store is touched), then write it."""
    step = progress or (lambda message: None)
    step("resolving names and building the graph")
    batch = build_batch(tables)
    step(f"writing {sum(len(r) for r in batch.nodes.values())} nodes and "
         f"{sum(len(r) for r in batch.relationships.values())} relationships")
    with store.writer() as writer:
        writer.write(batch)
    return batch
