"""The figures a user sees, as each surface shows them, and an oracle computed from the bundled files.

A surface declares the figures it shows: a function `(store) -> {(kind, id, figure): value}`
registered in `SURFACES`. tests/analysis/test_consistency.py compares every surface with the oracle and with
each other wherever two show the same key. Money is COP centavos (report COP) unless the figure
names a currency (``amount_USD``…: cents in that currency, amounts inside another's left out).

The oracle (tests/support/oracle.py) reads data/report-2024/*.csv and data/curated/* with pandas only.
"""
from __future__ import annotations

import json
from typing import Callable

from oracle import Figures, cents, oracle  # noqa: F401  (oracle: re-exported for the tests)

SURFACES: dict[str, Callable] = {}
NEO4J_SURFACES: set[str] = set()  # the surfaces that run on the live Neo4j too (the rest are store-agnostic reads)


def surface(name: str, *, neo4j: bool = True):
    def register(fn):
        SURFACES[name] = fn
        if neo4j:
            NEO4J_SURFACES.add(name)
        return fn
    return register


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
    from coopgraph.analysis.summary import summary

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
        partners = sections.get("partners", [])
        out[(kind, key, "partner_entities")] = sum(1 for p in partners if p["kind"] == "entity")
        out[(kind, key, "partner_cooperants")] = sum(1 for p in partners if p["kind"] == "cooperant")
        for fact in body["headline"]:  # the money of its projects, in each currency stated
            if fact["key"] == "stated_amount_network":
                out[(kind, key, f"amount_{fact['note']}")] = fact["value"]
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
            if facts.get("contributions"):
                out[("sdg", str(number), "total_cents")] = facts["money"]
        for r in store.read("MATCH (s:Sector) RETURN s.id AS id", {}):
            body = client.get(f"/api/v1/profiles/sector/{r['id']}").json()
            facts = {f["key"]: f["value"] for f in body["headline"]}
            if facts.get("contributions"):
                out[("sector", r["id"], "contributions")] = facts["contributions"]
                out[("sector", r["id"], "total_cents")] = facts["received"]
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
        for end in (r["Source"], r["Target"]):  # Gephi's edge table
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


@surface("analytics (API)")
def analytics_figures(store) -> Figures:
    with _api(store) as client:
        response = client.get("/api/v1/analytics")
    assert response.status_code == 200, response.text
    report = response.json()
    money = report["meta"]["money"]
    out: Figures = {("all", "", "contributions"): money["monetary_contributions"],
                    ("all", "", "total_cents"): money["total_cents"], ("all", "", "cooperant_cents"): money["cooperant_cents"]}
    for group in ("entities", "sectors", "sdgs", "pdd_objectives"):
        for row in report["concentration"][group]:
            kind, raw = row["id"].split(":", 1)
            out[(kind, raw, "total_cents")] = row["total_cents"]
        for row in report["counterpart_ratio"].get(group, []):
            kind, raw = row["id"].split(":", 1)
            if raw != "none":
                out[(kind, raw, "contributions")] = row["contributions"]
                out[(kind, raw, "total_cents")] = row["total_cents"]
    for row in report["counterpart_ratio"]["entities"]:
        kind, raw = row["id"].split(":", 1)
        out[(kind, raw, "contributions")] = row["contributions"]
        out[(kind, raw, "total_cents")] = row["total_cents"]
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


@surface("IATI activity file")
def iati_figures(store) -> Figures:
    """What the IATI file carries: per Tabla 5 line its COP incoming funds (cooperant) and commitment
    (counterpart), grouped by the district's sector (vocabulary 99) and PDD objective; per project its
    amount in its own currency."""
    from decimal import Decimal

    from lxml import etree

    from coopgraph.analysis.iati import activity_file
    from coopgraph.settings import Settings

    tree = etree.fromstring(activity_file(store, Settings()).content)
    lines = {r["id"] for r in store.read("MATCH (c:Contribution) WHERE c.monetary RETURN c.id AS id", {})}

    def money(node, kind: str, currency: str = "COP") -> int:
        return int(sum(Decimal(v.text) * 100 for v in node.xpath(
            f"transaction[transaction-type/@code = '{kind}']/value[@currency = '{currency}']")))

    out: Figures = {("all", "", "contributions"): 0, ("all", "", "cooperant_cents"): 0, ("all", "", "total_cents"): 0}
    for node in tree.iterfind("iati-activity"):
        graph_id = node.find("other-identifier").get("ref")
        if graph_id not in lines:
            for value in node.xpath("transaction[transaction-type/@code = '1']/value"):
                out[("engagement", graph_id, f"amount_{value.get('currency')}")] = int(Decimal(value.text) * 100)
            continue
        given, total = money(node, "1"), money(node, "1") + money(node, "11")
        keys = [("all", "")] + [("sector", code) for code in node.xpath("sector[@vocabulary = '99']/@code")] + [
            ("pdd-objective", code.rsplit("-", 1)[1]) for code in node.xpath("policy-marker/@code")
            if code.startswith("pdd-2024-obj-")]
        for kind, key in keys:
            out[(kind, key, "contributions")] = out.get((kind, key, "contributions"), 0) + 1
            out[(kind, key, "total_cents")] = out.get((kind, key, "total_cents"), 0) + total
        out[("all", "", "cooperant_cents")] += given
    return out


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


BREAKDOWN_KINDS = {"country": "country", "region": "region", "kind": "cooperant-kind", "iati-type": "iati-type"}


def _breakdown_figures(out: Figures, data: dict) -> None:
    kind = BREAKDOWN_KINDS[data["dimension"]]
    for r in data["rows"]:
        for figure in ("total_cents", "interactions", "contributions", "all_currency_cents"):
            out[(kind, r["key"], figure)] = r[figure]
    totals = data["totals"]
    for figure in ("total_cents", "cooperant_cents", "interactions", "contributions", "all_currency_cents"):
        out[("all", "", figure)] = totals[figure]


@surface("breakdowns (API)")
def breakdown_figures(store) -> Figures:
    out: Figures = {}
    with _api(store) as client:
        for dimension in BREAKDOWN_KINDS:
            response = client.get(f"/api/v1/breakdowns/{dimension}")
            assert response.status_code == 200, response.text
            _breakdown_figures(out, response.json())
    return out


@surface("CLI: coopgraph breakdown --json")
def cli_breakdown_figures(store) -> Figures:
    out: Figures = {}
    for dimension in ("region", "country"):
        _breakdown_figures(out, _cli(store, "breakdown", dimension, "--json"))
    return out


def disagreements(left: Figures, right: Figures) -> list[str]:
    return [f"{k}: {left[k]!r} != {right[k]!r}" for k in sorted(set(left) & set(right), key=str)
            if _plain(left[k]) != _plain(right[k])]


def _plain(value):
    return json.loads(json.dumps(value, default=str))
