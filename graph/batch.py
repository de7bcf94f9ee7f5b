"""A batch of nodes and relationships to write, checked against the model before any store sees it."""
from __future__ import annotations

from dataclasses import dataclass, field

from coopgraph.errors import SchemaError
from coopgraph.graph.model import BASIS, NAME_KEY, Basis, Model, model as default_model
from coopgraph.graph.text import fold

STATED, DERIVED, OUTSIDE = Basis.stated.value, Basis.derived.value, Basis.outside.value
_PY_TYPES = {"string": str, "int": int, "float": (int, float), "bool": bool, "date": str,
             "money": int, "string[]": list}


@dataclass
class RelRow:
    """One relationship: endpoints by key, plus properties (including source and locator)."""

    from_label: str
    from_id: str
    to_label: str
    to_id: str
    properties: dict = field(default_factory=dict)


@dataclass
class GraphBatch:
    nodes: dict[str, dict[str, dict]] = field(default_factory=dict)  # label -> key -> properties
    relationships: dict[str, dict[tuple, RelRow]] = field(default_factory=dict)  # type -> identity -> row

    def add_node(self, label: str, properties: dict, *, source: str | list[str], locator: str = "",
                 **provenance) -> str:
        """Add (or complete) a node and its SOURCED_FROM links (one per source); returns its key.

        `provenance` (basis, method, reference, curated) goes on the SOURCED_FROM links; the node's
        own `basis` is the strongest of all its links'.
        """
        spec = self._model().node(label)
        key = properties[spec.key]
        if properties.get("name") and NAME_KEY in spec.properties:
            properties = {**properties, NAME_KEY: fold(properties["name"])}
        basis = provenance.get("basis") or STATED
        existing = self.nodes.setdefault(label, {}).get(key)
        if existing is None:
            self.nodes[label][key] = {**properties, BASIS: basis}
        else:  # the same node seen again: keep what was known, add what is new
            for name, value in properties.items():
                if isinstance(value, list) and isinstance(existing.get(name), list):
                    existing[name] = existing[name] + [v for v in value if v not in existing[name]]
                elif value not in (None, "", []) and existing.get(name) in (None, "", []):
                    existing[name] = value
            existing[BASIS] = self._model().provenance.strongest(existing.get(BASIS), basis)
        if label != "Source":
            for one in [source] if isinstance(source, str) else source:
                self.add_relationship("SOURCED_FROM", label, key, "Source", one, {"locator": locator},
                                      source=one, locator=locator, **provenance)
        return key

    def add_relationship(self, rel_type: str, from_label: str, from_id: str, to_label: str, to_id: str,
                         properties: dict | None = None, *, source: str | list[str], locator: str = "",
                         basis: str = "", method: str | None = None, reference: str | None = None,
                         curated: str | None = None) -> None:
        """Add a relationship; several sources are kept as one `source` text joined by |.

        `basis` is stated unless told (derived with a `method`, outside with a `reference`).
        """
        spec = self._model().relationship(rel_type)
        props = dict(properties or {})
        props["source"] = source if isinstance(source, str) else "|".join(source)
        props["locator"] = locator
        props.update(basis=basis or STATED, method=method or None, reference=reference or None,
                     curated=curated or None)
        identity = (from_label, from_id, to_label, to_id) + tuple(props.get(k) for k in spec.key)
        self.relationships.setdefault(rel_type, {})[identity] = RelRow(from_label, from_id, to_label, to_id, props)

    def extend(self, other: "GraphBatch") -> None:
        for label, rows in other.nodes.items():
            for props in rows.values():
                self.nodes.setdefault(label, {})
                key = props[self._model().node(label).key]
                self.nodes[label].setdefault(key, props)
        for rel_type, rows in other.relationships.items():
            self.relationships.setdefault(rel_type, {}).update(rows)

    def _model(self) -> Model:
        return default_model()

    def validate(self, model: Model | None = None) -> None:
        """Every property declared with the right type, every required one present, every endpoint present."""
        model = model or self._model()
        for label, rows in self.nodes.items():
            spec = model.node(label)
            for key, props in rows.items():
                _check_properties(f"{label} {key!r}", spec.properties, props)
                if props.get(BASIS) not in model.provenance.bases:
                    raise SchemaError(f"{label} {key!r}: basis {props.get(BASIS)!r} is not one of {list(model.provenance.bases)}")
        for rel_type, rows in self.relationships.items():
            spec = model.relationship(rel_type)
            for row in rows.values():
                where = f"{rel_type} {row.from_label} {row.from_id!r} -> {row.to_label} {row.to_id!r}"
                if not spec.connects(row.from_label, row.to_label):
                    raise SchemaError(f"{where}: {rel_type} does not connect these labels")
                for label, key in ((row.from_label, row.from_id), (row.to_label, row.to_id)):
                    if key not in self.nodes.get(label, {}):
                        raise SchemaError(f"{where}: endpoint {label} {key!r} is not in the batch")
                _check_properties(where, spec.properties, row.properties)
                _check_basis(where, row.properties, model)

    def counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items()}
        out.update({t: len(rows) for t, rows in self.relationships.items()})
        return out

    def node_rows(self, model: Model):
        """(label spec, rows with every declared property) per label, as stores send them."""
        for label, rows in self.nodes.items():
            spec = model.node(label)
            yield spec, [{c: props.get(c) for c in spec.properties} for props in rows.values()]

    def relationship_rows(self, model: Model):
        """(type spec, from spec, to spec, rows {f, t, properties…}) per type and pair of labels."""
        for rel_type, rows in self.relationships.items():
            spec = model.relationship(rel_type)
            by_pair: dict[tuple, list] = {}
            for row in rows.values():
                by_pair.setdefault((row.from_label, row.to_label), []).append(
                    {"f": row.from_id, "t": row.to_id, **{c: row.properties.get(c) for c in spec.properties}})
            for (a, b), payload in by_pair.items():
                yield spec, model.node(a), model.node(b), payload


@dataclass
class BulkRows:
    """How one loaded file changes the rows it states, by row identity, written in bulk.

    The writer applies the parts in this order, each as a few set-based statements (never one
    statement per row): drop `source_id`'s links to `unlink` (rows the file no longer states);
    delete the nodes `delete` (rows whose relationships changed) and those of `orphans` that no
    source states any more; set the properties in `update` (rows whose relationships are unchanged,
    one frame per label with the key column); then insert `nodes` and `relationships`, which are
    new by construction (each relationship frame has `from` and `to` keys plus properties).
    """

    source_id: str
    nodes: dict = field(default_factory=dict)
    relationships: list = field(default_factory=list)  # (type, from_label, to_label, frame)
    unlink: dict = field(default_factory=dict)   # label -> ids whose SOURCED_FROM source_id goes
    delete: dict = field(default_factory=dict)   # label -> ids
    orphans: dict = field(default_factory=dict)  # label -> ids deleted if no SOURCED_FROM remains
    update: dict = field(default_factory=dict)   # label -> frame of properties, key included

    def counts(self) -> dict[str, int]:
        out = {label: len(frame) for label, frame in self.nodes.items()}
        for rel_type, _, _, frame in self.relationships:
            out[rel_type] = out.get(rel_type, 0) + len(frame)
        return out


def _check_basis(where: str, props: dict, model: Model) -> None:
    """A known basis; a derived fact names a known method, an outside fact its reference."""
    basis = props.get(BASIS)
    if basis not in model.provenance.bases:
        raise SchemaError(f"{where}: basis {basis!r} is not one of {list(model.provenance.bases)}")
    if basis == DERIVED and props.get("method") not in model.provenance.methods:
        raise SchemaError(f"{where}: a derived fact needs a method of graph/schema/provenance.yaml, "
                          f"not {props.get('method')!r}")
    if basis == OUTSIDE and not props.get("reference"):
        raise SchemaError(f"{where}: an outside fact needs a reference")


def _check_properties(where: str, declared: dict, props: dict) -> None:
    for name, value in props.items():
        if name not in declared:
            raise SchemaError(f"{where}: property {name!r} is not declared in the schema")
        if value is None:
            continue
        expected = _PY_TYPES[declared[name].type]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise SchemaError(f"{where}: {name}={value!r} is not of type {declared[name].type}")
    for name, prop in declared.items():
        if prop.required and props.get(name) in (None, ""):
            raise SchemaError(f"{where}: required property {name!r} is missing")
