"""What a profile ("ficha") is made of — facts, sections, the profile itself and what section builders
read — the kinds a ficha exists for, and the registry of section builders (`register_section`)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable

from coopgraph.errors import NotFound
from coopgraph.graph.model import model

__all__ = ["KINDS", "KIND_ALIASES", "Fact", "Section", "Profile", "ProfileContext", "ProfileNotFound", "SECTIONS",
           "normalise_kind", "register_section", "key_of"]


@dataclass(frozen=True)
class KindSpec:
    label: str
    key: str          # property that identifies the node
    contributions: str  # Cypher pattern binding (n) to its contributions (c)


def _label(kind: str) -> str:
    return model().kinds()[kind].name  # the kind words live in graph/schema/nodes.yaml


KINDS = {
    "entity": KindSpec(_label("entity"), "id", "(n)-[:RECEIVED]->(c:Contribution)"),
    "cooperant": KindSpec(_label("cooperant"), "id", "(n)-[:PROVIDED]->(c:Contribution)"),
    "network": KindSpec(_label("network"), "id", "(c:Contribution)-[:THROUGH_NETWORK]->(n)"),
    "engagement": KindSpec(_label("engagement"), "id", ""),
    "sdg": KindSpec(_label("sdg"), "number", "(c:Contribution)-[:ADVANCES]->(n)"),
    "pdd-objective": KindSpec(_label("pdd-objective"), "id", "(c:Contribution)-[:SERVES]->(n)"),
    "sector": KindSpec(_label("sector"), "id", "(c:Contribution)-[:IN_SECTOR]->(n)"),
}
KIND_ALIASES = model().kind_aliases(set(KINDS))  # entidad -> entity, ods -> sdg… (graph/schema)


class ProfileNotFound(NotFound):
    """No node of that kind has that id."""


@dataclass
class Fact:
    key: str
    value: int | str | None   # centavos for money, a count, or text; None = sin dato
    unit: str                 # "cop_cents" | "count" | "text" | "money" (original currency, see note)
    basis: str                # "stated" | "derived" | "unknown"
    note: str = ""            # why: e.g. "no_monetary:2024" or the rows summed; the currency of "money"
    sources: list[str] = field(default_factory=list)  # "Tabla 3 · line 564"
    cop_cents: int | None = None  # an amount in another currency: its COP value at `rates` (derived)
    rates: list[dict] = field(default_factory=list)   # [{rate, rate_date, rate_basis}]


@dataclass
class Section:
    key: str                  # "partners", "sdgs"… (titles come from the page's words)
    columns: list[str]        # keys of each row, in order; *_cents columns are COP centavos
    rows: list[dict]
    note: str = ""


@dataclass
class Profile:
    kind: str
    id: str
    name: str
    acronym: str | None
    details: dict             # small key-value facts: sector, country, type, dates…
    headline: list[Fact]
    sections: list[Section]
    roles: list[str] = field(default_factory=list)  # a network that is also a cooperant: both
    data: dict = field(default_factory=dict)  # {"data_version", "loaded_at"}: which load the figures come from

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ProfileContext:
    """What every section builder may read: the store, the node, and its contributions with what they join."""
    store: object
    kind: str
    key: object
    node: dict
    contributions: list[dict]       # one dict per contribution: money, year, cooperant, entity, sdgs, pdds, networks, source
    cooperant_ids: list[str]        # the cooperant(s) this node is (itself, or a network's SAME_AS)

    def read(self, cypher: str, **params) -> list[dict]:
        return self.store.read(cypher, {"key": self.key, **params})


def normalise_kind(kind: str) -> str:
    kind = (kind or "").strip().lower()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ProfileNotFound(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}", kind=kind)
    return kind


def key_of(kind: str, raw: str):
    raw = str(raw).strip()
    if kind == "sdg":
        digits = raw.lower().removeprefix("ods-").removeprefix("sdg-").removeprefix("ods").removeprefix("sdg")
        if not digits.strip().isdecimal():
            raise ProfileNotFound(f"an ODS is a number from 1 to 17, not {raw!r}", id=raw)
        return int(digits)
    if kind == "pdd-objective" and raw.isdecimal():
        return f"pdd-2024-obj-{raw}"
    return raw


# -- the section builders --------------------------------------------------------------------------------
SECTIONS: list[Callable[[ProfileContext], Section | None]] = []


def register_section(builder: Callable[[ProfileContext], Section | None], *, before: str | None = None):
    """Add a section builder (optionally before another builder, by function name). Usable as a decorator."""
    names = [b.__name__ for b in SECTIONS]
    if before in names:
        SECTIONS.insert(names.index(before), builder)
    else:
        SECTIONS.append(builder)
    return builder
