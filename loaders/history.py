"""The history of loads: which load made the data a figure came from, and going back to it.

Every load that changes the data, and every rollback, appends one line to `history.jsonl` beside
the store (the log is kept whole): the data version it made current (on the embedded store a
generation, see graph/store/embedded.py), when, which files (name, checksum, rows read, added,
changed, already held, no longer stated), and the headline figures before and after (interactions,
the report's COP, all cooperation in COP). The embedded store keeps the last
COOPGRAPH_HISTORY_KEEP generations' data, so `coopgraph rollback` can make one of them current
again, atomically, as a load does. On Neo4j the log is written too, but there is one database and
no earlier data to go back to: rollback is refused there.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from coopgraph.errors import BadRequest, NotFound

LOG = "history.jsonl"


class NoSuchGeneration(NotFound):
    """The data version asked for is not kept (or never existed)."""


class RollbackRefused(BadRequest):
    """The store cannot go back (Neo4j), or there is nothing earlier to go back to."""


def log_path(store) -> Path:
    if store.dialect == "embedded":
        return Path(store.root) / LOG
    return Path(store.settings.home) / "neo4j-history.jsonl"


def figures(store) -> dict | None:
    """The headline figures a briefing quotes, as exact decimal strings (None before any load)."""
    if not store.has_data():
        return None
    from coopgraph.cypher.library import run
    from coopgraph.graph.all_cooperation import all_cooperation
    from coopgraph.money import from_cents

    totals = run(store, "summary_totals", from_year=0, to_year=9999)[0]  # what `summary` shows, without its breakdowns
    return {"interactions": int(totals["interactions"]), "report_cop": str(from_cents(totals["total_cents"])),
            "all_cooperation_cop": str(all_cooperation(store)["total_cop"])}


def entries(store) -> list[dict]:
    """Every recorded load and rollback, oldest first; each says whether its data is still kept."""
    path = log_path(store)
    if not path.exists():
        return []
    kept = set(store.kept_generations()) if store.dialect == "embedded" else set()
    current = store.version() if store.has_data() else None
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entry["kept"] = entry["version"] in kept
            entry["current"] = entry["version"] == current
            out.append(entry)
    return out


def loaded_at(store, version: str) -> str | None:
    """When the data of `version` was made current (the last time, after a rollback)."""
    path = log_path(store)
    if not path.exists():
        return None
    return _loaded_at(path, path.stat().st_mtime_ns, version)


@lru_cache(maxsize=64)
def _loaded_at(path: Path, mtime_ns: int, version: str) -> str | None:  # every answer asks: read the log once
    found = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and f'"{version}"' in line:
            entry = json.loads(line)
            if entry["version"] == version:
                found = entry["at"]
    return found


def _append(store, entry: dict) -> None:
    path = log_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with open(path, "a", encoding="utf-8") as log:  # one short appended line: whole even beside another writer
        log.write(line)
        log.flush()
        os.fsync(log.fileno())


@contextmanager
def recorded(store, action: str):
    """Wrap a load: yields the list its files go into; appends the entry if the data changed."""
    before_version = store.version() if store.has_data() else None
    logged = [e for e in entries(store) if e["version"] == before_version] if before_version else []
    if logged:  # the log knows them: no summary to compute (~0.3 s on a big store)
        before = logged[-1]["figures_after"]
    else:
        try:
            before = figures(store)
        except Exception:  # a store of an older schema cannot answer the figures: the load upgrades it
            before = None
    files: list[dict] = []
    yield files
    after_version = store.version() if store.has_data() else None
    if after_version is None or after_version == before_version:
        return  # nothing written (every file already loaded)
    _append(store, {"version": after_version, "previous": before_version, "action": action, "at": _now(),
                    "files": files, "figures_before": before, "figures_after": figures(store)})


def rollback(store, version: str | None = None) -> dict:
    """Make `version` (default: the one before the current) current again; returns the log entry."""
    if store.dialect != "embedded":
        raise RollbackRefused("rollback needs the embedded store's generations; Neo4j holds one database "
                              "(restore a Neo4j backup instead: neo4j-admin database load)")
    current = store.version() if store.has_data() else None
    kept = store.kept_generations()  # newest first
    if version is None:
        earlier = [g for g in kept if g != current]
        if not earlier:
            raise RollbackRefused("there is no earlier data kept to go back to (`coopgraph history`)")
        version = earlier[0]
    target = resolve(store, version)
    if target == current:
        raise RollbackRefused(f"{short(target)} is already the current data")
    before = figures(store)
    store.make_current(target)
    entry = {"version": target, "previous": current, "action": "rollback", "at": _now(), "files": [],
             "figures_before": before, "figures_after": figures(store)}
    _append(store, entry)
    return entry


def short(version: str | None) -> str:
    """The version as people quote it: 12 characters are unique among any store's generations."""
    return (version or "")[:12]


def stamp(store) -> dict:
    """What every answer carries: the data version and when its load happened."""
    if not store.has_data():
        return {"data_version": None, "loaded_at": None}
    version = store.version()
    return {"data_version": version, "loaded_at": loaded_at(store, version)}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")



def resolve(store, version: str) -> str:
    """A kept generation named in full or by a prefix of at least six characters."""
    matches = [g for g in store.kept_generations() if g == version or (len(version) >= 6 and g.startswith(version))]
    if len(matches) != 1:
        raise NoSuchGeneration(f"no kept data version {version!r}; `coopgraph history` lists the kept ones")
    return matches[0]


def generation_diff(store, older: str, newer: str) -> dict:
    """What changed between two kept loads: headline figures, nodes and links per kind, organisations."""
    if store.dialect != "embedded":
        raise RollbackRefused("comparing loads needs the embedded store's generations")
    views = {}
    for role, version in (("from", older), ("to", newer)):
        views[role] = store.at_generation(resolve(store, version))
    try:
        a, b = views["from"], views["to"]
        fa, fb = figures(a), figures(b)
        ca, cb = a.counts(), b.counts()
        orgs = "MATCH (o:Cooperant) RETURN o.id AS id, o.name AS name"
        oa = {r["id"]: r["name"] for r in a.read(orgs)}
        ob = {r["id"]: r["name"] for r in b.read(orgs)}
        return {
            "from": {"version": a.version(), "loaded_at": loaded_at(store, a.version()), "figures": fa},
            "to": {"version": b.version(), "loaded_at": loaded_at(store, b.version()), "figures": fb},
            "change": {k: (str(Decimal(fb[k]) - Decimal(fa[k])) if k != "interactions" else fb[k] - fa[k]) for k in fa},
            "nodes": {k: {"from": ca["nodes"][k], "to": cb["nodes"][k]} for k in ca["nodes"]
                      if ca["nodes"][k] != cb["nodes"].get(k)},
            "relationships": {k: {"from": ca["relationships"][k], "to": cb["relationships"][k]}
                              for k in ca["relationships"] if ca["relationships"][k] != cb["relationships"].get(k)},
            "cooperants_added": sorted(ob[i] for i in ob.keys() - oa.keys()),
            "cooperants_removed": sorted(oa[i] for i in oa.keys() - ob.keys()),
        }
    finally:
        for view in views.values():
            view.close()
