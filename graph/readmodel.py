"""The read model: the figures a user sees, each defined once, read from one projection of the store.

Every surface (fichas, named queries, maps, Sankey, summary, exports) shows these figures; the
definitions below are the only ones (docs/data.md, "The figures, each defined once", says them in
words, and tests/analysis/test_consistency.py holds every surface to them):

* **engagement** — a project, programme, study, fund, event… (an `Engagement` node). A city
  network's engagements are those held under it or under one of its sections (`UNDER_NETWORK`,
  `SECTION_OF`), and those its cooperant identity (`SAME_AS`) took part in (`TOOK_PART_IN`);
  each counts once.
* **event** — an engagement whose kind is in `EVENT_KINDS`; the other engagements are *projects*.
* **contribution** — one monetary contribution (a `Contribution` with ``monetary``: a row of the
  report's Tabla 5 or a monetary row of a loaded file), whatever its parts: one whose cooperant part
  is zero (all counterpart) is still one contribution. Interactions are counted separately.
* **channelled money** (a network) — the report COP (``total_cents``) of the contributions made
  through the network (`THROUGH_NETWORK`) or given by its cooperant identity, each counted once;
  beside it, its engagements' amounts in their original currencies, leaving out an amount that
  sits inside another engagement's (``counted_in``).
* **stated amounts** — the money of a set of engagements in the currencies the report states it in
  (`stated_amounts`): per currency the amount, its COP value at the rate written on each engagement,
  and those rates; an amount inside another's (``counted_in``) left out. A network's are its
  engagements'; a cooperant's or an entity's, the engagements it took part in (money it worked on,
  not money it gave).
* **all cooperation** (a network) — its channelled money plus the COP value of its stated amounts.
* **partner** — every organisation on the other side (`partners`): a district entity for a cooperant
  or a network, a cooperant for an entity (and a network's other cooperants), linked by money (a
  contribution), by a project or an event both took part in (for a network: one of its engagements),
  by paying a network's fee or by joining it in its own name. Each partner says how
  (``PARTNER_LINKS``), with how many projects and events.
* **cooperant group** — how the surfaces that group cooperants by type (maps, Sankey) place one: a
  cooperant that is a city network (`SAME_AS`) is a city network (``network``), whatever its IATI
  code (C40, Metrópolis and CIDEU carry IATI 21, "ONG internacional"); any other by its IATI type
  (``iati:21``). The IATI code itself stays as stated, and `contributions_by_org_type` groups by it.
* **channelling cooperant** (of an engagement's amount) — the cooperant a city network is (`SAME_AS`),
  for the engagements held under that network, or under a section of it (`SECTION_OF`, up to the first
  network that is a cooperant); an engagement under no such network has none. It is where the
  groupings of money by cooperant (coopgraph.analysis.breakdowns) put the amounts of engagements stated
  in other currencies (C40's US$ 1.565.000), beside the contributions.
* **unlinked cooperant** — a cooperant with no contribution, no engagement, no network identity
  and no role in a network (`UNLINKED_RELATIONS`): the report only says how many interactions it
  had (Tabla 2).

The projection is read once per data version (`store.version()`) and shared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EVENT_KINDS", "cooperant_group", "UNLINKED_RELATIONS", "ReadModel", "NetworkFigures", "read_model", "node_id",
           "split_id", "is_event", "network_engagement_ids", "channelling_cooperant", "stated_amounts", "engagements_of",
           "partners", "PARTNER_LINKS"]

EVENT_KINDS = frozenset({"event", "declaration", "training", "commission"})  # the rest are projects, programmes, studies, funds
UNLINKED_RELATIONS = ("PROVIDED", "TOOK_PART_IN", "SAME_AS", "HOLDS_ROLE", "MEMBER_OF")


def node_id(kind: str, raw) -> str:
    """The graph id of a store node (maps, exports, analytics).

    >>> node_id("sdg", 13)
    'sdg:13'
    """
    return f"{kind}:{raw}"


def split_id(graph_id: str) -> tuple[str, str]:
    """``"entity:sdm"`` → ``("entity", "sdm")``.

    >>> split_id("entity:sdm")
    ('entity', 'sdm')
    """
    kind, _, raw = graph_id.partition(":")
    return kind, raw


def is_event(kind: str | None) -> bool:
    return (kind or "") in EVENT_KINDS


# A network's engagements, in Cypher: the named queries spell the same test (cypher/queries.yaml).
NETWORK_ENGAGEMENTS = """
MATCH (n:CityNetwork), (e:Engagement)
WHERE EXISTS { MATCH (e)-[:UNDER_NETWORK]->(n) }
   OR EXISTS { MATCH (e)-[:UNDER_NETWORK]->(:CityNetwork)-[:SECTION_OF]->(n) }
   OR EXISTS { MATCH (n)-[:SAME_AS]->(:Cooperant)-[:TOOK_PART_IN]->(e) }
RETURN n.id AS network, e.id AS id, e.kind AS kind, e.currency AS currency, e.amount_cents AS amount_cents,
       e.counted_in AS counted_in, e.cop_cents AS cop_cents, e.rate AS rate, e.rate_date AS rate_date,
       e.rate_basis AS rate_basis
"""
NETWORK_CONTRIBUTIONS = """
MATCH (n:CityNetwork), (c:Contribution)
WHERE c.monetary AND (EXISTS { MATCH (c)-[:THROUGH_NETWORK]->(n) }
                      OR EXISTS { MATCH (n)-[:SAME_AS]->(:Cooperant)-[:PROVIDED]->(c) })
RETURN n.id AS network, c.id AS id, c.currency AS currency, c.total_cents AS total_cents
"""
COOPERANTS = "MATCH (o:Cooperant) RETURN o.id AS id"
LINKED_COOPERANTS = ("MATCH (o:Cooperant)-[:" + "|".join(UNLINKED_RELATIONS) + "]-() RETURN DISTINCT o.id AS id")
NETWORK_COOPERANTS = "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) RETURN n.id AS network, o.id AS id"
NETWORK_PARENTS = "MATCH (n:CityNetwork)-[:SECTION_OF]->(p:CityNetwork) RETURN n.id AS network, p.id AS parent"
CONTRIBUTIONS = "MATCH (c:Contribution) WHERE c.monetary RETURN c.id AS id, c.currency AS currency"


@dataclass
class NetworkFigures:
    engagements: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    money: list[dict] = field(default_factory=list)              # its engagements with an amount (stated_amounts)
    contributions: set[str] = field(default_factory=set)
    channelled_cents: int = 0                                     # report COP of those contributions

    @property
    def projects(self) -> set[str]:
        return self.engagements - self.events

    @property
    def amounts(self) -> dict[str, int]:
        """currency -> cents of its engagements, counted_in left out."""
        return {a["currency"]: a["amount_cents"] for a in stated_amounts(self.money)}

    @property
    def all_cooperation_cents(self) -> int | None:
        """Channelled COP plus the COP value of its stated amounts; None when one has no rate."""
        converted = [a["cop_cents"] for a in stated_amounts(self.money) if a["currency"] != "COP"]
        if any(c is None for c in converted):
            return None
        return self.channelled_cents + sum(converted) + self.amounts.get("COP", 0)


@dataclass
class ReadModel:
    version: object
    networks: dict[str, NetworkFigures]
    cooperants: set[str]
    unlinked_cooperants: set[str]
    network_cooperants: set[str]        # cooperants that are city networks (SAME_AS)
    contributions: int                  # monetary contributions, every currency
    other_currency_contributions: int   # of which not in COP (counted, never added to the COP sums)
    network_identity: dict[str, str] = field(default_factory=dict)  # network -> the cooperant it is (SAME_AS)
    network_parent: dict[str, str] = field(default_factory=dict)    # section -> the network it is a section of


def network_engagement_ids(store, network_id: str) -> set[str]:
    """The engagement ids of one network (the definition above)."""
    return set(read_model(store).networks.get(network_id, NetworkFigures()).engagements)


def _build(store) -> ReadModel:
    networks: dict[str, NetworkFigures] = {r["id"]: NetworkFigures()
                                           for r in store.read("MATCH (n:CityNetwork) RETURN n.id AS id", {})}
    for r in store.read(NETWORK_ENGAGEMENTS, {}):
        figures = networks.setdefault(r["network"], NetworkFigures())
        if r["id"] in figures.engagements:
            continue
        figures.engagements.add(r["id"])
        if is_event(r["kind"]):
            figures.events.add(r["id"])
        if r["amount_cents"] and r["currency"]:
            figures.money.append(r)
    for r in store.read(NETWORK_CONTRIBUTIONS, {}):
        figures = networks.setdefault(r["network"], NetworkFigures())
        if r["id"] not in figures.contributions:
            figures.contributions.add(r["id"])
            if r["currency"] == "COP":
                figures.channelled_cents += int(r["total_cents"] or 0)
    cooperants = {r["id"] for r in store.read(COOPERANTS, {})}
    linked = {r["id"] for r in store.read(LINKED_COOPERANTS, {})}
    contributions = store.read(CONTRIBUTIONS, {})
    identities = sorted((r["network"], r["id"]) for r in store.read(NETWORK_COOPERANTS, {}))
    network_cooperants = {cooperant for _, cooperant in identities}
    return ReadModel(store.version(), networks, cooperants, cooperants - linked, network_cooperants, len(contributions),
                     sum(1 for c in contributions if c["currency"] != "COP"),
                     network_identity=dict(identities),  # one per network; sorted so a second one never flips it
                     network_parent={r["network"]: r["parent"] for r in store.read(NETWORK_PARENTS, {})})


def channelling_cooperant(model: ReadModel, network_id: str | None) -> str | None:
    """The cooperant that channels the amounts of engagements under `network_id` (definition above), or None.

    >>> m = ReadModel(0, {}, set(), set(), {"c40"}, 0, 0, {"c40": "c40"}, {"c40-cbca": "c40"})
    >>> channelling_cooperant(m, "c40-cbca"), channelling_cooperant(m, "mccs"), channelling_cooperant(m, None)
    ('c40', None, None)
    """
    seen = set()
    while network_id and network_id not in seen:
        seen.add(network_id)
        if network_id in model.network_identity:
            return model.network_identity[network_id]
        network_id = model.network_parent.get(network_id)
    return None


def cooperant_group(model: ReadModel, cooperant_id: str | None, iati_type: int | None) -> str:
    """``"network"`` for a cooperant that is a city network, else ``"iati:<code>"`` (``"iati:0"``: no type).

    >>> cooperant_group(ReadModel(0, {}, set(), set(), {"c40"}, 0, 0), "c40", 21)
    'network'
    """
    if cooperant_id in model.network_cooperants:
        return "network"
    return f"iati:{int(iati_type or 0)}"


_CACHE: dict[int, ReadModel] = {}


def read_model(store) -> ReadModel:
    """The projection of `store` at its current data version, built once and shared."""
    cached = _CACHE.get(id(store))
    version = store.version()
    if cached is None or cached.version != version:
        cached = _CACHE[id(store)] = _build(store)
    return cached


# -- money in the currencies the report states -----------------------------------------------------------
ENGAGEMENT_MONEY = """
MATCH (e:Engagement) WHERE e.id IN $ids AND e.amount_cents IS NOT NULL AND e.currency IS NOT NULL
RETURN e.id AS id, e.currency AS currency, e.amount_cents AS amount_cents, e.counted_in AS counted_in,
       e.cop_cents AS cop_cents, e.rate AS rate, e.rate_date AS rate_date, e.rate_basis AS rate_basis
"""


def stated_amounts(engagements: list[dict]) -> list[dict]:
    """Engagement rows (id, currency, amount_cents, counted_in, cop_cents, rate, rate_date, rate_basis) summed
    per currency: ``{currency, amount_cents, cop_cents, engagements, rates}``, counted_in left out; ``cop_cents``
    is None when one of them has no rate (COP amounts are their own value).

    >>> stated_amounts([{"id": "a", "currency": "USD", "amount_cents": 100, "counted_in": None, "cop_cents": 400,
    ...                  "rate": "4", "rate_date": "2024", "rate_basis": "period-average"}])[0]["cop_cents"]
    400
    """
    out: dict[str, dict] = {}
    seen = set()
    for e in engagements:
        if not e.get("amount_cents") or not e.get("currency") or e.get("counted_in") or e["id"] in seen:
            continue
        seen.add(e["id"])
        item = out.setdefault(e["currency"], {"currency": e["currency"], "amount_cents": 0, "cop_cents": 0,
                                              "engagements": 0, "rates": []})
        item["amount_cents"] += int(e["amount_cents"])
        item["engagements"] += 1
        cop = int(e["amount_cents"]) if e["currency"] == "COP" else e.get("cop_cents")
        item["cop_cents"] = None if cop is None or item["cop_cents"] is None else item["cop_cents"] + int(cop)
        rate = {"rate": e.get("rate"), "rate_date": e.get("rate_date"), "rate_basis": e.get("rate_basis")}
        if e["currency"] != "COP" and rate["rate"] and rate not in item["rates"]:
            item["rates"].append(rate)
    return [out[c] for c in sorted(out, key=lambda c: (c != "COP", c))]


ENGAGED = {  # who took part in an engagement, by label
    "DistrictEntity": "MATCH (x:DistrictEntity)-[:TOOK_PART_IN]->(e:Engagement) WHERE {where} "
                      "RETURN x.id AS id, x.name AS name, e.id AS engagement, e.kind AS kind",
    "Cooperant": "MATCH (x:Cooperant)-[:TOOK_PART_IN]->(e:Engagement) WHERE {where} "
                 "RETURN x.id AS id, x.name AS name, e.id AS engagement, e.kind AS kind",
}


def engagements_of(store, kind: str, key: str, cooperant_ids: list[str] = ()) -> list[str]:
    """The engagement ids a node works in: a network's (the definition above), an entity's or a cooperant's
    (its own, and its network's when it is one)."""
    if kind == "network":
        return sorted(read_model(store).networks.get(key, NetworkFigures()).engagements)
    label = {"entity": "DistrictEntity", "cooperant": "Cooperant"}.get(kind)
    if not label:
        return []
    ids = list(cooperant_ids) or [key]
    found = {r["engagement"] for r in store.read(ENGAGED[label].format(where="x.id IN $ids"), {"ids": ids})}
    if kind == "cooperant":
        model = read_model(store)
        for network in store.read("MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant) WHERE o.id IN $ids "
                                  "RETURN n.id AS id", {"ids": ids}):
            found |= model.networks.get(network["id"], NetworkFigures()).engagements
    return sorted(found)


def engagement_money(store, engagement_ids: list[str]) -> list[dict]:
    """`stated_amounts` of these engagements, read from the store."""
    return stated_amounts(store.read(ENGAGEMENT_MONEY, {"ids": list(engagement_ids)})) if engagement_ids else []


PARTNER_LINKS = ("money", "project", "event", "fee", "member")  # how a partner is linked, strongest first
_FEE = {"network": "MATCH (n:CityNetwork {id: $key})-[:FEE_PAID_BY]->(x:DistrictEntity) RETURN x.id AS id, x.name AS name",
        "cooperant": "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant), (n)-[:FEE_PAID_BY]->(x:DistrictEntity) "
                     "WHERE o.id IN $ids RETURN x.id AS id, x.name AS name"}
_MEMBER = {"network": "MATCH (x:DistrictEntity)-[:MEMBER_OF]->(n:CityNetwork {id: $key}) RETURN x.id AS id, x.name AS name",
           "cooperant": "MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant), (x:DistrictEntity)-[:MEMBER_OF]->(n) "
                        "WHERE o.id IN $ids RETURN x.id AS id, x.name AS name"}


def partners(store, kind: str, key: str, *, money: dict[str, tuple[str, str]], cooperant_ids: list[str] = ()) -> list[dict]:
    """Every partner of one node (the definition above): ``{kind, id, name, links, projects, events}``.

    `money` names the partners on the other side of its contributions (``id -> (kind, name)``), which the
    caller has read with the contributions themselves."""
    found: dict[tuple[str, str], dict] = {}

    def add(other_kind, other_id, name, link, engagement=None, engagement_kind=None):
        if other_kind == "cooperant" and other_id in cooperant_ids:
            return  # itself, as a cooperant
        p = found.setdefault((other_kind, other_id), {"kind": other_kind, "id": other_id, "name": name, "links": [],
                                                      "projects": set(), "events": set()})
        if engagement:
            (p["events"] if is_event(engagement_kind) else p["projects"]).add(engagement)
            link = "event" if is_event(engagement_kind) else "project"
        if link not in p["links"]:
            p["links"].append(link)

    for other_id, (other_kind, name) in money.items():
        add(other_kind, other_id, name, "money")
    engagement_ids = engagements_of(store, kind, key, cooperant_ids)
    if kind in ("entity", "cooperant", "network") and engagement_ids:
        others = {"entity": [("Cooperant", "cooperant")], "cooperant": [("DistrictEntity", "entity")],
                  "network": [("DistrictEntity", "entity"), ("Cooperant", "cooperant")]}[kind]
        for label, other_kind in others:
            for r in store.read(ENGAGED[label].format(where="e.id IN $ids"), {"ids": engagement_ids}):
                add(other_kind, r["id"], r["name"], None, r["engagement"], r["kind"])
    if kind in _FEE:
        params = {"key": key, "ids": list(cooperant_ids)}
        for r in store.read(_FEE[kind], params):
            add("entity", r["id"], r["name"], "fee")
        for r in store.read(_MEMBER[kind], params):
            add("entity", r["id"], r["name"], "member")
    out = []
    for p in found.values():
        p["links"].sort(key=PARTNER_LINKS.index)
        out.append({**p, "projects": len(p["projects"]), "events": len(p["events"])})
    return out
