"""Profiles ("fichas"): everything the store knows about one organisation, project, ODS or PDD
objective, as language-neutral data that pages, the API, CSV and XLSX all render.

    profile = build_profile(store, "entity", "sda")
    profile.headline          # money received/given, cooperant and counterpart, interactions
    profile.sections          # partners, ODS mix, PDD mix, networks, engagements, people, events…

A profile is a headline and a list of sections. Sections come from the builders in `SECTIONS`
(a list of functions `(ProfileContext) -> Section | None`); add one with `register_section`, and
every page, download and API answer shows it.

Money is COP centavos (contributions in other currencies are counted, not summed). Each headline
fact says its basis: "stated" (a figure the report writes), "derived" (coopgraph added report rows
up, or read an absence from a complete table), or "unknown" (nothing reported: "sin dato").
"""
from __future__ import annotations

from coopgraph.analysis.profile_model import (KIND_ALIASES, KINDS, SECTIONS, Fact, Profile, ProfileContext,  # noqa: F401
                                              ProfileNotFound, Section, key_of, normalise_kind, register_section)
from coopgraph.graph.readmodel import engagement_money, engagements_of, read_model
from coopgraph.loaders import history

__all__ = ["KINDS", "Fact", "Section", "Profile", "ProfileContext", "ProfileNotFound", "SECTIONS",
           "build_profile", "normalise_kind", "register_section"]

# -- reading ---------------------------------------------------------------------------------
CONTRIBUTION_LINKS = {  # dimension -> Cypher returning c.id AS c, and the other end's id and name
    "cooperant": "MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution) WHERE c.id IN $ids RETURN c.id AS c, o.id AS id, o.name AS name",
    "entity": "MATCH (e:DistrictEntity)-[:RECEIVED]->(c:Contribution) WHERE c.id IN $ids RETURN c.id AS c, e.id AS id, e.name AS name",
    "sdg": "MATCH (c:Contribution)-[:ADVANCES]->(g:SDG) WHERE c.id IN $ids RETURN c.id AS c, g.number AS id, g.name AS name",
    "pdd": "MATCH (c:Contribution)-[:SERVES]->(p:PDDObjective) WHERE c.id IN $ids RETURN c.id AS c, p.id AS id, p.name AS name",
    "network": "MATCH (c:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) WHERE c.id IN $ids RETURN c.id AS c, n.id AS id, n.name AS name",
    "sector": "MATCH (c:Contribution)-[:IN_SECTOR]->(s:Sector) WHERE c.id IN $ids RETURN c.id AS c, s.id AS id, s.name AS name",
    "source": ("MATCH (c:Contribution)-[r:SOURCED_FROM]->(s:Source) WHERE c.id IN $ids "
               "RETURN c.id AS c, s.id AS id, s.title AS name, r.locator AS locator"),
}
CONTRIBUTION_FIELDS = ("c.id AS id, c.year AS year, c.monetary AS monetary, c.interactions AS interactions, "
                       "c.currency AS currency, c.cooperant_cents AS cooperant_cents, "
                       "c.counterpart_cents AS counterpart_cents, c.total_cents AS total_cents")
MONETARY_YEARS = "MATCH (c:Contribution) WHERE c.monetary RETURN DISTINCT c.year AS year"


def _contributions(store, kind: str, key, cooperant_ids: list[str]) -> list[dict]:
    spec = KINDS[kind]
    found: dict[str, dict] = {}
    if spec.contributions:
        for row in store.read(f"MATCH {spec.contributions} WHERE n.{spec.key} = $key RETURN {CONTRIBUTION_FIELDS}",
                              {"key": key}):
            found[row["id"]] = row
    if kind == "network":  # what the network gave as a cooperant counts once
        for row in store.read(f"MATCH (o:Cooperant)-[:PROVIDED]->(c:Contribution) WHERE o.id IN $ids "
                              f"RETURN {CONTRIBUTION_FIELDS}", {"ids": cooperant_ids}):
            found.setdefault(row["id"], row)
    rows = [found[k] for k in sorted(found)]
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        for dim in CONTRIBUTION_LINKS:
            r[dim] = []
    for dim, cypher in CONTRIBUTION_LINKS.items():
        for link in store.read(cypher, {"ids": ids}):
            by_id[link["c"]][dim].append(link)
    return rows


def build_profile(store, kind: str, raw_id: str) -> Profile:
    """The profile of one node. Raises `ProfileNotFound` for an unknown kind or id."""
    kind = normalise_kind(kind)
    spec = KINDS[kind]
    key = key_of(kind, raw_id)
    found = store.read(f"MATCH (n:{spec.label}) WHERE n.{spec.key} = $key RETURN n", {"key": key})
    if not found:
        raise ProfileNotFound(f"no {kind} with id {raw_id!r}", kind=kind, id=str(raw_id))
    node = found[0]["n"]
    cooperant_ids: list[str] = []
    roles = [kind]
    if kind == "cooperant":
        cooperant_ids = [node["id"]]
        if store.read("MATCH (n:CityNetwork)-[:SAME_AS]->(o:Cooperant {id: $key}) RETURN n.id AS id", {"key": key}):
            roles.append("network")
    elif kind == "network":
        cooperant_ids = [r["id"] for r in store.read(
            "MATCH (n:CityNetwork {id: $key})-[:SAME_AS]->(o:Cooperant) RETURN o.id AS id", {"key": key})]
        if cooperant_ids:
            roles.append("cooperant")
    context = ProfileContext(store, kind, key, node, _contributions(store, kind, key, cooperant_ids), cooperant_ids)
    acronym = node.get("acronym") or ((node.get("acronyms") or [None])[0])
    name = node.get("name") or str(key)
    sections = [s for s in (builder(context) for builder in SECTIONS) if s is not None and s.rows]
    return Profile(kind=kind, id=str(key), name=name, acronym=acronym, details=_details(context),
                   headline=_headline(context), sections=sections, roles=roles, data=history.stamp(store))


# -- headline --------------------------------------------------------------------------------
def _reported(context: ProfileContext) -> list[dict]:
    """Interactions the report's tables state for this node (or its cooperant side), per year."""
    spec = KINDS[context.kind]
    rows = []
    if context.kind in ("entity", "sdg", "cooperant"):
        rows = context.read(f"MATCH (n:{spec.label})-[r:REPORTED]->(s:Source) WHERE n.{spec.key} = $key "
                            "RETURN r.year AS year, r.interactions AS interactions, s.title AS title, r.locator AS locator")
    elif context.kind == "sector":  # what Tabla 3 reports for the sector's entities, added up
        rows = context.read("MATCH (e:DistrictEntity)-[:BELONGS_TO]->(n:Sector {id: $key}), (e)-[r:REPORTED]->(s:Source) "
                            "RETURN r.year AS year, r.interactions AS interactions, s.title AS title, r.locator AS locator")
    elif context.cooperant_ids:
        rows = context.read("MATCH (n:Cooperant)-[r:REPORTED]->(s:Source) WHERE n.id IN $ids "
                            "RETURN r.year AS year, r.interactions AS interactions, s.title AS title, r.locator AS locator",
                            ids=context.cooperant_ids)
    return sorted(rows, key=lambda r: (r["year"] or 0, r["title"] or ""))


def _cite(title: str | None, locator: str | None) -> str:
    short = (title or "").split(".")[0] if (title or "").startswith("Tabla") else (title or "")
    return f"{short} · {locator}" if locator else short


def _headline(context: ProfileContext) -> list[Fact]:
    facts: list[Fact] = []
    if context.kind == "engagement":
        node = context.node
        if node.get("amount_cents"):
            facts.append(Fact("amount", int(node["amount_cents"]), "money", "stated", note=node.get("currency") or ""))
        else:
            facts.append(Fact("amount", None, "money", "unknown", note=node.get("amount_note") or ""))
        return facts
    cop = [c for c in context.contributions if c["currency"] == "COP"]
    monetary = [c for c in context.contributions if c["monetary"]]
    reported = _reported(context)
    monetary_years = {r["year"] for r in context.store.read(MONETARY_YEARS)}
    known_years = {r["year"] for r in reported if r["year"] is not None} | {c["year"] for c in context.contributions}
    sources = sorted({_cite(s["name"], s.get("locator")) for c in monetary for s in c["source"]})
    money_key = {"entity": "received", "cooperant": "given", "network": "channelled", "sector": "received"}.get(
        context.kind, "money")
    if monetary:
        total = sum(c["total_cents"] or 0 for c in cop if c["monetary"])
        basis = "stated" if len(monetary) == 1 else "derived"
        facts.append(Fact(money_key, total, "cop_cents", basis, note=f"rows:{len(monetary)}", sources=sources))
        facts.append(Fact("cooperant_cents", sum(c["cooperant_cents"] or 0 for c in cop if c["monetary"]),
                          "cop_cents", basis, sources=sources))
        facts.append(Fact("counterpart_cents", sum(c["counterpart_cents"] or 0 for c in cop if c["monetary"]),
                          "cop_cents", basis, sources=sources))
        other = sum(1 for c in monetary if c["currency"] != "COP")
        if other:
            facts.append(Fact("other_currency", other, "count", "stated"))
    else:
        zero_years = sorted(y for y in known_years if y in monetary_years)
        if zero_years:  # reported that year, absent from that year's complete table of monetary contributions
            facts.append(Fact(money_key, 0, "cop_cents", "derived", note="no_monetary:" + ",".join(map(str, zero_years)),
                              sources=[_cite(r["title"], r["locator"]) for r in reported]))
        else:
            facts.append(Fact(money_key, None, "cop_cents", "unknown"))
    facts += _stated_amounts(context)
    facts.append(Fact("contributions", len(monetary), "count", "derived" if monetary else "unknown" if not known_years else "derived"))
    if reported:
        facts.append(Fact("interactions", sum(int(r["interactions"] or 0) for r in reported), "count",
                          "stated" if len(reported) == 1 else "derived",
                          sources=[_cite(r["title"], r["locator"]) for r in reported]))
    elif context.contributions:
        facts.append(Fact("interactions", sum(int(c["interactions"] or 0) for c in context.contributions), "count",
                          "derived", sources=sorted({_cite(s["name"], s.get("locator")) for c in context.contributions
                                                      for s in c["source"]})))
    else:
        facts.append(Fact("interactions", None, "count", "unknown"))
    return facts


ENGAGEMENT_SOURCES = ("MATCH (e:Engagement)-[r:SOURCED_FROM]->(s:Source) WHERE e.id IN $ids AND e.amount_cents IS NOT NULL "
                      "AND e.currency = $currency RETURN DISTINCT s.title AS title, r.locator AS locator")


def _stated_amounts(context: ProfileContext) -> list[Fact]:
    """The money of its projects in the currencies the report states (readmodel.stated_amounts), each with its
    COP value; for a network, then all its cooperation in COP (channelled money plus that value)."""
    if context.kind not in ("network", "cooperant", "entity"):
        return []
    engagement_ids = engagements_of(context.store, context.kind, context.node["id"], context.cooperant_ids)
    facts = []
    for a in engagement_money(context.store, engagement_ids):
        sources = sorted({_cite(r["title"], r["locator"]) for r in context.read(
            ENGAGEMENT_SOURCES, ids=engagement_ids, currency=a["currency"])})
        facts.append(Fact(f"stated_amount_{context.kind}", a["amount_cents"], "money", "stated" if a["engagements"] == 1
                          else "derived", note=a["currency"], sources=sources, cop_cents=a["cop_cents"], rates=a["rates"]))
    if context.kind == "network" and facts:
        total = read_model(context.store).networks[context.node["id"]].all_cooperation_cents
        facts.append(Fact("all_cooperation", total, "cop_cents", "derived" if total is not None else "unknown"))
    return facts


def _details(context: ProfileContext) -> dict:
    node, kind = context.node, context.kind
    out: dict = {}
    if kind == "entity":
        sector = context.read("MATCH (e:DistrictEntity {id: $key})-[:BELONGS_TO]->(s:Sector) RETURN s.name AS name")
        parent = context.read("MATCH (e:DistrictEntity {id: $key})-[:PART_OF_ENTITY]->(p:DistrictEntity) RETURN p.name AS name")
        out = {"sector": sector[0]["name"] if sector else None, "part_of": parent[0]["name"] if parent else None,
               "acronyms": ", ".join(node.get("acronyms") or []) or None}
    elif kind == "cooperant":
        out = {"iati_type": node.get("iati_type"), "iati_type_name": node.get("iati_type_name"),
               "cooperant_kind": node.get("kind"), "country": node.get("country")}
    elif kind == "network":
        out = {k: node.get(k) for k in ("kind", "founded", "member_since", "membership_act", "members_desc")}
        out["roles"] = "; ".join(node.get("roles") or []) or None
    elif kind == "engagement":
        out = {k: node.get(k) for k in ("kind", "start_date", "end_date", "currency", "amount_note", "description")}
    elif kind == "sector":
        out = {"name_en": node.get("name_en")}
    elif kind in ("sdg", "pdd-objective"):
        out = {"number": node.get("number"), "name_en": node.get("name_en"), "headline": node.get("headline"),
               "description": node.get("description")}
    return {k: v for k, v in out.items() if v not in (None, "")}


from coopgraph.analysis import profile_sections  # noqa: E402,F401  (money, partners, networks, projects, events)
from coopgraph.analysis import profile_people  # noqa: E402,F401  (participants, people, year by year)
from coopgraph.analysis import profile_sources  # noqa: E402,F401  (registers the sources section, last)
from coopgraph.analysis import profile_prospects  # noqa: E402,F401  (registers its section, before the sources)
from coopgraph.analysis import profile_groupings  # noqa: E402,F401  (concentration and the cooperants' mix)
