"""The analyst's first groupings: money and interactions by the cooperant's country, region, kind and
IATI organisation type, each row with its share of the whole.

    breakdown(store, "region", 2024, 2024, lang="es")["rows"]

Definitions (docs/data.md, "The figures, each defined once"):

* A contribution counts for the group of the cooperant that provided it (`PROVIDED`); one without a
  cooperant for a group of its own ("sin cooperante"), so the money of the rows adds up to the
  summary's totals.
* **Money** is what the summary shows: the report's COP (``total_cents``, with its cooperant and
  counterpart parts, contributions stated in COP only) and **all currencies** (``all_currency_cents``):
  the report's COP, plus the contributions stated in another currency at their rate, plus the amounts
  of engagements stated in another currency, each with its *channelling cooperant*
  (coopgraph.graph.readmodel: the cooperant the network they are under is) — so the all-currency
  rows add up to the summary's all cooperation in COP. What has no cooperant to go to stays in
  "sin cooperante".
* **Interactions** of a cooperant are those the report's tables state for it (Tabla 2, `REPORTED`) in
  the years asked, or, for a cooperant no table reports, the interactions of its contributions (the
  ficha's rule); for 2024 the rows add up to the report's 607.
* **Shares** are percentages with two decimals by the largest-remainder method
  (coopgraph.analysis.shares), so each column's shares sum to exactly 100 %; a column whose whole is 0 has
  no shares (None).
* The **region** is the continent of the cooperant's country (coopgraph.analysis.regions); a cooperant
  without a country is an international body. The **kind** is the curated finer kind, named with the
  schema's words (graph/schema/nodes.yaml, `Cooperant.kind.values`); the IATI type by the codelist.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from coopgraph.cypher.library import run
from coopgraph.analysis import regions
from coopgraph.graph.model import model
from coopgraph.graph.readmodel import channelling_cooperant, read_model
from coopgraph.analysis.shares import per_peso, shares_pct

__all__ = ["DIMENSIONS", "NO_COOPERANT", "breakdown", "group_key", "group_name", "iati_names"]

DIMENSIONS = ("country", "region", "kind", "iati-type")
NO_COOPERANT = "no-cooperant"
MONEY = ("total_cents", "cooperant_cents", "counterpart_cents", "all_currency_cents")
SHARED = {"total_cents": "total_share_pct", "all_currency_cents": "all_currency_share_pct",
          "interactions": "interactions_share_pct"}
WORDS = {
    "es": {NO_COOPERANT: "Sin cooperante", "no-kind": "Sin clase", "no-iati": "Sin tipo IATI",
           "title": "Cooperación por {dimension}", "country": "país del cooperante", "region": "región (continente)",
           "kind": "clase de cooperante", "iati-type": "tipo de organización (IATI)"},
    "en": {NO_COOPERANT: "No cooperant", "no-kind": "No kind", "no-iati": "No IATI type",
           "title": "Cooperation by {dimension}", "country": "cooperant's country", "region": "region (continent)",
           "kind": "kind of cooperant", "iati-type": "organisation type (IATI)"},
}
NO_COOPERANT_MONEY = """
MATCH (c:Contribution) WHERE c.year >= $from_year AND c.year <= $to_year
  AND NOT EXISTS { MATCH (:Cooperant)-[:PROVIDED]->(c) }
RETURN coalesce(sum(CASE WHEN c.monetary THEN 1 ELSE 0 END), 0) AS contributions,
       coalesce(sum(CASE WHEN c.currency = 'COP' THEN c.cooperant_cents ELSE 0 END), 0) AS cooperant_cents,
       coalesce(sum(CASE WHEN c.currency = 'COP' THEN c.counterpart_cents ELSE 0 END), 0) AS counterpart_cents,
       coalesce(sum(CASE WHEN c.currency = 'COP' THEN c.total_cents ELSE 0 END), 0) AS total_cents,
       coalesce(sum(CASE WHEN c.currency <> 'COP' AND c.rate_missing IS NULL THEN c.cop_total_cents ELSE 0 END), 0)
         AS converted_cents
"""


@lru_cache(maxsize=1)
def iati_names() -> dict[int, dict[str, str]]:
    """The IATI OrganisationType codelist (data/curated/iati_organisation_types.csv): code → {es, en}."""
    path = resources.files("coopgraph.data") / "curated" / "iati_organisation_types.csv"
    with path.open(encoding="utf-8") as handle:
        return {int(r["code"]): {"es": r["name_es"], "en": r["name_en"]} for r in csv.DictReader(handle)}


def group_key(dimension: str, cooperant: dict | None) -> str:
    """The group a cooperant (a row with country, kind, iati_type) falls in; `NO_COOPERANT` for None."""
    if cooperant is None:
        return NO_COOPERANT
    if dimension == "country":
        return (cooperant.get("country") or "").upper() or regions.INTERNATIONAL
    if dimension == "region":
        return regions.region_of(cooperant.get("country"))
    if dimension == "kind":
        return cooperant.get("kind") or "no-kind"
    if dimension == "iati-type":
        return str(int(cooperant["iati_type"])) if cooperant.get("iati_type") else "no-iati"
    raise ValueError(f"unknown dimension {dimension!r}; choose one of {', '.join(DIMENSIONS)}")


def group_name(dimension: str, key: str, lang: str = "es", *, plural: bool = True) -> str:
    """How a group is named in `lang`: CLDR's country and region names, the schema's kind words, the IATI codelist."""
    words = WORDS[lang]
    if key in words:
        return words[key]
    if dimension == "country":
        return regions.country_name("" if key == regions.INTERNATIONAL else key, lang)
    if dimension == "region":
        return regions.region_name(key, lang)
    if dimension == "kind":
        return model().node("Cooperant").properties["kind"].value_word(key, lang, plural=plural) or key
    if dimension == "iati-type":
        names = iati_names().get(int(key))
        return f"{key} · {names[lang]}" if names else key
    return key


def _interactions(row: dict) -> int:
    return int(row["reported_interactions"] if row["reported_rows"] else row["contribution_interactions"])


def _engagement_money(store, from_year: int, to_year: int) -> tuple[dict[str, int], int]:
    """The COP centavos of engagements stated in other currencies (as all cooperation adds them), per
    channelling cooperant; and what has none."""
    from coopgraph.graph.all_cooperation import all_cooperation
    from coopgraph.money import to_cents

    model_ = read_model(store)
    by_cooperant: dict[str, int] = defaultdict(int)
    unattributed = 0
    for e in all_cooperation(store, from_year, to_year)["engagements"]:
        cooperant = channelling_cooperant(model_, e["network_id"])
        if cooperant:
            by_cooperant[cooperant] += to_cents(e["cop"])
        else:
            unattributed += to_cents(e["cop"])
    return by_cooperant, unattributed


def _empty() -> dict:
    return {"cooperants": 0, "contributions": 0, "interactions": 0, **{k: 0 for k in MONEY}}


def breakdown(store, dimension: str, from_year: int = 0, to_year: int = 9999, *, lang: str = "es") -> dict:
    """Money and interactions by one dimension of the cooperant (`DIMENSIONS`), largest money first, each row
    with its shares; ``totals`` holds the sums the rows add up to (the summary's)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; choose one of {', '.join(DIMENSIONS)}")
    years = {"from_year": int(from_year), "to_year": int(to_year)}
    engaged, unattributed = _engagement_money(store, **years)
    groups: dict[str, dict] = defaultdict(_empty)
    for r in run(store, "cooperant_figures", **years):
        interactions = _interactions(r)
        converted = int(r["converted_cents"]) + engaged.get(r["id"], 0)
        if not (r["contributions"] or interactions or r["total_cents"] or converted):
            continue  # nothing in these years
        g = groups[group_key(dimension, r)]
        g["cooperants"] += 1
        g["contributions"] += int(r["contributions"])
        g["interactions"] += interactions
        for key in ("total_cents", "cooperant_cents", "counterpart_cents"):
            g[key] += int(r[key])
        g["all_currency_cents"] += int(r["total_cents"]) + converted
    loose = store.read(NO_COOPERANT_MONEY, years)[0]
    if loose["contributions"] or loose["total_cents"] or loose["converted_cents"] or unattributed:
        g = groups[NO_COOPERANT]
        g["contributions"] += int(loose["contributions"])
        for key in ("total_cents", "cooperant_cents", "counterpart_cents"):
            g[key] += int(loose[key])
        g["all_currency_cents"] += int(loose["total_cents"]) + int(loose["converted_cents"]) + unattributed
    rows = [{"key": key, "name": group_name(dimension, key, lang), **figures} for key, figures in groups.items()]
    rows.sort(key=lambda r: (-r["total_cents"], -r["all_currency_cents"], -r["interactions"], r["name"], r["key"]))
    totals = _empty()
    for r in rows:
        for key in totals:
            totals[key] += r[key]
    for column, share in SHARED.items():
        for r, pct in zip(rows, shares_pct([r[column] for r in rows])):
            r[share] = pct
        totals[share] = Decimal("100.00") if totals[column] else None
    for r in rows:
        r["counterpart_per_cooperant_peso"] = per_peso(r["counterpart_cents"], r["cooperant_cents"])
    totals["counterpart_per_cooperant_peso"] = per_peso(totals["counterpart_cents"], totals["cooperant_cents"])
    return {"dimension": dimension, "title": WORDS[lang]["title"].format(dimension=WORDS[lang][dimension]),
            "lang": lang, "years": years, "currency": "COP", "total_cop_is": "report", "rows": rows, "totals": totals}
