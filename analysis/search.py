"""One search for maps, API and CLI: what people type → the node they mean, ranked and typed.

    hits = search(store, "secretaria de ambiente")     # [Hit(map_id='entity:sda', …), …]
    entries = search_index(store)                      # what the maps ship to their search box

Accents, case and punctuation are ignored; acronyms and aliases count as names; word order does
not matter; a word may be misspelt (Levenshtein similarity from rapidfuzz). A network that is also
a cooperant (C40, Metrópolis, ICLEI…) is one entry with both roles, under the network.

The maps score in the browser with the same rules (viz/static/map.js `score`), so a query finds
the same first node in the API, the CLI and a map. The rules, best first, for each name of a node:

    100 the whole name, acronym or alias     92 a name starting with the query
     88 every word of the query is a word of the name (any order; "de", "la"… ignored)
     84 every word is the start of a word of the name     80 the query inside a name
  60–80 every word (4+ letters) is at least 75 % similar to a word of the name (typos)
  58–78 the same, the words spread over the node's names ("idrd deportes")
  40–50 half the words or more, one of them of 4+ letters, found among the node's names

Ties go to district entities, then cooperants and networks, ODS and PDD objectives, sectors,
then projects and events; then the node with more money, then the shorter name.
"""
from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein
from unidecode import unidecode

__all__ = ["Entry", "Hit", "Index", "fold", "score", "search", "search_index", "STOPWORDS", "KIND_RANK"]

STOPWORDS = frozenset("de del la las el los y e en para por a al of the and for".split())
KIND_RANK = {"entity": 0, "cooperant": 1, "network": 1, "sdg": 2, "pdd-objective": 2, "sector": 3, "engagement": 4}
FUZZY_MIN = 0.75
STRONG = 80  # with a hit this good, hits that matched only some words are noise
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass
class Entry:
    map_id: str           # "entity:sda" (the map's node id)
    kind: str
    key: str              # the store id ("sda", "13", "pdd-2024-obj-4")
    name: str
    acronym: str | None
    terms: list[str]      # folded names: name, acronyms, aliases, English name…
    weight: int           # money (COP centavos) behind the node, for ties
    roles: list[str]


@dataclass
class Hit:
    map_id: str
    kind: str
    id: str
    name: str
    acronym: str | None
    roles: list[str]
    score: float
    matched: str          # the (folded) name that matched

    def to_dict(self) -> dict:
        return asdict(self)


def fold(text) -> str:
    """``"Secretaría  de AMBIENTE!"`` → ``"secretaria de ambiente"``."""
    return _NOT_WORD.sub(" ", unidecode(str(text or "")).lower()).strip()


def _content(words: list[str]) -> list[str]:
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words


def _similar(word: str, words: list[str]) -> float:
    best = 0.0
    for other in words:
        if other == word:
            return 1.0
        if len(word) >= 3 and other.startswith(word):
            best = max(best, 0.95)
        elif len(word) >= 4:
            best = max(best, Levenshtein.normalized_similarity(word, other))
    return best


def score(query: str, term: str) -> float:
    """How well a folded query matches one folded name (0 = not at all). See the module's rules."""
    if not query or not term:
        return 0.0
    if term == query:
        return 100.0
    if term.startswith(query):
        return 92.0
    words = term.split()
    asked = _content(query.split())
    if all(w in words for w in asked):
        return 88.0
    if all(any(x.startswith(w) for x in words) for w in asked):
        return 84.0
    if query in term:
        return 80.0
    similarities = [_similar(w, words) if len(w) >= 4 else (1.0 if w in words else 0.0) for w in asked]
    if similarities and min(similarities) >= FUZZY_MIN:
        return round(60 + 20 * sum(similarities) / len(similarities), 3)
    return 0.0


def bag_score(query: str, words: set[str], idf: dict[str, float], unknown_idf: float) -> float:
    """The words of a query spread over a node's names (``"idrd deportes"``): at most 78, below any
    single-name match; half the words or more (one of 4+ letters) found gives 40–60, weighted by
    how rare each word is among all names (idf), so "ambiente" counts more than "bogota"."""
    asked = _content(query.split())
    similarities = [_similar(w, sorted(words)) if len(w) >= 4 else (1.0 if w in words else 0.0) for w in asked]
    if not similarities:
        return 0.0
    found = [s for s, w in zip(similarities, asked) if s >= FUZZY_MIN]
    if len(found) == len(asked):
        return round(min(78.0, 58 + 20 * sum(similarities) / len(similarities)), 3)
    long_found = any(s >= FUZZY_MIN and len(w) >= 4 for s, w in zip(similarities, asked))
    if long_found and 2 * len(found) >= len(asked):
        rarity = [idf.get(w, unknown_idf) for w in asked]
        share = sum(r for r, s in zip(rarity, similarities) if s >= FUZZY_MIN) / sum(rarity)
        return round(40 + 20 * share, 3)
    return 0.0


def rank_key(entry_score: float, entry: Entry | dict):
    e = entry if isinstance(entry, dict) else asdict(entry)
    return (-entry_score, KIND_RANK.get(e["kind"], 9), -int(e["weight"] or 0), len(e["name"]), e["map_id"])


# -- the index -------------------------------------------------------------------------------
NODES = {  # networks before cooperants: a cooperant that is a network joins its entry
    "entity": "MATCH (n:DistrictEntity) RETURN n.id AS id, n.name AS name, n.acronyms AS acronyms, n.aliases AS aliases",
    "network": "MATCH (n:CityNetwork) RETURN n.id AS id, n.name AS name, n.acronym AS acronym",
    "cooperant": "MATCH (n:Cooperant) RETURN n.id AS id, n.name AS name, n.acronym AS acronym, n.aliases AS aliases",
    "engagement": "MATCH (n:Engagement) RETURN n.id AS id, n.name AS name",
    "sdg": "MATCH (n:SDG) RETURN n.number AS id, n.name AS name, n.name_en AS name_en, n.headline AS headline",
    "pdd-objective": "MATCH (n:PDDObjective) RETURN n.id AS id, n.number AS number, n.name AS name, n.name_en AS name_en",
    "sector": "MATCH (n:Sector) RETURN n.id AS id, n.name AS name, n.name_en AS name_en",
}
SAME_AS = "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS network, o.id AS cooperant"
WEIGHTS = {
    "entity": "MATCH (n:DistrictEntity)-[:RECEIVED]->(c:Contribution) WHERE c.currency = 'COP' RETURN n.id AS id, sum(c.total_cents) AS w",
    "cooperant": "MATCH (n:Cooperant)-[:PROVIDED]->(c:Contribution) WHERE c.currency = 'COP' RETURN n.id AS id, sum(c.total_cents) AS w",
    "sdg": "MATCH (c:Contribution)-[:ADVANCES]->(n:SDG) WHERE c.currency = 'COP' RETURN n.number AS id, sum(c.total_cents) AS w",
    "pdd-objective": "MATCH (c:Contribution)-[:SERVES]->(n:PDDObjective) WHERE c.currency = 'COP' RETURN n.id AS id, sum(c.total_cents) AS w",
}


def _names(kind: str, row: dict) -> tuple[list[str], str | None]:
    names = [row.get("name"), str(row["id"]).replace("-", " ") if kind in ("entity", "cooperant", "network") else None]
    acronym = row.get("acronym") or ((row.get("acronyms") or [None])[0])
    names += list(row.get("acronyms") or []) + [row.get("acronym")] + list(row.get("aliases") or [])
    names += [row.get("name_en"), row.get("headline")]
    if kind == "sdg":
        names += [f"ODS {row['id']}", f"SDG {row['id']}", f"ODS{row['id']}"]
        acronym = f"ODS {row['id']}"
    elif kind == "pdd-objective":
        n = row.get("number")
        names += [f"Objetivo {n}", f"PDD {n}", f"Objetivo PDD {n}", f"PDD objective {n}"]
        acronym = f"PDD {n}"
    return names, acronym


@dataclass
class Index:
    entries: list[Entry]
    idf: dict[str, float]     # word -> log(1 + entries / entries holding it)
    unknown_idf: float        # a word no name holds


def _idf(entries: list[Entry]) -> tuple[dict[str, float], float]:
    import math

    df: dict[str, int] = {}
    for e in entries:
        for w in {w for t in e.terms for w in t.split()}:
            df[w] = df.get(w, 0) + 1
    n = len(entries)
    return {w: round(math.log(1 + n / k), 4) for w, k in df.items()}, round(math.log(1 + n), 4)


def _build(store) -> Index:
    weights = {kind: {r["id"]: int(r["w"] or 0) for r in store.read(cypher)} for kind, cypher in WEIGHTS.items()}
    merged = {r["cooperant"]: r["network"] for r in store.read(SAME_AS)}
    entries: dict[str, Entry] = {}
    for kind, cypher in NODES.items():
        for row in store.read(cypher):
            names, acronym = _names(kind, row)
            terms = []
            for name in names:
                folded = fold(name)
                if folded and folded not in terms:
                    terms.append(folded)
            weight = weights.get(kind, {}).get(row["id"], 0)
            if kind == "cooperant" and row["id"] in merged:  # one node with both roles, under the network
                network = entries[f"network:{merged[row['id']]}"]
                network.terms += [t for t in terms if t not in network.terms]
                network.weight += weight
                network.acronym = network.acronym or acronym
                if "cooperant" not in network.roles:
                    network.roles.append("cooperant")
                continue
            map_id = f"{kind}:{row['id']}"
            entries[map_id] = Entry(map_id, kind, str(row["id"]), row.get("name") or str(row["id"]), acronym,
                                    terms, weight, [kind])
    found = list(entries.values())
    return Index(found, *_idf(found))


_CACHE: dict = {}
_LOCK = threading.Lock()


def search_index(store) -> Index:
    """Every searchable node of the store's current data (cached per store and data version)."""
    key = (id(store), store.version())
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    entries = _build(store)
    with _LOCK:
        _CACHE.clear()  # one data version at a time is enough
        _CACHE[key] = entries
    return entries


def rank(index: Index, query: str, *, limit: int = 20, kinds: set[str] | None = None) -> list[Hit]:
    q = fold(query)
    if not q:
        return []
    scored = []
    for entry in index.entries:
        if kinds and not (set(entry.roles) & kinds):
            continue
        best, matched = 0.0, ""
        for term in entry.terms:
            s = score(q, term)
            if s > best:
                best, matched = s, term
        if best < 78:
            s = bag_score(q, {w for term in entry.terms for w in term.split()}, index.idf, index.unknown_idf)
            if s > best:
                best, matched = s, " | ".join(entry.terms)
        if best > 0:
            scored.append((rank_key(best, entry), best, matched, entry))
    scored.sort(key=lambda x: x[0])
    if scored and scored[0][1] >= STRONG:  # a name matched: drop the hits only some words matched
        scored = [x for x in scored if x[1] >= 58]
    return [Hit(e.map_id, e.kind, e.key, e.name, e.acronym, list(e.roles), s, m) for _, s, m, e in scored[:limit]]


def search(store, query: str, *, limit: int = 20, kinds: set[str] | None = None) -> list[Hit]:
    """Nodes matching `query`, best first. `kinds` keeps only some kinds (a node matches by any of its roles)."""
    return rank(search_index(store), query, limit=limit, kinds=kinds)


@lru_cache(maxsize=1)
def rules_for_browser() -> dict:
    """The constants the maps' scorer needs, so both sides read them from here."""
    return {"stopwords": sorted(STOPWORDS), "kindRank": KIND_RANK, "fuzzyMin": FUZZY_MIN, "strong": STRONG}
