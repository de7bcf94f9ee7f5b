"""The graph schema, loaded once from graph/schema/*.yaml into a typed model.

Every loader, store and exporter asks this model which labels, relationship types,
properties and keys exist; none of them declares its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml

from coopgraph.errors import SchemaError

SCHEMA_DIR = Path(__file__).parent / "schema"
PROPERTY_TYPES = {"string", "int", "float", "bool", "date", "money", "string[]"}
PROVENANCE_FILE = "provenance.yaml"  # the provenance properties, bases and methods (not a label file)
NAME_KEY = "name_key"
BASIS = "basis"


class Basis(str, Enum):
    """How a fact is known, strongest first: the choice the API's and CLI's `basis` options offer.
    provenance.yaml describes each; load_model refuses a schema whose bases differ from these."""

    stated = "stated"
    derived = "derived"
    outside = "outside"


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool = False
    description: str = ""
    # the words of each value a property may take, per language, singular and plural (a cooperant's kind)
    values: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict, compare=False, hash=False)

    def value_word(self, value: str | None, lang: str, plural: bool = False) -> str | None:
        """How surfaces name one of the property's values in `lang`; None for a value without words."""
        words = self.values.get(value or "")
        if not words:
            return None
        pair = words.get(lang) or words.get("en")
        return pair[1 if plural else 0]

    def word(self, value, lang: str) -> str:
        """A value as pages name it (singular); the value itself when the schema gives it no words."""
        if value is None:
            return ""
        return self.value_word(str(value), lang) or str(value)


@dataclass(frozen=True)
class NodeLabel:
    name: str
    key: str
    properties: dict[str, Property]
    description: str = ""
    kind: str | None = None            # the word ids and URLs use: entity (entity:sdm)
    aliases: tuple[str, ...] = ()      # other words people type for the kind: entidad
    words: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang -> (singular, plural)

    def word(self, lang: str, plural: bool = False) -> str:
        """Its name in `lang` ("es" or "en"), singular or plural; English when `lang` has none."""
        pair = self.words.get(lang) or self.words.get("en") or (self.name, self.name)
        return pair[1 if plural else 0]

    def money_properties(self) -> list[str]:
        return [p.name for p in self.properties.values() if p.type == "money"]


@dataclass(frozen=True)
class RelationshipType:
    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, Property]
    key: tuple[str, ...] = ()
    description: str = ""
    cited_end: str = "either"  # which end a cited report line must name (provenance audit)
    words: dict[str, str] = field(default_factory=dict)  # lang -> how surfaces name the link

    def connects(self, from_label: str, to_label: str) -> bool:
        return (from_label, to_label) in self.pairs


@dataclass(frozen=True)
class Provenance:
    """How facts say where they come from: the properties every relationship carries, the bases
    (stated, derived, outside, strongest first) and the named derivation methods."""

    properties: dict[str, Property]
    bases: dict[str, dict]
    methods: dict[str, str]
    outside_sources: dict[str, str]

    def strongest(self, *bases: str | None) -> str | None:
        order = list(self.bases)
        known = [b for b in bases if b in self.bases]
        return min(known, key=order.index) if known else None


@dataclass(frozen=True)
class Model:
    nodes: dict[str, NodeLabel]
    relationships: dict[str, RelationshipType]
    provenance: Provenance | None = None
    _by_lower: dict[str, str] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> NodeLabel | RelationshipType:
        found = self.get(name)
        if found is None:
            raise SchemaError(f"unknown label or relationship type: {name!r}")
        return found

    def get(self, name: str) -> NodeLabel | RelationshipType | None:
        return self.nodes.get(name) or self.relationships.get(name)

    def node(self, name: str) -> NodeLabel:
        if name not in self.nodes:
            raise SchemaError(f"unknown node label: {name!r}")
        return self.nodes[name]

    def kinds(self) -> dict[str, NodeLabel]:
        """``{"entity": <DistrictEntity>, …}``: the labels that have a kind word, in schema order."""
        return {n.kind: n for n in self.nodes.values() if n.kind}

    def kind(self, word: str) -> NodeLabel | None:
        """The label a kind word or one of its aliases names (case-insensitive), or None."""
        word = (word or "").strip().lower()
        for label in self.nodes.values():
            if label.kind and (word == label.kind or word in label.aliases):
                return label
        return None

    def kind_aliases(self, kinds=None) -> dict[str, str]:
        """``{"entidad": "entity", "entity": "entity", …}`` for the given kinds (all by default)."""
        return {word: label.kind for label in self.kinds().values() if kinds is None or label.kind in kinds
                for word in (label.kind, *label.aliases)}

    def relationship(self, name: str) -> RelationshipType:
        if name not in self.relationships:
            raise SchemaError(f"unknown relationship type: {name!r}")
        return self.relationships[name]


def _properties(raw: dict | None, where: str) -> dict[str, Property]:
    props = {}
    for name, spec in (raw or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in PROPERTY_TYPES:
            raise SchemaError(f"{where}.{name}: type {ptype!r} is not one of {sorted(PROPERTY_TYPES)}")
        values = {}
        for value, words in (spec.get("values") or {}).items():
            if not (isinstance(words, dict) and words and all(
                    isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w for w in pair)
                    for pair in words.values())):
                raise SchemaError(f"{where}.{name}: values.{value} must map a language to [singular, plural]")
            values[str(value)] = {lang: (pair[0], pair[1]) for lang, pair in words.items()}
        props[name] = Property(name, ptype, bool(spec.get("required", False)), spec.get("description", ""), values)
    return props


def load_model(schema_dir: Path = SCHEMA_DIR) -> Model:
    """Read nodes*.yaml and relationships*.yaml from ``schema_dir`` into a Model."""
    raw_nodes: dict = {}
    raw_rels: dict = {}
    provenance = _provenance(schema_dir / PROVENANCE_FILE)
    for path in sorted(schema_dir.glob("*.yaml")):
        if path.name == PROVENANCE_FILE:
            continue
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        target = raw_rels if path.stem.startswith("relationships") else raw_nodes
        for name, spec in content.items():
            if name in raw_nodes or name in raw_rels:
                raise SchemaError(f"{path.name}: {name} is declared twice")
            target[name] = spec

    nodes = {}
    for name, spec in raw_nodes.items():
        props = _properties(spec.get("properties"), name)
        props.setdefault(BASIS, Property(BASIS, "string", False,
                                         "strongest basis of the node's sources: stated, derived or outside"))
        if "name" in props:  # accent- and case-insensitive search needs a folded copy (see loaders.names.fold)
            props.setdefault(NAME_KEY, Property(NAME_KEY, "string", False, "name folded for search: upper case, no accents"))
        key = spec.get("key", "id")
        if key not in props:
            raise SchemaError(f"{name}: key {key!r} is not a declared property")
        words = {}
        for lang, pair in (spec.get("words") or {}).items():
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w for w in pair)):
                raise SchemaError(f"{name}: words.{lang} must be [singular, plural]")
            words[lang] = (pair[0], pair[1])
        nodes[name] = NodeLabel(name, key, props, spec.get("description", ""), spec.get("kind"),
                                tuple(str(a).lower() for a in spec.get("aliases") or ()), words)

    seen: dict[str, str] = {}
    for label in nodes.values():
        for word in ((label.kind,) if label.kind else ()) + label.aliases:
            if word in seen:
                raise SchemaError(f"{label.name}: kind word {word!r} already names {seen[word]}")
            seen[word] = label.name

    relationships = {}
    for name, spec in raw_rels.items():
        if spec.get("pairs") == "*":
            target = spec["to"]
            pairs = tuple((label, target) for label in nodes if label != target)
        else:
            pairs = tuple(tuple(p) for p in spec.get("pairs", []))
        for a, b in pairs:
            if a not in nodes or b not in nodes:
                raise SchemaError(f"{name}: connects unknown label {a if a not in nodes else b!r}")
        props = _properties(spec.get("properties"), name)
        for extra, prop in provenance.properties.items():
            if extra in props:
                raise SchemaError(f"{name}: property {extra!r} is a provenance property ({PROVENANCE_FILE})")
            props[extra] = prop
        key = tuple(spec.get("key", ()))
        for k in key:
            if k not in props:
                raise SchemaError(f"{name}: key {k!r} is not a declared property")
        cited_end = spec.get("cited_end", "either")
        if cited_end not in ("from", "to", "either"):
            raise SchemaError(f"{name}: cited_end {cited_end!r} is not from, to or either")
        words = spec.get("words") or {}
        if not all(isinstance(w, str) and w for w in words.values()):
            raise SchemaError(f"{name}: words must map a language to a phrase")
        relationships[name] = RelationshipType(name, pairs, props, key, spec.get("description", ""), cited_end,
                                               dict(words))
    return Model(nodes, relationships, provenance)


def _provenance(path: Path) -> Provenance:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if list(raw.get("basis") or {}) != [b.value for b in Basis]:
        raise SchemaError(f"{PROVENANCE_FILE}: `basis` must list {', '.join(b.value for b in Basis)}, in that order")
    return Provenance(
        properties=_properties(raw.get("properties"), PROVENANCE_FILE),
        bases={name: dict(spec or {}) for name, spec in (raw.get("basis") or {}).items()},
        methods={name: " ".join(str((spec or {}).get("description", "")).split())
                 for name, spec in (raw.get("methods") or {}).items()},
        outside_sources={k: " ".join(str(v).split()) for k, v in (raw.get("outside_sources") or {}).items()})


@lru_cache(maxsize=1)
def model() -> Model:
    """The project's model, read once per process."""
    return load_model()
