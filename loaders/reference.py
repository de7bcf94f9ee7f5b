"""The curated reference data every load needs present, and the checksum that lets a load skip it.

The reference batch (the report's Sources the curated data cites, the curated nodes, the Tabla 4
vocabularies and the engagements' exchange rates) takes seconds to build and write, and it is the
same on every load until its inputs change. Its checksum covers every input: the curated and
bundled files, the TRM tables (bundled and added), the model's schema, the code that builds it and
the rate policy. A store keeps the checksum of the reference data it holds with the generation
(EmbeddedStore); a load writes the batch only when the checksums differ, and any other write
forgets the checksum, so the next load writes the reference data again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import coopgraph
import coopgraph.data
from coopgraph.graph.batch import GraphBatch
from coopgraph.loaders.interactions import ACTION_TYPES, COLLABORATION_TYPES
from coopgraph.loaders.names import slug
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.report_graph import source_properties
from coopgraph.loaders.tables import read_table

BUNDLED_REPORT = Path(coopgraph.data.__file__).parent / "report-2024"
_PACKAGE = Path(coopgraph.__file__).parent
_LOADERS = Path(__file__).parent


def reference_batch(registry: Registry) -> GraphBatch:
    """What every load needs present: the report's Sources the curated data cites, the curated
    nodes, and the Tabla 4 vocabularies."""
    batch = GraphBatch()
    for src in read_table("sources", BUNDLED_REPORT).itertuples(index=False):
        batch.add_node("Source", source_properties(src), source=src.id)
    registry.add_reference_nodes(batch)
    for vocabulary, label in ((ACTION_TYPES, "ActionType"), (COLLABORATION_TYPES, "CollaborationType")):
        for name in vocabulary:
            batch.add_node(label, {"id": slug(name), "name": name}, source="informe-2024/tabla-4")
    return batch


def _inputs(home: Path | None) -> list[Path]:
    """Every file the reference batch is built from (data, schema, code, exchange rates)."""
    from coopgraph.graph import model as model_module
    from coopgraph.loaders.curated import CURATED_DIR
    from coopgraph.rates import trm_files

    graph_dir = Path(model_module.__file__).parent
    folders = [CURATED_DIR, BUNDLED_REPORT, graph_dir / "schema", _LOADERS]
    files = [p for folder in folders if folder.exists() for p in sorted(folder.rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts]
    files += [graph_dir / "batch.py", graph_dir / "model.py", _PACKAGE / "rates.py", _PACKAGE / "money.py"]
    return [*files, *trm_files(home)]


def reference_checksum(policy: str, home: Path | None) -> str:
    """sha256 of everything the reference batch depends on; the same inputs give the same checksum."""
    from importlib.metadata import PackageNotFoundError, version

    try:  # its bundled ECB rates convert the engagements
        converter = version("CurrencyConverter")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        converter = ""
    digest = hashlib.sha256(f"{policy}\n{converter}\n".encode())
    for path in _inputs(home):
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
