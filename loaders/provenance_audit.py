"""The provenance audit of `coopgraph check`: does every cited report line say what the fact says?

For every fact (node or relationship) with a report line, each cited line must hold the name of
the fact (a node's name, acronym, aliases; for a relationship, either end's) or one of its figures,
accents, case and punctuation folded. Every fact must also carry a line, or be `outside` with a
reference, and every `derived` fact a method. The audit reads a built GraphBatch, not a store.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from coopgraph.graph.batch import DERIVED, OUTSIDE, GraphBatch
from coopgraph.loaders.report_lines import holds, parse_locator, split_lines
from coopgraph.money import format_cop

__all__ = ["Finding", "Audit", "audit", "node_terms"]


@dataclass
class Finding:
    fact: str
    locator: str
    curated: str | None
    problem: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Audit:
    checked: int = 0  # facts with a report line, all of whose lines were read
    findings: list[Finding] = field(default_factory=list)
    nodes_by_basis: dict = field(default_factory=dict)
    relationships_by_basis: dict = field(default_factory=dict)
    derived_by_method: dict = field(default_factory=dict)


def node_terms(label: str, props: dict) -> list[str]:
    """What a line must hold to speak of this node: its names and, for money, its figures."""
    terms = [props.get("name"), props.get("acronym"), props.get("headline"), props.get("code"), props.get("title")]
    terms += list(props.get("aliases") or []) + list(props.get("acronyms") or [])
    if label == "Source" and props.get("title"):  # 'CIDEU: actividades…' is headed 'CIDEU' in the report
        terms += [part.strip() for part in props["title"].split(":")]
    if label == "SDG":
        terms += [f"ODS {props['number']}", f"{props['number']} {props.get('name') or ''}"]
    if label == "PDDObjective":
        terms.append(f"Objetivo {props['number']}")
    for key in ("total_cents", "cooperant_cents", "counterpart_cents"):
        if props.get(key):
            terms.append(format_cop(props[key], cents=True))
    if label == "Contribution" and props.get("monetary") is False:  # Tabla 1's count for the ODS
        terms.append(str(props.get("interactions")))
    return [t for t in terms if t]


def audit(batch: GraphBatch, lines: dict[int, str]) -> Audit:
    """Check every fact of the batch against the report's lines (number -> text)."""
    out = Audit()
    nodes = {(label, key): props for label, rows in batch.nodes.items() for key, props in rows.items()}
    out.nodes_by_basis = dict(Counter(p.get("basis") for (label, _), p in nodes.items() if label != "Source"))
    cited: set[tuple[str, str]] = set()
    rel_basis: Counter = Counter()
    methods: Counter = Counter()
    for rel_type, rows in batch.relationships.items():
        for row in rows.values():
            p = row.properties
            fact = f"{rel_type} {row.from_label} {row.from_id} -> {row.to_label} {row.to_id}"
            if rel_type != "SOURCED_FROM":
                rel_basis[p.get("basis")] += 1
                if p.get("basis") == DERIVED:
                    methods[p.get("method")] += 1
            numbers = parse_locator(p.get("locator"))
            if numbers or (p.get("basis") == OUTSIDE and p.get("reference")):
                if rel_type == "SOURCED_FROM":
                    cited.add((row.from_label, row.from_id))
            else:
                out.findings.append(Finding(fact, p.get("locator") or "", p.get("curated"),
                                            "no report line and no outside reference"))
                continue
            if not numbers:
                continue
            if rel_type == "SOURCED_FROM":
                terms = node_terms(row.from_label, nodes.get((row.from_label, row.from_id), {}))
            else:
                # a derived fact's lines state what it was derived from: either end will do
                end = "either" if p.get("basis") == DERIVED else batch._model().relationship(rel_type).cited_end
                terms = ((node_terms(row.from_label, nodes.get((row.from_label, row.from_id), {})) if end != "to" else [])
                         + (node_terms(row.to_label, nodes.get((row.to_label, row.to_id), {})) if end != "from" else []))
            missing = [n for n in numbers if n not in lines]
            if missing:
                out.findings.append(Finding(fact, p["locator"], p.get("curated"),
                                            f"line {missing[0]} is not among the report's (bundled) lines"))
                continue
            silent = [n for n in numbers if not holds(lines[n], terms)]
            if silent:
                out.findings.append(Finding(fact, p["locator"], p.get("curated"),
                                            f"line {silent[0]} does not name it", sorted(set(terms))[:6]))
            else:
                out.checked += 1
    for (label, key) in nodes:
        if label != "Source" and (label, key) not in cited:
            out.findings.append(Finding(f"{label} {key}", "", None, "node without a report line or outside reference"))
    for key, props in batch.nodes.get("Source", {}).items():  # the act a report says it is presented under
        if props.get("mandate"):
            out.checked += _check_line(out, f"Source {key} mandate", props.get("mandate_locator"), [props["mandate"]], lines)
    out.relationships_by_basis = dict(rel_basis)
    out.derived_by_method = dict(methods)
    return out


def _check_line(out: Audit, fact: str, locator: str | None, terms: list[str], lines: dict[int, str]) -> int:
    """1 when the one line a locator cites holds a term; else a finding and 0."""
    numbers = parse_locator(locator)
    if not numbers:
        out.findings.append(Finding(fact, locator or "", None, "no report line"))
    elif any(n not in lines for n in numbers):
        out.findings.append(Finding(fact, locator, None, f"line {numbers[0]} is not among the report's (bundled) lines"))
    elif not all(holds(lines[n], terms) for n in numbers):
        out.findings.append(Finding(fact, locator, None, f"line {numbers[0]} does not name it", terms))
    else:
        return 1
    return 0


def cited_lines(batch: GraphBatch, curated=None) -> set[int]:
    """Every report line a fact of the batch cites, plus every line the curated files list."""
    out = {n for rows in batch.relationships.values() for row in rows.values()
           for n in parse_locator(row.properties.get("locator"))}
    out |= {n for props in batch.nodes.get("Source", {}).values() for n in parse_locator(props.get("mandate_locator"))}
    if curated is not None:
        out |= curated_lines(curated)
    return out


def curated_lines(curated) -> set[int]:
    """The report lines the curated files list (`report_lines`, `sector_lines`), wherever they sit."""
    found: set[int] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if str(key).startswith("__"):  # the YAML reader's own line marks
                    continue
                if key in ("report_lines", "sector_lines"):
                    found.update(split_lines(inner))
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk([curated.pdd, curated.networks, curated.engagements])
    for frame in (curated.organisations, curated.entities, curated.sectors, curated.sdgs, curated.contradictions):
        for column in ("report_lines", "sector_lines"):
            if column in frame:
                for cell in frame[column]:
                    found.update(split_lines(cell))
    return found
