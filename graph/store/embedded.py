"""The embedded store: LadybugDB (the maintained fork of Kùzu), in process, no server.

Layout under COOPGRAPH_HOME/store:
    generations/<id>/graph.lbdb   one complete database per successful load
    current -> generations/<id>   symlink, swapped atomically when a load completes

A writer copies the current generation into a new one, writes there, and only a clean
close swaps `current`; a failed or killed load leaves an orphan directory that the next
writer deletes, and readers never see it. See docs/engine.md for why this engine.
"""
from __future__ import annotations

import collections
import fcntl
import os
import threading
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import ladybug

from coopgraph.errors import StoreError
from coopgraph.graph.batch import BulkRows, GraphBatch
from coopgraph.graph.model import Model, NodeLabel, RelationshipType
from coopgraph.graph.store.base import Store, Writer, plain, replace_steps
from coopgraph.settings import Settings, get_settings

DB_FILE = "graph.lbdb"
REFERENCE_FILE = "reference.sha256"  # the checksum of the reference data the generation holds
ENGINE_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN", "date": "STRING",
                "money": "INT64", "string[]": "STRING[]"}
BATCH_ROWS = 5_000
_PLAIN = {str, int, float, bool, type(None)}  # values `plain` returns as they are (a load reads millions)


class EmbeddedStore(Store):
    dialect = "embedded"

    def __init__(self, settings: Settings | None = None, model: Model | None = None, *, sandboxed: bool = False):
        """`sandboxed`: the handle of the confined query process (cypher/sandbox.py): a bounded buffer
        pool and address space, no checkpoints, and one generation for its life."""
        super().__init__(model)
        self.settings = settings or get_settings()
        self.sandboxed = sandboxed
        self.root = Path(self.settings.store_dir)
        self._lock = threading.Lock()
        self._databases: dict[Path, ladybug.Database] = {}  # generation -> read-only handle
        self._in_use: collections.Counter = collections.Counter()  # generation -> reads running
        self._local = threading.local()  # one connection per thread (the API serves from a pool)
        self.pinned: Path | None = None  # a generation read whatever is current (`at_generation`)

    # -- layout -------------------------------------------------------------------------
    @property
    def current(self) -> Path:
        return self.root / "current"

    def current_generation(self) -> Path | None:
        if self.pinned is not None:
            return self.pinned
        return self.current.resolve() if self.current.is_symlink() else None

    def at_generation(self, name: str) -> "EmbeddedStore":
        """A read-only view of a kept generation (to compare two loads), whatever is current."""
        view = EmbeddedStore(self.settings, self.model)
        view.pinned = (self.root / "generations" / name).resolve()
        return view

    def has_data(self) -> bool:
        generation = self.current_generation()
        return generation is not None and (generation / DB_FILE).exists()

    def version(self) -> str:
        generation = self.current_generation()
        return generation.name if generation else "empty"

    # -- reads --------------------------------------------------------------------------
    def _connection(self) -> tuple[ladybug.Connection, Path]:
        """This thread's connection to the current generation, counted as in use until `_release`.
        Opening a newer generation closes the older ones no read is using: a serving process
        holds one generation open, not one per load (nor the files of deleted ones)."""
        generation = self.current_generation()
        if generation is None or not (generation / DB_FILE).exists():
            raise StoreError("no data loaded yet; run `coopgraph load` first", store=str(self.root))
        with self._lock:
            if getattr(self._local, "generation", None) != generation or generation not in self._databases:
                if generation not in self._databases:
                    try:  # read-only: the engine itself refuses writes on this handle
                        self._databases[generation] = ladybug.Database(str(generation / DB_FILE), read_only=True,
                                                                       **self._handle_options(generation))
                    except RuntimeError as exc:
                        raise StoreError(f"cannot open the store (generation {generation.name}): {exc}") from exc
                self._local.conn = ladybug.Connection(self._databases[generation])
                self._local.generation = generation
            self._in_use[generation] += 1
            for old in [g for g in self._databases if g != generation and not self._in_use[g]]:
                self._databases.pop(old).close()  # other threads' connections to it reconnect on their next read
                self._in_use.pop(old, None)
            return self._local.conn, generation

    def _handle_options(self, generation: Path) -> dict:
        if not self.sandboxed:
            return {}
        size = (generation / DB_FILE).stat().st_size
        reserve = 1 << max(30, (2 * size).bit_length())  # address space the engine maps for the file
        return {"buffer_pool_size": self.settings.query_memory_mb * 1024 * 1024 // 4, "max_db_size": reserve,
                "max_num_threads": 2, "auto_checkpoint": False}

    def open_for_queries(self) -> None:
        """Open the current generation now (the sandbox then confines what is left of the process)."""
        self._release(self._connection()[1])

    def new_session(self) -> None:
        """Drop this thread's connection: the next read gets a fresh one, with no setting or state a
        previous query left on it (the query worker calls it between queries; ~0.7 ms)."""
        with self._lock:
            conn = getattr(self._local, "conn", None)
            self._local.conn = self._local.generation = None
        if conn is not None:
            conn.close()

    def _release(self, generation: Path) -> None:
        with self._lock:
            self._in_use[generation] -= 1

    def open_generations(self) -> list[Path]:
        """The generations this process holds open (one, after a reload and a read)."""
        with self._lock:
            return list(self._databases)

    def read(self, cypher, params=None, *, timeout_s=None, max_rows=None):
        conn, generation = self._connection()
        try:
            conn.set_query_timeout(int((timeout_s or self.settings.query_timeout_s) * 1000))
            result = conn.execute(cypher, params or {})
            columns = result.get_column_names()
            rows = []
            while result.has_next():
                if max_rows is not None and len(rows) >= max_rows:
                    break
                rows.append({c: plain(v) for c, v in zip(columns, result.get_next())})
            return rows
        finally:
            self._release(generation)

    def close(self):
        # Connections of other threads die with their database handles.
        with self._lock:
            conn = getattr(self._local, "conn", None)
            if conn is not None:
                conn.close()
            self._local = threading.local()
            for database in self._databases.values():
                database.close()
            self._databases.clear()
            self._in_use.clear()

    # -- writes -------------------------------------------------------------------------
    @contextmanager
    def writer(self):
        self.root.mkdir(parents=True, exist_ok=True)
        generations = self.root / "generations"
        generations.mkdir(exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time
            previous = self.current_generation()
            self._remove_orphans(generations, keep={previous})
            staging = generations / f"{uuid.uuid4().hex}.partial"
            staging.mkdir()
            try:
                if previous is not None and (previous / DB_FILE).exists():
                    for item in previous.iterdir():
                        shutil.copy2(item, staging / item.name)
                marker = staging / REFERENCE_FILE  # forgotten unless this block keeps it (a load that checked it)
                held = marker.read_text().strip() if marker.exists() else None
                marker.unlink(missing_ok=True)
                db = ladybug.Database(str(staging / DB_FILE))
                conn = ladybug.Connection(db)
                try:
                    _engine_call(_ensure_schema, conn, self.model)
                    yield _EmbeddedWriter(conn, self.model, marker, held)
                    conn.execute("CHECKPOINT")
                finally:
                    conn.close()
                    db.close()
                final = staging.with_suffix("")
                staging.rename(final)
                _fsync_dir(generations)
                link = self.root / f".current.{uuid.uuid4().hex}"
                link.symlink_to(Path("generations") / final.name)
                os.replace(link, self.current)  # the atomic moment a load becomes visible
                _fsync_dir(self.root)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self._remove_orphans(generations, keep={final, previous})

    def kept_generations(self) -> list[str]:
        """The complete generations on disk, newest first (`coopgraph rollback` can return to each)."""
        generations = self.root / "generations"
        if not generations.exists():
            return []
        complete = [g for g in generations.iterdir() if not g.name.endswith(".partial") and (g / DB_FILE).exists()]
        return [g.name for g in sorted(complete, key=lambda g: g.stat().st_mtime_ns, reverse=True)]

    def make_current(self, name: str) -> None:
        """Point `current` at a kept generation, atomically and under the writers' lock (a rollback)."""
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            target = self.root / "generations" / name
            if not (target / DB_FILE).exists():
                raise StoreError(f"generation {name} is not kept")
            os.utime(target)  # the newest again: kept before the ones it replaced
            link = self.root / f".current.{uuid.uuid4().hex}"
            link.symlink_to(Path("generations") / name)
            os.replace(link, self.current)
            _fsync_dir(self.root)

    def _remove_orphans(self, generations: Path, keep: set) -> None:
        """Drop partial loads left by killed processes, and complete generations past the newest
        COOPGRAPH_HISTORY_KEEP (the current and the previous one always stay)."""
        keep = {k.resolve() for k in keep if k is not None}
        recent = {(generations / name).resolve() for name in self.kept_generations()[:self.settings.history_keep]}
        for child in generations.iterdir():
            resolved = child.resolve()
            if resolved in keep or (resolved in recent and not child.name.endswith(".partial")):
                continue
            shutil.rmtree(child, ignore_errors=True)


def _engine_call(function, *args):
    """The engine reports its errors as bare RuntimeError; make them a StoreError users can read."""
    try:
        return function(*args)
    except RuntimeError as exc:
        raise StoreError(f"the embedded store refused a write: {exc}") from exc


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ensure_schema(conn: ladybug.Connection, model: Model) -> None:
    """Create missing tables and add missing columns, so a store built by an older version upgrades."""
    existing = {row[1]: row[2] for row in _all(conn, "CALL show_tables() RETURN *")}
    for label in model.nodes.values():
        if label.name not in existing:
            columns = ", ".join(f"{p.name} {ENGINE_TYPES[p.type]}" for p in label.properties.values())
            conn.execute(f"CREATE NODE TABLE {label.name}({columns}, PRIMARY KEY({label.key}))")
        else:
            _add_columns(conn, label.name, label.properties)
    for rel in model.relationships.values():
        if rel.name not in existing:
            pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
            columns = "".join(f", {p.name} {ENGINE_TYPES[p.type]}" for p in rel.properties.values())
            conn.execute(f"CREATE REL TABLE {rel.name}({pairs}{columns})")
        else:
            for a, b in rel.pairs:  # a label added to the schema since the store was built
                conn.execute(f"ALTER TABLE {rel.name} ADD IF NOT EXISTS FROM {a} TO {b}")
            _add_columns(conn, rel.name, rel.properties)


def _add_columns(conn, table: str, properties) -> None:
    for p in properties.values():
        conn.execute(f"ALTER TABLE {table} ADD IF NOT EXISTS {p.name} {ENGINE_TYPES[p.type]}")


def _all(conn, cypher: str) -> list[list]:
    result = conn.execute(cypher)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def _chunks(rows: list, size: int = BATCH_ROWS):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class _EmbeddedWriter(Writer):
    def __init__(self, conn: ladybug.Connection, model: Model, marker: Path | None = None, held: str | None = None):
        self.conn = conn
        self.model = model
        self.marker = marker
        self.reference_checksum = held

    def keep_reference(self, checksum: str) -> None:
        if self.marker is not None:
            self.marker.write_text(checksum + "\n")

    def write(self, batch: GraphBatch) -> None:
        batch.validate(self.model)
        for spec, payload in batch.node_rows(self.model):
            for chunk in _chunks(payload):
                _engine_call(self.conn.execute, _node_statement(spec), {"rows": chunk})
        for spec, a, b, payload in batch.relationship_rows(self.model):
            for chunk in _chunks(payload):
                chunk = self._changed_relationships(spec, a, b, chunk)
                if chunk:
                    _engine_call(self.conn.execute, _relationship_statement(spec, a, b), {"rows": chunk})

    def _changed_relationships(self, spec: RelationshipType, a: NodeLabel, b: NodeLabel, rows: list[dict]) -> list[dict]:
        """The rows that add or change a relationship. The engine rewrites a relationship even when
        MERGE finds it unchanged, and its file grew fivefold on each identical reload without this."""
        props = list(spec.properties)
        returns = "".join(f", x.{p} AS {p}" for p in props)
        held = {}
        query = (f"UNWIND $ids AS i MATCH (a:{a.name} {{{a.key}: i}})-[x:{spec.name}]->(b:{b.name}) "
                 f"RETURN a.{a.key} AS f, b.{b.key} AS t{returns}")
        for row in self.read(query, {"ids": sorted({r["f"] for r in rows})}):
            held.setdefault((row["f"], row["t"], *(row[k] for k in spec.key)), []).append(row)
        changed = []
        for row in rows:
            found = held.get((row["f"], row["t"], *(row.get(k) for k in spec.key)))
            if not found or len(found) > 1 or any(found[0][p] != row.get(p) for p in props):
                changed.append(row)
        return changed


    def read(self, cypher, params=None):
        result = _engine_call(self.conn.execute, cypher, params or {})
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append({c: v if type(v) in _PLAIN else plain(v) for c, v in zip(columns, result.get_next())})
        return rows

    def replace_rows(self, bulk: BulkRows) -> None:
        for statement, params in replace_steps(self.model, bulk, cast=lambda expr, ptype: _cast(expr, ptype)):
            _engine_call(self.conn.execute, statement, params)
        for label, frame in bulk.nodes.items():
            if len(frame):
                self._copy(label, frame, list(self._columns(label)))
        for rel_type, from_label, to_label, frame in bulk.relationships:
            if len(frame):
                columns = ["from", "to", *self._columns(rel_type)]
                self._copy(rel_type, frame, columns, f" (from='{from_label}', to='{to_label}')")

    def _columns(self, table: str) -> list[str]:
        """Property columns in the table's own order (COPY matches columns by position)."""
        return [row[1] for row in _all(self.conn, f"CALL table_info('{table}') RETURN *")]

    def _copy(self, table: str, frame, columns: list[str], options: str = "") -> None:
        import pandas as pd  # loads only: a query worker starts ~0.25 s sooner without it

        data = frame.reindex(columns=columns)  # absent properties become empty columns
        for c in columns:  # an absent property is null, not NaN (NaN has no INT64 value)
            if data[c].isna().all():
                data[c] = pd.Series([None] * len(data), index=data.index, dtype=object)
        _engine_call(self.conn.execute, f"COPY {table} FROM data{options}")


def _cast(expr: str, ptype: str) -> str:
    # Parameters whose values are all null would otherwise be typed STRING by the binder.
    return f"CAST({expr} AS {ENGINE_TYPES[ptype]})"


def _node_statement(spec: NodeLabel) -> str:
    sets = ", ".join(f"n.{p.name} = coalesce({_cast('r.' + p.name, p.type)}, n.{p.name})"
                     for p in spec.properties.values() if p.name != spec.key)
    return f"UNWIND $rows AS r MERGE (n:{spec.name} {{{spec.key}: r.{spec.key}}})" + (f" SET {sets}" if sets else "")


def _relationship_statement(spec: RelationshipType, a: NodeLabel, b: NodeLabel) -> str:
    keys = ", ".join(f"{k}: {_cast('r.' + k, spec.properties[k].type)}" for k in spec.key)
    sets = ", ".join(f"x.{p.name} = {_cast('r.' + p.name, p.type)}"
                     for p in spec.properties.values() if p.name not in spec.key)
    return (f"UNWIND $rows AS r MATCH (a:{a.name} {{{a.key}: r.f}}), (b:{b.name} {{{b.key}: r.t}}) "
            f"MERGE (a)-[x:{spec.name}{' {' + keys + '}' if keys else ''}]->(b)" + (f" SET {sets}" if sets else ""))
