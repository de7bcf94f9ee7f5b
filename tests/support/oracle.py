"""The oracle of the consistency suite: the figures a user should see, computed with pandas from the
bundled report tables (data/report-2024/*.csv) and the curated files (data/curated/) only — it never
asks the store. Keys are ``(kind, id, figure)`` as in tests/support/consistency.py.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "data" / "report-2024"
CURATED = ROOT / "data" / "curated"
EVENT_WORDS = {"event", "declaration", "training", "commission"}  # docs/data.md: what an event is, restated by hand

Figures = dict[tuple[str, str, str], object]


def cents(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return " ".join(text.upper().replace(".", " ").split())


def oracle() -> Figures:
    out: Figures = {}
    aliases = pd.read_csv(CURATED / "org_aliases.csv", dtype=str)
    orgs = pd.read_csv(CURATED / "organisations.csv", dtype=str)
    org_of = {_norm(a): o for a, o in zip(aliases["alias"], aliases["org_id"])}
    org_of.update({_norm(n): o for n, o in zip(orgs["name"], orgs["org_id"])})
    entities = pd.read_csv(CURATED / "district_entities.csv", dtype=str).fillna("")
    entity_of = {}
    for row in entities.itertuples():
        for name in [row.name, *row.aliases.split("|"), *row.acronyms.split("|")]:
            if name:
                entity_of[_norm(name)] = row.entity_id
    sectors = pd.read_csv(CURATED / "sectors.csv", dtype=str)

    # Tabla 5: one row, one contribution
    t5 = pd.read_csv(REPORT / "tabla-5-aportes.csv")
    t5["cooperant_id"] = t5["cooperant"].map(lambda n: org_of.get(_norm(n)))
    t5["entity_id"] = t5["entity"].map(lambda n: entity_of.get(_norm(n)))
    assert t5["cooperant_id"].notna().all(), t5[t5["cooperant_id"].isna()]["cooperant"].tolist()
    assert t5["entity_id"].notna().all(), t5[t5["entity_id"].isna()]["entity"].tolist()
    t5["total_cents"] = t5["total_cop"].map(cents)
    t5["cooperant_cents"] = t5["cooperant_cop"].map(cents)
    out[("all", "", "contributions")] = len(t5)
    out[("all", "", "total_cents")] = int(t5["total_cents"].sum())
    out[("all", "", "cooperant_cents")] = int(t5["cooperant_cents"].sum())
    for kind, column in (("cooperant", "cooperant_id"), ("entity", "entity_id")):
        for key, group in t5.groupby(column):
            out[(kind, key, "contributions")] = len(group)
            out[(kind, key, "total_cents")] = int(group["total_cents"].sum())
    sector_of = {_norm(n): i for n, i in zip(sectors["name"], sectors["sector_id"])} if "sector_id" in sectors else {}
    for name, group in t5.groupby("sector"):
        if _norm(name) in sector_of:
            out[("sector", sector_of[_norm(name)], "contributions")] = len(group)
            out[("sector", sector_of[_norm(name)], "total_cents")] = int(group["total_cents"].sum())

    # Tablas 1-3: interactions as stated
    t1 = pd.read_csv(REPORT / "tabla-1-ods.csv")
    out[("all", "", "interactions")] = int(t1["interactions"].sum())
    for row in t1.itertuples():
        out[("sdg", str(row.sdg), "interactions")] = int(row.interactions)
    for row in pd.read_csv(REPORT / "tabla-2-cooperantes.csv").itertuples():
        key = org_of.get(_norm(row.name))
        if key:
            out[("cooperant", key, "interactions")] = out.get(("cooperant", key, "interactions"), 0) + int(row.interactions)
    for row in pd.read_csv(REPORT / "tabla-3-entidades.csv").itertuples():
        key = entity_of.get(_norm(row.name))
        if key:
            out[("entity", key, "interactions")] = out.get(("entity", key, "interactions"), 0) + int(row.interactions)

    # networks: curated engagements, the sections, the cooperant each network is
    networks = yaml.safe_load((CURATED / "networks.yaml").read_text())["networks"]
    engagements = yaml.safe_load((CURATED / "engagements.yaml").read_text())["engagements"]
    parent = {n["network_id"]: n.get("parent_network_id") for n in networks}
    for n in networks:
        nid, org = n["network_id"], n.get("org_id")
        mine = [e for e in engagements
                if e.get("network_id") == nid or parent.get(e.get("network_id")) == nid
                or (org and org in (e.get("organisations") or []))]
        out[("network", nid, "engagements")] = len(mine)
        out[("network", nid, "events")] = sum(1 for e in mine if e.get("kind") in EVENT_WORDS)
        for currency in ("USD", "EUR"):
            out[("network", nid, f"amount_{currency}")] = sum(
                cents(e["amount"]) for e in mine
                if e.get("amount") and e.get("currency") == currency and not e.get("counted_in"))
        if org:
            out[("cooperant", org, "group")] = "network"
        given = t5[t5["cooperant_id"] == org] if org else t5.iloc[0:0]
        out[("network", nid, "contributions")] = len(given)
        out[("network", nid, "channelled_cents")] = int(given["total_cents"].sum())
        # partners (docs/data.md): the district entities and other cooperants of its engagements, who pays its
        # fee, who joined it, and the entities its money went to
        membership = n.get("membership") or {}
        def ids(items, key):  # an item is an id, or {key: id, basis, method}
            return {x[key] if isinstance(x, dict) else x for x in items or []}

        entities = {x for e in mine for x in ids(e.get("district_entities"), "entity_id")} | set(given["entity_id"])
        entities |= {membership["fee_paid_by"]} - {None} | set(membership.get("member_entity_ids") or [])
        others = {x for e in mine for x in ids(e.get("organisations"), "org_id")} - {org}
        out[("network", nid, "partner_entities")] = len(entities)
        out[("network", nid, "partner_cooperants")] = len(others)
    for e in engagements:  # a project's or event's amount, in its own currency
        if e.get("amount") and e.get("currency"):
            out[("engagement", e["engagement_id"], f"amount_{e['currency']}")] = cents(e["amount"])
    objectives = pd.read_csv(CURATED / "contribution_objectives.csv", dtype={"pdd_objective": str})
    objectives["total_cents"] = objectives["total_cop"].map(cents)
    for number, group in objectives.groupby("pdd_objective"):
        out[("pdd-objective", str(number), "contributions")] = len(group)
        out[("pdd-objective", str(number), "total_cents")] = int(group["total_cents"].sum())
    _groupings(out, t5, orgs, org_of)
    for row in t1.itertuples():  # Tabla 1's money per ODS (each contribution's ODS is inferred from it)
        if cents(row.total_cop):
            out[("sdg", str(row.sdg), "total_cents")] = cents(row.total_cop)
    network_orgs = {n.get("org_id") for n in networks}
    for row in orgs.itertuples():
        if row.org_id not in network_orgs:
            out[("cooperant", row.org_id, "group")] = f"iati:{int(float(row.iati_type)) if row.iati_type == row.iati_type else 0}"
    return out


# Each country's continent written by hand (GeoNames' continents as UN M.49 codes: 003 North America with
# Central America and the Caribbean, 005 South America, 150 Europe, 142 Asia, 002 Africa, 009 Oceania),
# for the countries of data/curated/organisations.csv: the groupings by region are held to it.
CONTINENT = {**dict.fromkeys("US MX CA SV DO CR PR CU PA".split(), "003"),
             **dict.fromkeys("CO BR AR CL PE EC UY VE".split(), "005"),
             **dict.fromkeys("ES FR GB DE DK CH SE FI IE IT NL PT GR LU HU PL NO".split(), "150"),
             **dict.fromkeys("KR CN TR JP SG VN AE IN TH".split(), "142"),
             **dict.fromkeys("ZA CI".split(), "002"), "NZ": "009"}


def _groupings(out: Figures, t5, orgs, org_of) -> None:
    """Money (Tabla 5) and interactions (Tabla 2) by the cooperant's country, region, kind and IATI type."""
    orgs = orgs.fillna("").set_index("org_id")
    t2 = pd.read_csv(REPORT / "tabla-2-cooperantes.csv")
    t2["cooperant_id"] = t2["name"].map(lambda n: org_of.get(_norm(n)))
    interactions = t2.groupby("cooperant_id")["interactions"].sum().to_dict()
    for org, group in t5.groupby("cooperant_id"):  # a cooperant no table reports: its contributions' interactions
        interactions.setdefault(org, len(group))
    money = t5.groupby("cooperant_id")["total_cents"].sum().to_dict()

    def keys(org: str) -> dict[str, str]:
        row = orgs.loc[org]
        country = row["country"].upper()
        return {"country": country or "international",
                "region": CONTINENT.get(country, "unknown") if country else "international",
                "cooperant-kind": row["kind"] or "no-kind",
                "iati-type": str(int(float(row["iati_type"]))) if row["iati_type"] else "no-iati"}

    for figure, values in (("interactions", interactions), ("total_cents", money)):
        for org, value in values.items():
            for dimension, key in keys(org).items():
                out[(dimension, key, figure)] = out.get((dimension, key, figure), 0) + int(value)


def engaged() -> dict[str, set[str]]:
    """Who already works with whom, from the bundled files alone (docs/prospecting.md, "Engaged"): for every
    entity, cooperant and network target (``entity:sda``…), the graph ids it must never be proposed."""
    aliases = pd.read_csv(CURATED / "org_aliases.csv", dtype=str)
    orgs = pd.read_csv(CURATED / "organisations.csv", dtype=str)
    org_of = {_norm(a): o for a, o in zip(aliases["alias"], aliases["org_id"])}
    org_of.update({_norm(n): o for n, o in zip(orgs["name"], orgs["org_id"])})
    entity_of = {}
    for row in pd.read_csv(CURATED / "district_entities.csv", dtype=str).fillna("").itertuples():
        for name in [row.name, *row.aliases.split("|"), *row.acronyms.split("|")]:
            if name:
                entity_of[_norm(name)] = row.entity_id
    t5 = pd.read_csv(REPORT / "tabla-5-aportes.csv")
    funding = {(org_of[_norm(c)], entity_of[_norm(e)]) for c, e in zip(t5["cooperant"], t5["entity"])}
    networks = yaml.safe_load((CURATED / "networks.yaml").read_text())["networks"]
    engagements = yaml.safe_load((CURATED / "engagements.yaml").read_text())["engagements"]

    def ids(items, key):
        return {x[key] if isinstance(x, dict) else x for x in items or []}

    out: dict[str, set[str]] = {}
    for cooperant, entity in funding:
        out.setdefault(f"entity:{entity}", set()).add(f"cooperant:{cooperant}")
        out.setdefault(f"cooperant:{cooperant}", set()).add(f"entity:{entity}")
    for e in engagements:
        entities, cooperants = ids(e.get("district_entities"), "entity_id"), ids(e.get("organisations"), "org_id")
        for entity in entities:
            out.setdefault(f"entity:{entity}", set()).update(f"cooperant:{c}" for c in cooperants)
        for c in cooperants:
            out.setdefault(f"cooperant:{c}", set()).update(f"entity:{x}" for x in entities)
    for n in networks:
        nid, org = n["network_id"], n.get("org_id")
        membership = n.get("membership") or {}
        mine = [e for e in engagements if e.get("network_id") == nid]
        entities = {x for e in mine for x in ids(e.get("district_entities"), "entity_id")}
        entities |= {membership.get("fee_paid_by")} - {None} | set(membership.get("member_entity_ids") or [])
        target = out.setdefault(f"network:{nid}", set())
        target.update(f"cooperant:{c}" for e in mine for c in ids(e.get("organisations"), "org_id"))
        if org:
            target.add(f"cooperant:{org}")
            out.setdefault(f"cooperant:{org}", set()).update(f"entity:{x}" for x in entities)
            for entity in entities:  # an entity working with the network works with the cooperant it is
                out.setdefault(f"entity:{entity}", set()).add(f"cooperant:{org}")
    return out
