"""Two (to four) fichas side by side: the headline figures of each, aligned by what they measure.

    compare_profiles(store, ["cooperant:bid", "network:c40"])

Each column is one ficha (coopgraph.analysis.profiles builds it: the same figures, bases and sources); each
row one figure, the same for every kind: a cooperant's money *given*, an entity's or a sector's
*received* and a network's *channelled* share the row ``money``. Beside the headline, rows count what
the ficha's sections list (partners, ODS, engagements, events, networks) and carry its concentration
(top cooperant's share, HHI) and the counterpart per cooperant peso. A figure a ficha does not have is
None ("sin dato"), never 0.
"""
from __future__ import annotations

from coopgraph.errors import Unprocessable
from coopgraph.analysis.profiles import Profile, build_profile, normalise_kind
from coopgraph.analysis.shares import per_peso

__all__ = ["MAX_COMPARED", "MONEY_FACTS", "ROWS", "compare_profiles", "parse_ids"]

MAX_COMPARED = 4
MONEY_FACTS = ("received", "given", "channelled", "money", "amount")  # one row: what each kind calls its money
# (row key, unit): the figures compared, in order
ROWS = (("money", "cop_cents"), ("cooperant_cents", "cop_cents"), ("counterpart_cents", "cop_cents"),
        ("counterpart_per_cooperant_peso", "ratio"), ("contributions", "count"), ("interactions", "count"),
        ("partners", "count"), ("top_share_pct", "pct"), ("hhi", "index"), ("sdgs", "count"),
        ("engagements", "count"), ("events", "count"), ("networks", "count"))
# the sections counted, with the kinds whose fichas have them (an empty one is a count of 0, not unknown)
COUNTED_SECTIONS = {"partners": {"entity", "cooperant", "network", "sdg", "pdd-objective", "sector"},
                    "sdgs": {"entity", "cooperant", "network", "pdd-objective", "sector"},
                    "engagements": {"entity", "cooperant", "network"}, "events": {"entity", "cooperant", "network"},
                    "networks": {"entity", "cooperant", "network", "engagement"}}


class CompareError(Unprocessable):
    """The ids to compare are malformed, too few or too many."""


def parse_ids(text: str | list[str]) -> list[tuple[str, str]]:
    """``"cooperant:bid,network:c40"`` → ``[("cooperant", "bid"), ("network", "c40")]`` (kinds normalised).

    >>> parse_ids("cooperante:bid, network:c40")
    [('cooperant', 'bid'), ('network', 'c40')]
    """
    parts = [p.strip() for p in (text.split(",") if isinstance(text, str) else text) if p and p.strip()]
    if not 2 <= len(parts) <= MAX_COMPARED:
        raise CompareError(f"compare 2 to {MAX_COMPARED} fichas (ids=kind:id,kind:id), not {len(parts)}", ids=parts)
    out = []
    for part in parts:
        kind, sep, key = part.partition(":")
        if not sep or not key.strip():
            raise CompareError(f"{part!r} is not kind:id (e.g. cooperant:bid, network:c40)", id=part)
        out.append((normalise_kind(kind), key.strip()))
    return out


CONCENTRATED_KINDS = ("entity", "sector", "sdg", "pdd-objective")  # fichas with a concentration section
NOT_APPLICABLE = "not_applicable"  # the basis of a figure the kind has no such thing as (a cooperant's top cooperant)


def _fact(value, unit: str, basis: str = "derived", sources: list[str] | None = None) -> dict:
    fact = {"value": value, "unit": unit, "basis": basis if value is not None or basis == NOT_APPLICABLE else "unknown",
            "sources": sources or []}
    if unit == "cop_cents" and value is not None:
        fact["value_cents"] = int(value)  # the API's money convention: value_cop (pesos) beside it
    return fact


def _column(profile: Profile) -> dict[str, dict]:
    facts = {f.key: f for f in profile.headline}
    money = next((facts[k] for k in MONEY_FACTS if k in facts), None)
    out: dict[str, dict] = {}
    if money is not None:
        out["money"] = _fact(money.value, money.unit, money.basis, money.sources)
        out["money"]["note"] = money.note
    for key in ("cooperant_cents", "counterpart_cents", "contributions", "interactions"):
        if key in facts:
            f = facts[key]
            out[key] = _fact(f.value, f.unit, f.basis, f.sources)
        elif key.endswith("_cents") and money is not None and money.value == 0:  # no money at all: no part either
            out[key] = _fact(0, "cop_cents", money.basis, money.sources)
    if "cooperant_cents" in out and "counterpart_cents" in out:
        out["counterpart_per_cooperant_peso"] = _fact(per_peso(out["counterpart_cents"]["value"],
                                                               out["cooperant_cents"]["value"]), "ratio")
    sections = {s.key: s for s in profile.sections}
    for key, kinds in COUNTED_SECTIONS.items():
        if key in sections or profile.kind in kinds:
            out[key] = _fact(len(sections[key].rows) if key in sections else 0, "count")
    if "concentration" in sections:
        row = sections["concentration"].rows[0]
        out["top_share_pct"] = _fact(row["top_share_pct"], "pct")
        out["top_share_pct"]["of"] = {"kind": "cooperant", "id": row["id"], "name": row["top_cooperant"]}
        out["hhi"] = _fact(row["hhi"], "index")
    else:  # no cooperant money: undefined (sin dato); a cooperant or network has no such figure (—)
        basis = "unknown" if profile.kind in CONCENTRATED_KINDS else NOT_APPLICABLE
        out["top_share_pct"] = _fact(None, "pct", basis)
        out["hhi"] = _fact(None, "index", basis)
    return out


def compare_profiles(store, ids: str | list[str]) -> dict:
    """The headline figures of 2 to 4 fichas in aligned rows (see the module's docstring)."""
    profiles = [build_profile(store, kind, key) for kind, key in parse_ids(ids)]
    columns = [_column(p) for p in profiles]
    rows = []
    for key, unit in ROWS:
        if not any(key in c for c in columns):
            continue
        rows.append({"key": key, "unit": unit, "values": [c.get(key) or _fact(None, unit, NOT_APPLICABLE) for c in columns]})
    return {"profiles": [{"kind": p.kind, "id": p.id, "name": p.name, "acronym": p.acronym, "roles": p.roles,
                          "details": p.details} for p in profiles],
            "rows": rows, "data": profiles[0].data}
