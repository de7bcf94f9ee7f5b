"""The reviewed knowledge under data/curated/: who each organisation is, the district's entities
and sectors, the ODS, the PDD, the city networks and the engagements of the report's narrative.

Decisions live in these files, not in code: a merge is an alias row with its reason, and is
undone by editing that row. This module only reads and checks them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

import coopgraph.data
from coopgraph.errors import InputError, Problem
from coopgraph.loaders.names import fold

CURATED_DIR = Path(coopgraph.data.__file__).parent / "curated"

# file -> columns that must be present and non-empty
REQUIRED = {
    "organisations.csv": ["org_id", "name", "iati_type", "kind", "source"],
    "org_aliases.csv": ["alias", "org_id", "match", "source"],
    "org_keep_apart.csv": ["org_id_a", "org_id_b", "reason"],
    "sectors.csv": ["sector_id", "name", "source"],
    "district_entities.csv": ["entity_id", "name", "sector_id", "source"],
    "sdg.csv": ["number", "name_es", "name_en", "source"],
    "contribution_objectives.csv": ["row", "entity", "cooperant", "pdd_objective", "reason", "source"],
    "iati_organisation_types.csv": ["code", "name_en", "name_es"],
    "contradictions.csv": ["contradiction_id", "description", "report_lines", "says", "source"],
}


@dataclass
class Curated:
    directory: Path
    organisations: pd.DataFrame
    aliases: pd.DataFrame
    keep_apart: pd.DataFrame
    sectors: pd.DataFrame
    entities: pd.DataFrame
    sdgs: pd.DataFrame
    contribution_objectives: pd.DataFrame
    iati_types: pd.DataFrame
    contradictions: pd.DataFrame  # where the report contradicts itself in words (loaders/contradictions.py)
    pdd: dict
    networks: list[dict]
    engagements: list[dict]

    def locator(self, filename: str, index: int) -> str:
        """Where a CSV row was typed: data/curated/FILE line N (the header is line 1)."""
        return f"data/curated/{filename} line {index + 2}"

    @staticmethod
    def at(filename: str, item: dict) -> str:
        """Where a YAML item was typed: data/curated/FILE line N."""
        return f"data/curated/{filename} line {item.get(LINE, '?')}"


def _csv(directory: Path, filename: str) -> pd.DataFrame:
    path = directory / filename
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(path, None, None, None, "this curated file (see docs/data.md)")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError.single(path, None, None, None, f"a UTF-8 CSV file ({exc})")
    problems = [Problem(str(path), 1, c, None, "this column in the header")
                for c in REQUIRED[filename] if c not in frame.columns]
    problems += [Problem(str(path), i + 2, c, "", "a value") for c in REQUIRED[filename] if c in frame.columns
                 for i in frame.index[frame[c].str.strip() == ""]]
    if problems:
        raise InputError(problems)
    return frame


LINE = "__line__"    # key added to every YAML mapping: the line it starts on
ITEM_LINES = "__item_lines__"  # key -> the line of each item of a list value


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers, in each mapping, the line it was typed on and the line of each
    item of its lists (an engagement's organisations), for provenance."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=True)
        mapping[LINE] = node.start_mark.line + 1
        mapping[ITEM_LINES] = {self.construct_object(k): [child.start_mark.line + 1 for child in v.value]
                               for k, v in node.value if isinstance(v, yaml.SequenceNode)}
        return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)


def items_with_lines(item: dict, key: str) -> list[tuple[object, int]]:
    """The items of a list value with the line each was typed on."""
    values = item.get(key) or []
    lines = (item.get(ITEM_LINES) or {}).get(key) or [item.get(LINE)] * len(values)
    return list(zip(values, lines))


def item_id(item) -> str:
    """An id from a list of ids that may also be written as mappings ({org_id: …, report_lines: […]})."""
    if isinstance(item, dict):
        return item.get("id") or item.get("org_id") or item.get("entity_id")
    return item


def _yaml(directory: Path, filename: str) -> dict:
    path = directory / filename
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader) or {}
    except FileNotFoundError:
        raise InputError.single(path, None, None, None, "this curated file (see docs/data.md)")
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError.single(path, None if line is None else line + 1, None, None, f"valid YAML ({exc})")


def read_curated(directory: Path = CURATED_DIR) -> Curated:
    curated = Curated(
        directory=directory,
        organisations=_csv(directory, "organisations.csv"),
        aliases=_csv(directory, "org_aliases.csv"),
        keep_apart=_csv(directory, "org_keep_apart.csv"),
        sectors=_csv(directory, "sectors.csv"),
        entities=_csv(directory, "district_entities.csv"),
        sdgs=_csv(directory, "sdg.csv"),
        contribution_objectives=_csv(directory, "contribution_objectives.csv"),
        iati_types=_csv(directory, "iati_organisation_types.csv"),
        contradictions=_csv(directory, "contradictions.csv"),
        pdd=_yaml(directory, "pdd.yaml"),
        networks=_yaml(directory, "networks.yaml").get("networks", []),
        engagements=_yaml(directory, "engagements.yaml").get("engagements", []),
    )
    _check_references(curated)
    return curated


def _check_references(c: Curated) -> None:
    """Every id a curated file mentions exists, and no two organisations share a name key."""
    problems: list[Problem] = []
    orgs = set(c.organisations.org_id)
    entities = set(c.entities.entity_id)
    sectors = set(c.sectors.sector_id)
    for i, row in c.aliases.iterrows():
        if row.org_id not in orgs:
            problems.append(Problem(str(c.directory / "org_aliases.csv"), i + 2, "org_id", row.org_id,
                                    "an org_id of organisations.csv"))
    for i, row in c.entities.iterrows():
        if row.sector_id not in sectors:
            problems.append(Problem(str(c.directory / "district_entities.csv"), i + 2, "sector_id", row.sector_id,
                                    "a sector_id of sectors.csv"))
    seen: dict[str, str] = {}
    for i, row in c.aliases.iterrows():
        key = fold(row.alias)
        if seen.setdefault(key, row.org_id) != row.org_id:
            problems.append(Problem(str(c.directory / "org_aliases.csv"), i + 2, "alias", row.alias,
                                    f"one organisation per name, but it also names {seen[key]!r}"))
    merged = {row.org_id_a for row in c.keep_apart.itertuples()} | {row.org_id_b for row in c.keep_apart.itertuples()}
    for i, row in c.keep_apart.iterrows():
        if row.org_id_a == row.org_id_b:
            problems.append(Problem(str(c.directory / "org_keep_apart.csv"), i + 2, "org_id_b", row.org_id_b,
                                    "a different organisation than org_id_a"))
    for name in merged - orgs:
        problems.append(Problem(str(c.directory / "org_keep_apart.csv"), None, None, name, "an org_id of organisations.csv"))
    for kind, items, key in (("networks.yaml", c.networks, "network_id"), ("engagements.yaml", c.engagements, "engagement_id")):
        for item in items:
            membership = item.get("membership") or {}
            for org in [item.get("org_id")] + list(item.get("organisations") or []) + [
                    r.get("org_id") for r in membership.get("roles") or []]:
                if item_id(org) and item_id(org) not in orgs:
                    problems.append(Problem(str(c.directory / kind), _line(org, item), item[key], item_id(org),
                                            "an org_id of organisations.csv"))
            for entity in list(item.get("district_entities") or []) + [membership.get("fee_paid_by")] + list(
                    membership.get("joined_by") or []):
                if item_id(entity) and item_id(entity) not in entities:
                    problems.append(Problem(str(c.directory / kind), _line(entity, item), item[key], item_id(entity),
                                            "an entity_id of district_entities.csv"))
            for person in item.get("people") or []:
                for field, known, what in (("entity_id", entities, "district_entities.csv"), ("org_id", orgs, "organisations.csv")):
                    if person.get(field) and person[field] not in known:
                        problems.append(Problem(str(c.directory / kind), person[LINE], field, person[field],
                                                f"an {field} of {what}"))
    if problems:
        raise InputError(problems)


def _line(value, item: dict) -> int | None:
    if isinstance(value, dict):
        return value.get(LINE)
    for key in ("organisations", "district_entities"):
        for one, line in items_with_lines(item, key):
            if one == value:
                return line
    return item.get(LINE)


def sources_of(value: str) -> list[str]:
    """A curated `source` cell may list several Source ids separated by |."""
    return [s.strip() for s in str(value).split("|") if s.strip()]
