"""The figures a user sees, as each surface shows them, and an oracle computed from the bundled files.

A surface declares the figures it shows: a function `(store) -> {(kind, id, figure): value}`
registered in `SURFACES`. tests/test_consistency.py compares every surface with the oracle and with
each other wherever two show the same key. Money is COP centavos (report COP) unless the figure
names a currency (``amount_USD``…: cents in that currency, amounts inside another's left out).

The oracle reads data/report-2024/*.csv and data/curated/* with pandas only: it never asks the store.
"""
from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "report-2024"
CURATED = ROOT / "data" / "curated"
EVENT_WORDS = {"event", "declaration", "training", "commission"}  # docs/data.md: what an event is, restated by hand

Figures = dict[tuple[str, str, str], object]
SURFACES: dict[str, Callable] = {}
NEO4J_SURFACES: set[str] = set()  # the surfaces that run on the live Neo4j too (the rest are store-agnostic reads)


def surface(name: str, *, neo4j: bool = True):
    def register(fn):
        SURFACES[name] = fn
        if neo4j:
            NEO4J_SURFACES.add(name)
        return fn
    return register


def cents(value) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


# -- the oracle ---------------------------------------------------------------------------------
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
    for e in engagements:  # a project's or event's amount, in its own currency
        if e.get("amount") and e.get("currency"):
            out[("engagement", e["engagement_id"], f"amount_{e['currency']}")] = cents(e["amount"])
    objectives = pd.read_csv(CURATED / "contribution_objectives.csv", dtype={"pdd_objective": str})
    objectives["total_cents"] = objectives["total_cop"].map(cents)
    for number, group in objectives.groupby("pdd_objective"):
        out[("pdd-objective", str(number), "contributions")] = len(group)
        out[("pdd-objective", str(number), "total_cents")] = int(group["total_cents"].sum())
    network_orgs = {n.get("org_id") for n in networks}
    for row in orgs.itertuples():
        if row.org_id not in network_orgs:
            out[("cooperant", row.org_id, "group")] = f"iati:{int(float(row.iati_type)) if row.iati_type == row.iati_type else 0}"
    return out


# -- the surfaces -------------------------------------------------------------------------------
@surface("read model")
def read_model_figures(store) -> Figures:
    from coopgraph.graph.readmodel import cooperant_group, read_model

    model = read_model(store)
    out: Figures = {("all", "", "contributions"): model.contributions,
                    ("all", "", "unlinked_cooperants"): len(model.unlinked_cooperants)}
    for r in store.read("MATCH (o:Cooperant) RETURN o.id AS id, o.iati_type AS iati_type", {}):
        out[("cooperant", r["id"], "group")] = cooperant_group(model, r["id"], r["iati_type"])
    for nid, f in model.networks.items():
        out.update({("network", nid, "engagements"): len(f.engagements), ("network", nid, "events"): len(f.events),
                    ("network", nid, "contributions"): len(f.contributions),
                    ("network", nid, "channelled_cents"): f.channelled_cents,
                    ("network", nid, "amount_USD"): f.amounts.get("USD", 0),
                    ("network", nid, "amount_EUR"): f.amounts.get("EUR", 0)})
    return out


def _network_row(out: Figures, row: dict) -> None:
    nid = row["id"]
    out.update({("network", nid, "engagements"): row["engagements"], ("network", nid, "events"): row["events"],
                ("network", nid, "contributions"): row["contributions"],
                ("network", nid, "channelled_cents"): row["channelled_cents"],
                ("network", nid, "amount_USD"): row["usd_cents"], ("network", nid, "amount_EUR"): row["eur_cents"]})


@surface("named query network_profile")
def network_profile_figures(store) -> Figures:
    from coopgraph.cypher.library import run

    out: Figures = {}
    for r in store.read("MATCH (n:CityNetwork) RETURN n.id AS id", {}):
        _network_row(out, run(store, "network_profile", id=r["id"])[0])
    return out


@surface("named query network_engagements")
def network_engagements_figures(store) -> Figures:
    from coopgraph.cypher.library import run

    out: Figures = {}
    for n in store.read("MATCH (n:CityNetwork) RETURN n.id AS id", {}):
        for r in run(store, "network_engagements", network_id=n["id"]):
            if r["amount_cents"] and r["currency"]:
                out[("engagement", r["id"], f"amount_{r['currency']}")] = r["amount_cents"]
    return out


@surface("named query networks_overview")
def networks_overview_figures(store) -> Figures:
    from coopgraph.cypher.library import run

    out: Figures = {}
    for row in run(store, "networks_overview"):
        _network_row(out, row)
    return out


@surface("named queries of the summary")
def summary_query_figures(store) -> Figures:
    from coopgraph.cypher.library import run

    totals = run(store, "summary_totals")[0]
    out: Figures = {("all", "", "contributions"): totals["contributions"], ("all", "", "total_cents"): totals["total_cents"],
                    ("all", "", "cooperant_cents"): totals["cooperant_cents"], ("all", "", "interactions"): totals["interactions"]}
    for r in run(store, "contributions_by_sector"):
        if r["sector_id"]:
            out[("sector", r["sector_id"], "contributions")] = r["contributions"]
            out[("sector", r["sector_id"], "total_cents")] = r["total_cents"]
    for r in run(store, "interactions_by_sdg"):
        out[("sdg", str(r["sdg"]), "interactions")] = r["interactions"]
    return out


@surface("named queries cooperant_profile, district_entity_profile")
def organisation_query_figures(store) -> Figures:
    from coopgraph.cypher.library import run

    out: Figures = {}
    for kind, label, query in (("cooperant", "Cooperant", "cooperant_profile"),
                               ("entity", "DistrictEntity", "district_entity_profile")):
        for r in store.read(f"MATCH (n:{label}) RETURN n.id AS id", {}):
            row = run(store, query, id=r["id"])[0]
            if row["contributions"]:
                out[(kind, r["id"], "contributions")] = row["contributions"]
                out[(kind, r["id"], "total_cents")] = row["total_cents"]
            if row["reported_interactions"]:
                out[(kind, r["id"], "interactions")] = row["reported_interactions"]
    return out


@surface("summary (CLI and API)")
def summary_figures(store) -> Figures:
    from coopgraph.graph.summary import summary

    s = summary(store)
    out: Figures = {("all", "", "all_currency_cents"): cents(s["all_cooperation"]["total_cop"]),
                    ("all", "", "contributions"): s["monetary_contributions"], ("all", "", "interactions"): s["interactions"],
                    ("all", "", "total_cents"): cents(s["total_cop"]), ("all", "", "cooperant_cents"): cents(s["cooperant_cop"])}
    for r in s["by_sector"]:
        if r["sector_id"]:
            out[("sector", r["sector_id"], "contributions")] = r["contributions"]
            out[("sector", r["sector_id"], "total_cents")] = cents(r["total_cop"])
    for r in s["by_sdg"]:
        out[("sdg", str(r["sdg"]), "interactions")] = r["interactions"]
    _objectives(out, s)
    return out


def _objectives(out: Figures, s: dict) -> None:
    for r in s["by_pdd_objective"]:
        out[("pdd-objective", str(r["objective"]), "contributions")] = r["contributions"]
        out[("pdd-objective", str(r["objective"]), "total_cents")] = cents(r["total_cop"])


@surface("Sankey (flow chart)")
def sankey_figures(store) -> Figures:
    from coopgraph.viz.flows import flow_rows, sankey_variants

    from coopgraph.viz.flows import _source

    data = flow_rows(store)
    variants = sankey_variants(data, "es")
    out: Figures = {}
    for c in data["contributions"]:  # the group each cooperant's money flows from
        if c["cooperant"]:
            node = _source(c, "type", "es")
            out[("cooperant", c["cooperant"], "group")] = "network" if node[1] == "network" else f"iati:{node[1]}"
    for name, v in variants.items():  # every variant says how many contributions it draws, and their money
        out[("all", "", "contributions")] = v["contributions"]
        out[("all", "", "total_cents" if name.endswith("total") else "cooperant_cents")] = v["total_cents"]
    counts = {v["contributions"] for v in variants.values()}
    assert len(counts) == 1, f"the Sankey's variants count contributions differently: {counts}"
    return out


@surface("map data")
def map_figures(store) -> Figures:
    from coopgraph.viz.render import map_graph
    from coopgraph.viz.views import overview
    from coopgraph.graph.readmodel import split_id

    graph = map_graph(store)
    out: Figures = {}
    for n, attrs in graph.nodes(data=True):
        kind, raw = split_id(n)
        money = attrs.get("money") or {}
        if kind == "network" and attrs.get("cooperant_id"):  # drawn once, as the network it is
            out[("cooperant", attrs["cooperant_id"], "group")] = "network"
        elif kind == "cooperant":
            out[("cooperant", raw, "group")] = f"iati:{int(attrs.get('iati_type') or 0)}"
        if kind == "pdd-objective" and money.get("monetary"):
            number = raw.rsplit("-", 1)[-1]
            out[(kind, number, "contributions")] = money["monetary"]
            out[(kind, number, "total_cents")] = money["total_cents"]
        if kind in ("cooperant", "entity", "network") and money.get("monetary"):
            figure_kind = kind
            out[(figure_kind, raw, "contributions")] = money["monetary"]
            out[(figure_kind, raw, "channelled_cents" if kind == "network" else "total_cents")] = money["total_cents"]
    sliced = overview(graph)
    out[("all", "", "unlinked_cooperants")] = sum(1 for n, a in sliced.nodes(data=True)
                                                   if a["kind"] == "cooperant" and sliced.degree(n) == 0)
    return out


def _profile_figures(out: Figures, kind: str, key: str, body: dict) -> None:
    facts = {f["key"]: f["value"] for f in body["headline"]}
    sections = {s["key"]: s["rows"] for s in body["sections"]}
    money = {"entity": "received", "cooperant": "given", "network": "channelled"}[kind]
    if facts.get("contributions"):
        out[(kind, key, "contributions")] = facts["contributions"]
        out[(kind, key, "channelled_cents" if kind == "network" else "total_cents")] = facts[money]
    if kind == "network":
        out[(kind, key, "contributions")] = facts.get("contributions") or 0
        out[(kind, key, "channelled_cents")] = facts.get(money) or 0
        rows = sections.get("engagements", []) + sections.get("events", [])
        out[(kind, key, "engagements")] = len(rows)
        out[(kind, key, "events")] = len(sections.get("events", []))
    if kind != "network" and facts.get("interactions") is not None:
        out[(kind, key, "interactions")] = facts["interactions"]


@surface("ficha JSON (API)")
def ficha_figures(store) -> Figures:
    out: Figures = {}
    with _api(store) as client:
        for kind, label in (("network", "CityNetwork"), ("cooperant", "Cooperant"), ("entity", "DistrictEntity")):
            for r in store.read(f"MATCH (n:{label}) RETURN n.id AS id", {}):
                response = client.get(f"/api/v1/profiles/{kind}/{r['id']}")
                assert response.status_code == 200, (kind, r["id"], response.text)
                _profile_figures(out, kind, r["id"], response.json())
        for r in store.read("MATCH (g:Engagement) RETURN g.id AS id", {}):
            body = client.get(f"/api/v1/profiles/engagement/{r['id']}").json()
            for fact in body["headline"]:
                if fact["key"] == "amount" and fact["value"]:
                    out[("engagement", r["id"], f"amount_{fact['note']}")] = fact["value"]
        for r in store.read("MATCH (p:PDDObjective) RETURN p.number AS number", {}):
            body = client.get(f"/api/v1/profiles/pdd-objective/{r['number']}").json()
            facts = {f["key"]: f["value"] for f in body["headline"]}
            if facts.get("contributions"):
                out[("pdd-objective", str(r["number"]), "contributions")] = facts["contributions"]
                out[("pdd-objective", str(r["number"]), "total_cents")] = facts["money"]
        for number in range(1, 18):
            body = client.get(f"/api/v1/profiles/sdg/{number}").json()
            facts = {f["key"]: f["value"] for f in body["headline"]}
            out[("sdg", str(number), "interactions")] = facts["interactions"]
    return out


def _api(store):
    from coopgraph.api.app import create_app
    from fastapi.testclient import TestClient

    return TestClient(create_app(store.settings))


class _FichaPage:
    """What a ficha's HTML page shows: each headline fact's value as text, each section's row count."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        self.facts: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        page = self

        class Reader(HTMLParser):
            fact = section = None
            in_value = in_count = False

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "li" and a.get("data-fact"):
                    self.fact = a["data-fact"]
                elif tag == "section" and (a.get("id") or "").startswith("section-"):
                    self.section = a["id"].removeprefix("section-")
                elif tag == "span" and a.get("class") == "value" and self.fact:
                    self.in_value = True
                elif tag == "span" and a.get("class") == "count" and self.section:
                    self.in_count = True

            def handle_endtag(self, tag):
                self.in_value = self.in_count = False
                if tag == "li":
                    self.fact = None

            def handle_data(self, data):
                if self.in_value:
                    page.facts[self.fact] = page.facts.get(self.fact, "") + data
                elif self.in_count:
                    page.counts[self.section] = int(data)

        Reader().feed(html)


def _colombian_cents(text: str) -> int:
    """``"$ 12.072.485.118"`` or ``"$ 1.234,56"`` → centavos."""
    digits = text.replace("$", "").replace("\u00a0", "").replace(" ", "").replace(".", "").replace(",", ".")
    return cents(digits)


@surface("ficha HTML page")
def ficha_page_figures(store) -> Figures:
    out: Figures = {}
    with _api(store) as client:
        for r in store.read("MATCH (n:CityNetwork) RETURN n.id AS id", {}):
            response = client.get(f"/profiles/network/{r['id']}")
            assert response.status_code == 200, response.text
            page = _FichaPage(response.text)
            key = ("network", r["id"])
            out[(*key, "engagements")] = page.counts.get("engagements", 0) + page.counts.get("events", 0)
            out[(*key, "events")] = page.counts.get("events", 0)
            if page.facts.get("contributions", "").strip() not in ("", "0"):
                out[(*key, "contributions")] = int(page.facts["contributions"].strip().replace(".", ""))
                out[(*key, "channelled_cents")] = _colombian_cents(page.facts["channelled"].strip())
    return out


def _graph_file(store, fmt: str):
    import io

    import networkx as nx

    with _api(store) as client:
        response = client.get(f"/api/v1/exports/graph.{fmt}")
    assert response.status_code == 200, response.text
    return (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(response.content))


def _graph_file_figures(graph) -> Figures:
    """Each organisation's money and contributions, as the file's node and edge attributes carry them."""
    out: Figures = {}
    for n, attrs in graph.nodes(data=True):
        kind, raw = str(n).split(":", 1)
        if kind in ("cooperant", "entity") and int(attrs.get("amount_cents") or 0):
            out[(kind, raw, "total_cents")] = int(attrs["amount_cents"])
    for a, b, attrs in graph.edges(data=True):
        for end in (a, b):
            kind, raw = str(end).split(":", 1)
            if kind in ("cooperant", "entity") and int(attrs.get("monetary") or 0):
                out[(kind, raw, "contributions")] = out.get((kind, raw, "contributions"), 0) + int(attrs["monetary"])
    if "unlinked_cooperants" in graph.graph:
        out[("all", "", "unlinked_cooperants")] = int(graph.graph["unlinked_cooperants"])
    return out


@surface("GraphML export (API)")
def graphml_figures(store) -> Figures:
    return _graph_file_figures(_graph_file(store, "graphml"))


@surface("GEXF export (API)")
def gexf_figures(store) -> Figures:
    return _graph_file_figures(_graph_file(store, "gexf"))


@surface("CSV export of the graph's links (API)")
def csv_figures(store) -> Figures:
    import csv
    import io

    with _api(store) as client:
        text = client.get("/api/v1/exports/graph.csv").content.decode("utf-8-sig")
    out: Figures = {}
    for r in csv.DictReader(io.StringIO(text)):
        for end in (r["source"], r["target"]):
            kind, raw = end.split(":", 1)
            if kind in ("cooperant", "entity") and int(r["monetary"] or 0):
                out[(kind, raw, "contributions")] = out.get((kind, raw, "contributions"), 0) + int(r["monetary"])
                out[(kind, raw, "total_cents")] = out.get((kind, raw, "total_cents"), 0) + int(r["amount_cents"])
    return out


@surface("summary (API JSON)")
def api_summary_figures(store) -> Figures:
    with _api(store) as client:
        s = client.get("/api/v1/summary").json()
    out: Figures = {("all", "", "all_currency_cents"): cents(s["all_cooperation"]["total_cop"]),
                    ("all", "", "contributions"): s["monetary_contributions"], ("all", "", "interactions"): s["interactions"],
                    ("all", "", "total_cents"): cents(s["total_cop"]), ("all", "", "cooperant_cents"): cents(s["cooperant_cop"])}
    for r in s["by_sector"]:
        if r["sector_id"]:
            out[("sector", r["sector_id"], "contributions")] = r["contributions"]
            out[("sector", r["sector_id"], "total_cents")] = cents(r["total_cop"])
    _objectives(out, s)
    return out


def _cli(store, *args: str):
    """Run the `coopgraph` command on the store's data, as a user would, and read its JSON."""
    import os
    import subprocess
    import sys

    settings = store.settings
    env = {**os.environ, "COOPGRAPH_HOME": str(settings.home)}
    if settings.store == "neo4j":
        env.update(COOPGRAPH_STORE="neo4j", COOPGRAPH_NEO4J_URI=settings.neo4j_uri,
                   COOPGRAPH_NEO4J_USER=settings.neo4j_user,
                   COOPGRAPH_NEO4J_PASSWORD=settings.neo4j_password.get_secret_value(),
                   COOPGRAPH_NEO4J_DATABASE=settings.neo4j_database)
    result = subprocess.run([sys.executable, "-m", "coopgraph", *args], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@surface("CLI: coopgraph summary --json, coopgraph query networks_overview")
def cli_figures(store) -> Figures:
    s = _cli(store, "summary", "--json")
    out: Figures = {("all", "", "contributions"): s["monetary_contributions"], ("all", "", "interactions"): s["interactions"],
                    ("all", "", "total_cents"): cents(s["total_cop"]), ("all", "", "cooperant_cents"): cents(s["cooperant_cop"]),
                    ("all", "", "all_currency_cents"): cents(s["all_cooperation"]["total_cop"])}
    for r in s["by_sector"]:
        if r["sector_id"]:
            out[("sector", r["sector_id"], "contributions")] = r["contributions"]
            out[("sector", r["sector_id"], "total_cents")] = cents(r["total_cop"])
    for row in _cli(store, "query", "networks_overview", "-f", "json"):
        _network_row(out, row)
    return out


def disagreements(left: Figures, right: Figures) -> list[str]:
    return [f"{k}: {left[k]!r} != {right[k]!r}" for k in sorted(set(left) & set(right), key=str)
            if _plain(left[k]) != _plain(right[k])]


def _plain(value):
    return json.loads(json.dumps(value, default=str))
