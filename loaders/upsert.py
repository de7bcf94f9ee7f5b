"""How a validated file meets the store: rows are identified by their id, not by the file.

A row whose id the store already holds with the same facts only gains the file as a source; one
whose facts differ is updated to the file's (and, when another source stated it, reported as a
conflict: never summed); a new id is inserted; an id the file stated before and no longer does
loses the file as a source, and goes once no source states it. So an export loaded back, the same
rows under another name, or a report row repeated in a GLOBO export change nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopgraph.graph.batch import BulkRows

NODE_PROPERTIES = ("year", "monetary", "interactions", "currency", "cooperant_cents", "counterpart_cents",
                   "total_cents", "sector_id", "description", "extra")
# (relationship, from label, to label, the column holding the other end, whether the contribution is `from`)
RELATIONSHIPS = (
    ("PROVIDED", "Cooperant", "Contribution", "org_id", False),
    ("RECEIVED", "DistrictEntity", "Contribution", "entity_id", False),
    ("IN_SECTOR", "Contribution", "Sector", "sector_target", True),
    ("ADVANCES", "Contribution", "SDG", "sdg_id", True),
    ("SERVES", "Contribution", "PDDObjective", "objective_id", True),
    ("IN_PROGRAM", "Contribution", "PDDProgram", "program_id", True),
    ("THROUGH_NETWORK", "Contribution", "CityNetwork", "network_id", True),
    ("OF_ACTION_TYPE", "Contribution", "ActionType", "action_id", True),
    ("OF_COLLABORATION_TYPE", "Contribution", "CollaborationType", "collaboration_id", True),
)
ENDS = tuple(r[3] for r in RELATIONSHIPS)
CHUNK = 5_000


def _facts_query() -> str:
    matches, returns = [], []
    for i, (rel, a, b, column, outgoing) in enumerate(RELATIONSHIPS):
        other = a if not outgoing else b
        pattern = f"(c)-[:{rel}]->(x{i}:{other})" if outgoing else f"(x{i}:{other})-[:{rel}]->(c)"
        matches.append(f"OPTIONAL MATCH {pattern}")
        returns.append(f"x{i}.id AS {column}")
    props = ", ".join(f"c.{p} AS {p}" for p in NODE_PROPERTIES)
    return ("UNWIND $ids AS i MATCH (c:Contribution {id: i}) " + " ".join(matches)
            + f" RETURN c.id AS id, {props}, " + ", ".join(returns))


FACTS = _facts_query()
SOURCES = "UNWIND $ids AS i MATCH (c:Contribution {id: i})-[:SOURCED_FROM]->(s:Source) RETURN c.id AS id, s.id AS source"
STATED = "MATCH (c:Contribution)-[:SOURCED_FROM]->(s:Source {id: $source}) RETURN c.id AS id"


def facts(rows: pd.DataFrame) -> pd.DataFrame:
    """A validated file's rows as the facts the graph holds: node properties and the other ends."""
    out = pd.DataFrame({"id": rows["id"].astype(str), "line": rows["line"]})
    for name in NODE_PROPERTIES:
        out[name] = rows[name].values if name in rows else None
    out["monetary"] = out["monetary"].astype(bool)
    out["org_id"], out["entity_id"] = rows["org_id"].values, rows["entity_id"].values
    out["sector_target"] = rows["sector_id"].values
    out["sdg_id"] = _coded(rows["sdg"], "ods-{:.0f}")
    out["objective_id"] = _coded(rows["objective"], "pdd-2024-obj-{:.0f}")
    for column in ("program_id", "network_id", "action_id", "collaboration_id"):
        out[column] = rows[column].values
    return out.reset_index(drop=True)


def _coded(numbers: pd.Series, pattern: str) -> np.ndarray:
    """The id each number names (a dozen distinct numbers over a million rows: formatted once each)."""
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    names = np.array([pattern.format(n) for n in uniques] + [None], dtype=object)
    return names[codes]


@dataclass
class Plan:
    bulk: BulkRows
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: int = 0
    conflicts: list[str] = field(default_factory=list)  # one line per row another source states otherwise


def plan(read, facts_frame: pd.DataFrame, source_id: str, earlier: dict | None = None, *,
         remember: bool = True) -> Plan:
    """What writing `facts_frame` as `source_id` changes, decided from what `read` (the writer's view)
    holds and from `earlier` (id -> (facts, source) planned before in the same write block, which a
    store that applies its block at the end cannot read yet); `earlier` gains this file's rows unless
    `remember` is false (the block's last file: nothing is planned after it)."""
    earlier = {} if earlier is None else earlier
    ids = facts_frame["id"].tolist()
    stored, sources = {}, {}
    # a store without contributions holds none of these ids: nothing to read back
    held_any = bool(read("MATCH (c:Contribution) RETURN c.id AS id LIMIT 1"))
    for start in range(0, len(ids) if held_any else 0, CHUNK):
        chunk = ids[start:start + CHUNK]
        for row in read(FACTS, {"ids": chunk}):
            stored.setdefault(row["id"], []).append(row)
        for row in read(SOURCES, {"ids": chunk}):
            sources.setdefault(row["id"], set()).add(row["source"])
    before = {row["id"] for row in read(STATED, {"source": source_id})}
    wanted = set(ids)
    for id_, (record, source) in earlier.items():
        if id_ not in stored and id_ in wanted:
            stored[id_] = [record]
            sources.setdefault(id_, set()).add(source)

    new_rows, rewrite, update, link = [], [], [], []
    conflicts = []
    # nothing held of these ids (a first load): every row is new, and no row needs comparing
    records = facts_frame.to_dict("records") if stored else []
    for record in records:
        held = stored.get(record["id"])
        if held is None:
            new_rows.append(record)
            continue
        old = held[0]
        ends_differ = len(held) > 1 or any(_value(old.get(c)) != _value(record[c]) for c in ENDS)
        props_differ = [p for p in NODE_PROPERTIES if _value(old.get(p)) != _value(record[p])]
        if ends_differ:
            rewrite.append(record)
        elif props_differ:
            update.append(record)
        elif source_id not in sources.get(record["id"], ()):
            link.append(record)
        if (ends_differ or props_differ) and sources.get(record["id"], set()) - {source_id}:
            changed = [c for c in ENDS if _value(old.get(c)) != _value(record[c])] + props_differ
            conflicts.append(f"{record['id']} (line {record['line']}): "
                             + ", ".join(f"{c} {_value(old.get(c))!r} → {_value(record[c])!r}" for c in changed)
                             + f"; stated by {', '.join(sorted(sources[record['id']] - {source_id}))}")
    gone = sorted(before - set(ids))
    bulk = BulkRows(source_id=source_id, unlink={"Contribution": gone}, orphans={"Contribution": gone},
                    delete={"Contribution": [r["id"] for r in rewrite]})
    if update:
        bulk.update["Contribution"] = pd.DataFrame(update)[["id", *NODE_PROPERTIES]]
    created = pd.DataFrame(new_rows + rewrite, columns=facts_frame.columns) if stored \
        else facts_frame.reset_index(drop=True)
    _insert(bulk, created, source_id)
    if link:
        links = pd.DataFrame(link)
        bulk.relationships.append(("SOURCED_FROM", "Contribution", "Source", pd.DataFrame({
            "from": links["id"].values, "to": source_id, "source": source_id,
            "locator": "line " + links["line"].astype(str).values, "basis": "stated"})))
    if remember:
        for record in records or facts_frame.to_dict("records"):
            earlier[record["id"]] = (record, source_id)
    inserted = len(new_rows) if stored else len(facts_frame)
    unchanged = len(facts_frame) - inserted - len(rewrite) - len(update)
    return Plan(bulk, inserted, len(rewrite) + len(update), unchanged, len(gone), conflicts)


def _insert(bulk: BulkRows, rows: pd.DataFrame, source_id: str) -> None:
    """Contribution nodes and all their relationships, new by construction."""
    bulk.nodes["Contribution"] = rows[["id", *NODE_PROPERTIES]].reset_index(drop=True).assign(basis="stated")
    ids = rows["id"]
    lines = "line " + rows["line"].astype(str)  # the file's row states every fact of the interaction

    def relate(rel_type, from_label, to_label, from_ids, to_ids, **props):
        keep = from_ids.notna() & to_ids.notna()
        frame = pd.DataFrame({"from": from_ids[keep].values, "to": to_ids[keep].values})
        for name, value in props.items():
            frame[name] = value[keep].values if isinstance(value, pd.Series) else value
        frame["source"] = source_id
        if "locator" not in frame:
            frame["locator"] = lines[keep].values
        frame["basis"] = "stated"
        bulk.relationships.append((rel_type, from_label, to_label, frame))

    relate("SOURCED_FROM", "Contribution", "Source", ids, pd.Series(source_id, index=rows.index), locator=lines)
    for rel_type, a, b, column, outgoing in RELATIONSHIPS:
        # the file's own columns say it: `source` names the file, so no `basis` text per row
        if outgoing:
            relate(rel_type, a, b, ids, rows[column])
        else:
            relate(rel_type, a, b, rows[column], ids)


def _value(value):
    """Stored and parsed values compared on equal terms: NaN and "" are None, numpy scalars plain."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return int(value)
    if value == "":
        return None
    return value
