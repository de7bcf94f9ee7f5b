"""The Neo4j store: the same model and contract as the embedded store, through the official driver.

Writes are buffered inside a `writer()` block and sent, at its end, as parameterised `UNWIND $rows`
batches in one managed write transaction (retried by the driver on transient errors), so a block
lands whole or not at all. Reads run in read-access sessions: the server itself refuses writes.
Every statement text is built by the functions below, so tests can lint each one with Neo4j's own
Cypher language service (tests/cypher/test_neo4j_cypher.py).
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from coopgraph.errors import StoreError
from coopgraph.graph.batch import BulkRows, GraphBatch
from coopgraph.graph.model import Model, NodeLabel, RelationshipType
from coopgraph.graph.store.base import Store, Writer, plain, replace_steps
from coopgraph.settings import Settings, get_settings

BATCH_ROWS = 5_000  # rows per UNWIND statement
# Rows (summed over statements) per write transaction. A block up to this size commits whole or not
# at all; a bigger one (a 100k- or 1M-row export) commits in transactions of this size, since one
# transaction of millions of rows would need gigabytes of server memory. See docs/engine.md.
TRANSACTION_ROWS = 50_000


# -- statement texts (pure functions of the model) ------------------------------------------
def constraint_statements(model: Model) -> list[str]:
    return [f"CREATE CONSTRAINT {label.name.lower()}_{label.key} IF NOT EXISTS "
            f"FOR (n:{label.name}) REQUIRE n.{label.key} IS UNIQUE" for label in model.nodes.values()]


def node_statement(spec: NodeLabel) -> str:
    sets = ", ".join(f"n.{p} = coalesce(r.{p}, n.{p})" for p in spec.properties if p != spec.key)
    return f"UNWIND $rows AS r MERGE (n:{spec.name} {{{spec.key}: r.{spec.key}}})" + (f" SET {sets}" if sets else "")


def relationship_statement(spec: RelationshipType, a: NodeLabel, b: NodeLabel) -> str:
    keys = ", ".join(f"{k}: r.{k}" for k in spec.key)
    sets = ", ".join(f"x.{p} = r.{p}" for p in spec.properties if p not in spec.key)
    return (f"UNWIND $rows AS r MATCH (a:{a.name} {{{a.key}: r.f}}) MATCH (b:{b.name} {{{b.key}: r.t}}) "
            f"MERGE (a)-[x:{spec.name}{' {' + keys + '}' if keys else ''}]->(b)" + (f" SET {sets}" if sets else ""))


def create_nodes_statement(spec: NodeLabel) -> str:
    return f"UNWIND $rows AS r CREATE (n:{spec.name}) SET n = r"


def create_relationships_statement(spec: RelationshipType, a: NodeLabel, b: NodeLabel) -> str:
    return (f"UNWIND $rows AS r MATCH (a:{a.name} {{{a.key}: r.from}}) MATCH (b:{b.name} {{{b.key}: r.to}}) "
            f"CREATE (a)-[x:{spec.name}]->(b) SET x = r.props")


# A file's checksum is recorded by the block's last statement, so a big load that dies between its
# transactions is not taken for a finished one: loading the file again completes it.
RECORD_CHECKSUMS = "UNWIND $rows AS r MATCH (s:Source {id: r.id}) SET s.checksum = r.checksum"
HAS_DATA = "MATCH (n:Source) RETURN count(n) > 0 AS loaded"
VERSION = "MATCH (s:Source) RETURN count(s) AS n, max(s.loaded_at) AS last, max(s.checksum) AS checksum"


def all_statements(model: Model) -> dict[str, str]:
    """Every text this store can send, by a readable name (for the linter)."""
    out = {f"constraint {i}": text for i, text in enumerate(constraint_statements(model))}
    for label in model.nodes.values():
        out[f"merge {label.name}"] = node_statement(label)
        out[f"create {label.name}"] = create_nodes_statement(label)
        out[f"count {label.name}"] = f"MATCH (n:{label.name}) RETURN count(n) AS n"
    for rel in model.relationships.values():
        out[f"count {rel.name}"] = f"MATCH ()-[r:{rel.name}]->() RETURN count(r) AS n"
        for a, b in rel.pairs:
            out[f"merge {rel.name} {a}->{b}"] = relationship_statement(rel, model.node(a), model.node(b))
            out[f"create {rel.name} {a}->{b}"] = create_relationships_statement(rel, model.node(a), model.node(b))
    import pandas as pd

    for label in model.nodes.values():  # what replacing a file's rows sends, for each label
        sample = BulkRows("s", unlink={label.name: ["x"]}, delete={label.name: ["x"]}, orphans={label.name: ["x"]},
                          update={label.name: pd.DataFrame([{p: None for p in label.properties}])})
        for i, (text, _) in enumerate(replace_steps(model, sample)):
            out[f"replace {label.name} {i}"] = text
    out["record checksums"] = RECORD_CHECKSUMS
    out["has data"] = HAS_DATA
    out["version"] = VERSION
    return out


# -- the store ------------------------------------------------------------------------------
class Neo4jStore(Store):
    dialect = "neo4j"

    def __init__(self, settings: Settings | None = None, model: Model | None = None):
        super().__init__(model)
        import neo4j  # optional dependency: pip install 'coopgraph[neo4j]'

        self._neo4j = neo4j
        self.settings = settings or get_settings()
        if self.settings.neo4j_password is None:
            raise StoreError("COOPGRAPH_NEO4J_PASSWORD is not set; the Neo4j store needs it")
        self.driver = neo4j.GraphDatabase.driver(
            self.settings.neo4j_uri,
            auth=(self.settings.neo4j_user, self.settings.neo4j_password.get_secret_value()),
            notifications_min_severity="OFF")  # planner hints about absent labels are not errors
        self.database = self.settings.neo4j_database
        self._constraints_done = False
        self._verified = False

    def _verify(self) -> None:
        """Fail fast with a clear message: managed transactions would retry an absent server for 30 s."""
        if not self._verified:
            self._call(self.driver.verify_connectivity)
            self._verified = True

    def _call(self, function, *args, **kwargs):
        errors = self._neo4j.exceptions
        try:
            return function(*args, **kwargs)
        except errors.AuthError as exc:
            raise StoreError(f"Neo4j at {self.settings.neo4j_uri} refused the credentials of "
                             f"{self.settings.neo4j_user!r}: {exc.message}") from exc
        except errors.ServiceUnavailable as exc:
            raise StoreError(f"Neo4j is not reachable at {self.settings.neo4j_uri}: {exc}") from exc
        except errors.ClientError as exc:
            raise StoreError(f"Neo4j refused the statement: {exc.message}") from exc

    def read(self, cypher, params=None, *, timeout_s=None, max_rows=None):
        # Managed transactions take their timeout from unit_of_work (a Query object is for session.run only).
        @self._neo4j.unit_of_work(timeout=timeout_s or self.settings.query_timeout_s)
        def work(tx):
            rows = []
            for record in tx.run(cypher, params or {}):
                if max_rows is not None and len(rows) >= max_rows:
                    break
                rows.append({k: _plain(v, self.model) for k, v in record.items()})
            return rows

        self._verify()
        with self.driver.session(database=self.database, default_access_mode=self._neo4j.READ_ACCESS) as session:
            return self._call(session.execute_read, work)

    def version(self) -> str:
        rows = self.read(VERSION)
        row = rows[0] if rows else {}
        return f"{row.get('n')}-{row.get('last')}-{row.get('checksum')}"

    def has_data(self) -> bool:
        rows = self.read(HAS_DATA)
        return bool(rows and rows[0]["loaded"])

    def ensure_constraints(self) -> None:
        if self._constraints_done:
            return
        self._verify()
        with self.driver.session(database=self.database) as session:
            for statement in constraint_statements(self.model):
                self._call(session.run, statement).consume()
        self._constraints_done = True

    @contextmanager
    def writer(self):
        self.ensure_constraints()
        writer = _Neo4jWriter(self.model, self.read)
        yield writer
        # A load's transactions may outlast the server's default timeout (meant for other clients).
        apply = self._neo4j.unit_of_work(timeout=self.settings.neo4j_write_timeout_s)(_apply)
        with self.driver.session(database=self.database) as session:
            for steps in writer.transactions(TRANSACTION_ROWS):
                self._call(session.execute_write, apply, steps)

    def close(self):
        self.driver.close()


class _Neo4jWriter(Writer):
    """Collects statements; the store runs them when the block ends (`transactions`). A bulk insert's
    rows become driver parameters only as their batch is sent: a 1M-row file would otherwise hold
    some ten million dicts in memory at once."""

    def __init__(self, model: Model, read):
        self.model = model
        self.steps: list[tuple[str, dict | Callable[[], dict], int]] = []  # statement, parameters, rows
        self.checksums: list[dict] = []
        self._read = read

    def read(self, cypher, params=None):
        return self._read(cypher, params)

    def write(self, batch: GraphBatch) -> None:
        batch.validate(self.model)
        for spec, payload in batch.node_rows(self.model):
            if spec.name == "Source":  # checksums go last (RECORD_CHECKSUMS)
                self.checksums += [{"id": r["id"], "checksum": r["checksum"]} for r in payload if r.get("checksum")]
                payload = [{**r, "checksum": None} for r in payload]
            self._batched(node_statement(spec), payload)
        for spec, a, b, payload in batch.relationship_rows(self.model):
            self._batched(relationship_statement(spec, a, b), payload)

    def replace_rows(self, bulk: BulkRows) -> None:
        for statement, params in replace_steps(self.model, bulk, chunk_rows=BATCH_ROWS):
            self.steps.append((statement, params, len(params.get("rows") or params.get("ids") or [None])))
        for label, frame in bulk.nodes.items():
            self._batched_frame(create_nodes_statement(self.model.node(label)), frame, _node_records)
        for rel_type, a, b, frame in bulk.relationships:
            spec = self.model.relationship(rel_type)
            self._batched_frame(create_relationships_statement(spec, self.model.node(a), self.model.node(b)),
                                frame, _relationship_records)

    def _batched(self, statement: str, rows: list[dict]) -> None:
        for start in range(0, len(rows), BATCH_ROWS):
            chunk = rows[start:start + BATCH_ROWS]
            self.steps.append((statement, {"rows": chunk}, len(chunk)))

    def _batched_frame(self, statement: str, frame, records: Callable) -> None:
        for start in range(0, len(frame), BATCH_ROWS):
            chunk = frame.iloc[start:start + BATCH_ROWS]
            self.steps.append((statement, lambda chunk=chunk: {"rows": records(chunk)}, len(chunk)))

    def transactions(self, limit: int) -> list[list[tuple[str, dict | Callable[[], dict], int]]]:
        """The steps in order, grouped into transactions of at most `limit` rows: one group when they fit."""
        steps = self.steps + ([(RECORD_CHECKSUMS, {"rows": self.checksums}, len(self.checksums))]
                              if self.checksums else [])
        groups, current, rows = [], [], 0
        for step in steps:
            size = max(step[2], 1)
            if current and rows + size > limit:
                groups.append(current)
                current, rows = [], 0
            current.append(step)
            rows += size
        return groups + [current] if current else groups


def _apply(tx, steps) -> None:
    for statement, params, _ in steps:
        tx.run(statement, params() if callable(params) else params).consume()


def _node_records(frame) -> list[dict]:
    """New nodes' rows as driver maps: unset properties left out, as CREATE … SET n = r wants."""
    return [{k: v for k, v in ((k, _native(v)) for k, v in row.items()) if v is not None}
            for row in frame.to_dict("records")]


def _relationship_records(frame) -> list[dict]:
    return [{"from": r.pop("from"), "to": r.pop("to"),
             "props": {k: v for k, v in ((k, _native(v)) for k, v in r.items()) if v is not None}}
            for r in frame.to_dict("records")]


def _native(value):
    """numpy and pandas scalars to what the driver sends; NaN and None to None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _plain(value, model: Model):
    """Driver values to what the embedded store returns for the same query (see docs/engine.md):
    a node or relationship as every property its schema declares, in the schema's order, unset ones
    as None, plus `_label`; a path as {_NODES, _RELS}; Neo4j's temporal types as Python's date, time and datetime."""
    if hasattr(value, "labels") and hasattr(value, "items"):  # Node
        label = next(iter(value.labels), None)
        return {**_declared(value, model.nodes.get(label), model), "_label": label}
    if hasattr(value, "type") and hasattr(value, "items") and hasattr(value, "start_node"):  # Relationship
        return {**_declared(value, model.relationships.get(value.type), model), "_label": value.type}
    if hasattr(value, "nodes") and hasattr(value, "relationships"):  # Path: the embedded engine's shape
        return {"_NODES": [_plain(n, model) for n in value.nodes],
                "_RELS": [_plain(r, model) for r in value.relationships]}
    if hasattr(value, "to_native"):  # neo4j.time.Date, DateTime, Time
        return value.to_native()
    if isinstance(value, list):
        return [_plain(v, model) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, model) for k, v in value.items()}
    return plain(value)


def _declared(entity, spec, model: Model) -> dict:
    stored = {k: _plain(v, model) for k, v in entity.items()}
    if spec is None:
        return stored
    return {**{name: stored.pop(name, None) for name in spec.properties}, **stored}
