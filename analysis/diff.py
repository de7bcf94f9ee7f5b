"""What changed from one year to another: partners, money, brokers and communities.

* Partners (cooperants) gained, lost and kept — overall, and per district entity, sector and
  city network (through which the contribution came).
* Money per cooperant, entity, sector, ODS and PDD objective, in COP, twice: at each year's own
  rates (the COP value written on each fact at load, see loaders/in_cop.py) and at the constant
  rates of one chosen year (each amount in another currency converted at that year's average
  rate), so that a change of the peso is not read as a change of cooperation. Amounts in COP are
  the same in both. An amount whose year the rate tables do not cover is left out and counted.
* Brokers: the organisation graph's betweenness ranks in each year, and how they moved.
* Communities (seeded Louvain) that formed (no earlier community holds most of their members) or
  split (the members of one earlier community now in two or more, two or more in each).

A year with no contributions is an error naming the years that have some.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from coopgraph.errors import Unprocessable
from coopgraph.analysis.filters import NoSuchData, years_with_data
from coopgraph.graph.model import model
from coopgraph.loaders.in_cop import cop_cents
from coopgraph.money import from_cents
from coopgraph.rates import RateError, Rates, load_rates

DIMENSIONS = ("cooperant", "entity", "sector", "sdg", "pdd_objective")
PARTNER_GROUPS = ("entity", "sector", "network")
TOP_BROKERS = 10
SAMPLE_ABOVE = 2_000      # betweenness is sampled (seeded) above this many nodes
FORMED_OVERLAP = 0.5      # a community is new when no earlier one holds this share of its members

_CONTRIBUTIONS = """
MATCH (c:Contribution) WHERE c.year = $year
RETURN c.id AS id, c.currency AS currency, c.cooperant_cents AS cooperant_cents,
       c.counterpart_cents AS counterpart_cents, c.total_cents AS total_cents,
       c.cop_total_cents AS cop_total_cents, c.rate_missing AS rate_missing
"""
_LINKS = {
    "cooperant": "MATCH (x:Cooperant)-[:PROVIDED]->(c:Contribution) WHERE c.year = $year "
                 "RETURN c.id AS id, x.id AS key, x.name AS name",
    "entity": "MATCH (x:DistrictEntity)-[:RECEIVED]->(c:Contribution) WHERE c.year = $year "
              "RETURN c.id AS id, x.id AS key, x.name AS name",
    "sector": "MATCH (c:Contribution)-[:IN_SECTOR]->(x:Sector) WHERE c.year = $year "
              "RETURN c.id AS id, x.id AS key, x.name AS name",
    "sdg": "MATCH (c:Contribution)-[:ADVANCES]->(x:SDG) WHERE c.year = $year "
           "RETURN DISTINCT c.id AS id, x.number AS key, x.name AS name",
    "pdd_objective": "MATCH (c:Contribution)-[:SERVES]->(x:PDDObjective) WHERE c.year = $year "
                     "RETURN DISTINCT c.id AS id, x.number AS key, x.name AS name",
    "network": "MATCH (c:Contribution)-[:THROUGH_NETWORK]->(x:CityNetwork) WHERE c.year = $year "
               "RETURN c.id AS id, x.id AS key, x.name AS name",
}


class YearDiffError(Unprocessable):
    """The years asked cannot be compared (the same year twice, or no rate for the constant year)."""


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _year(store, year: int) -> dict:
    params = {"year": int(year)}
    contributions = _frame(store.read(_CONTRIBUTIONS, params),
                           ["id", "currency", "cooperant_cents", "counterpart_cents", "total_cents",
                            "cop_total_cents", "rate_missing"])
    links = {name: _frame(store.read(cypher, params), ["id", "key", "name"]) for name, cypher in _LINKS.items()}
    for frame in links.values():
        frame["key"] = frame["key"].map(str)  # ODS and objectives are numbers; every key is text
    return {"contributions": contributions, "links": links}


def _own_cents(c: pd.DataFrame) -> pd.Series:
    """COP centavos at the year's own rates: as stated for COP, as written on the fact otherwise."""
    cop = c.currency == "COP"
    return pd.Series([int(t) if is_cop else (None if pd.isna(v) else int(v))
                      for is_cop, t, v in zip(cop, c.total_cents, c.cop_total_cents)], index=c.index, dtype=object)


def _constant_cents(c: pd.DataFrame, rates: dict) -> pd.Series:
    out = []
    for currency, a, b, t in zip(c.currency, c.cooperant_cents, c.counterpart_cents, c.total_cents):
        if currency == "COP":
            out.append(int(t))
        else:
            out.append(cop_cents(int(a), rates[currency]) + cop_cents(int(b or 0), rates[currency]))
    return pd.Series(out, index=c.index, dtype=object)


def _money_by(data: dict, cents: pd.Series, dimension: str) -> dict[str, tuple[str, int]]:
    c = data["contributions"].assign(cop=cents).dropna(subset=["cop"])
    joined = data["links"][dimension].merge(c[["id", "cop"]], on="id")
    out = {}
    for (key, name), group in joined.groupby(["key", "name"]):
        out[str(key)] = (name, int(sum(group.cop)))
    return out


def _change_rows(before: dict, after: dict) -> list[dict]:
    rows = []
    for key in set(before) | set(after):
        name = (after.get(key) or before.get(key))[0]
        a, b = (before.get(key) or (name, 0))[1], (after.get(key) or (name, 0))[1]
        rows.append({"id": key, "name": name, "from_cop": from_cents(a), "to_cop": from_cents(b),
                     "change_cop": from_cents(b - a)})
    return sorted(rows, key=lambda r: (-abs(r["change_cop"]), r["id"]))


def _money(years: dict, cents: dict) -> dict:
    a, b = years
    out = {"total": {"from_cop": from_cents(int(sum(cents[a].dropna()))), "to_cop": from_cents(int(sum(cents[b].dropna())))}}
    out["total"]["change_cop"] = out["total"]["to_cop"] - out["total"]["from_cop"]
    for dimension in DIMENSIONS:
        out[dimension] = _change_rows(_money_by(years[a], cents[a], dimension), _money_by(years[b], cents[b], dimension))
    return out


def _named(keys, names: dict) -> list[dict]:
    return [{"id": k, "name": names[k]} for k in sorted(keys, key=lambda k: (names[k], k))]


def _partners(years: dict) -> dict:
    a, b = years
    names = {}
    sets = {}
    for year in (a, b):
        links = years[year]["links"]["cooperant"]
        names.update(zip(links.key, links.name))
        sets[year] = set(links.key)
    out = {"gained": _named(sets[b] - sets[a], names), "lost": _named(sets[a] - sets[b], names),
           "kept": _named(sets[a] & sets[b], names)}
    out["counts"] = {k: len(out[k]) for k in ("gained", "lost", "kept")}
    by = {}
    for group in PARTNER_GROUPS:
        pairs, group_names = {}, {}
        for year in (a, b):
            links = years[year]["links"]
            joined = links[group].merge(links["cooperant"], on="id", suffixes=("", "_cooperant"))
            group_names.update(zip(joined.key, joined.name))
            pairs[year] = set(zip(joined.key, joined.key_cooperant))
        rows = []
        for key in sorted(group_names, key=lambda k: (group_names[k], k)):
            before = {p for g, p in pairs[a] if g == key}
            after = {p for g, p in pairs[b] if g == key}
            rows.append({"id": key, "name": group_names[key], "gained": _named(after - before, names),
                         "lost": _named(before - after, names), "kept": _named(before & after, names)})
        by[group] = rows
    out["by"] = by
    return out


def _betweenness(graph) -> dict:
    import networkx as nx

    k = 500 if graph.number_of_nodes() > SAMPLE_ABOVE else None
    return nx.betweenness_centrality(graph, k=k, seed=42 if k else None, normalized=True)


def _ranks(scores: dict) -> dict:
    order = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return {n: (i + 1, s) for i, (n, s) in enumerate(order)}


def _brokers(graphs: dict, years: tuple) -> list[dict]:
    a, b = years
    ranks = {y: _ranks(_betweenness(graphs[y])) for y in years}
    top = {n for y in years for n, (r, s) in ranks[y].items() if r <= TOP_BROKERS and s > 0}
    out = []
    for n in top:
        graph = graphs[b] if n in graphs[b] else graphs[a]
        ra, rb = ranks[a].get(n), ranks[b].get(n)
        out.append({"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind"),
                    "rank_from": ra[0] if ra else None, "rank_to": rb[0] if rb else None,
                    "score_from": round(ra[1], 6) if ra else None, "score_to": round(rb[1], 6) if rb else None,
                    "rank_change": (ra[0] - rb[0]) if ra and rb else None})
    return sorted(out, key=lambda r: (r["rank_to"] or 10**9, r["rank_from"] or 10**9, r["id"]))


def _communities(graphs: dict, years: tuple) -> dict:
    from coopgraph.analysis.analytics import communities

    a, b = years
    parts = {y: communities(graphs[y], seed=42)[0] for y in years}
    sets = {y: [{m["id"] for m in c["members"]} for c in parts[y]] for y in years}
    names = {n: graphs[y].nodes[n].get("name", n) for y in years for n in graphs[y]}

    def show(members):
        return [names[n] for n in sorted(members, key=lambda n: (names[n], n))]

    formed = []
    for i, members in enumerate(sets[b]):
        if len(members) < 3:
            continue
        best = max((len(members & old) for old in sets[a]), default=0)
        if best < FORMED_OVERLAP * len(members):
            formed.append({"community": parts[b][i]["id"], "size": len(members), "members": show(members)})
    split = []
    for i, members in enumerate(sets[a]):
        pieces = [members & new for new in sets[b]]
        pieces = [p for p in pieces if len(p) >= 2]
        if len(pieces) >= 2:
            split.append({"community": parts[a][i]["id"], "size": len(members),
                          "into": [{"community": parts[b][sets[b].index(next(s for s in sets[b] if p <= s))]["id"],
                                    "members": show(p)} for p in sorted(pieces, key=lambda p: (-len(p), sorted(p)))]})
    return {"from_count": len(sets[a]), "to_count": len(sets[b]), "formed": formed, "split": split}


def _rates_of(years: dict, rates: Rates, constant_year: int) -> dict:
    currencies = sorted({c for y in years.values() for c in y["contributions"].currency} - {"COP"})
    out = {}
    for currency in currencies:
        try:
            out[currency] = rates.rate(currency, str(constant_year), "period-average").cop_per_unit
        except RateError as exc:
            raise YearDiffError(f"no constant rates of {constant_year}: {exc.message}") from None
    return out


def year_diff(store, from_year: int, to_year: int, *, constant_year: int | None = None,
              rates: Rates | None = None) -> dict:
    """Everything that changed from `from_year` to `to_year` (see the module docstring)."""
    from coopgraph.analysis.projections import organisation_graph

    if from_year == to_year:
        raise YearDiffError(f"compare two different years, not {from_year} with itself")
    known = years_with_data(store)
    for year in (from_year, to_year):
        if year not in known:
            raise NoSuchData(f"no data for {year}; the graph has data for {', '.join(map(str, known)) or 'no year'}",
                             years=known)
    constant_year = int(constant_year or to_year)
    pair = (int(from_year), int(to_year))
    years = {y: _year(store, y) for y in pair}
    constant = _rates_of(years, rates or load_rates(), constant_year)
    own = {y: _own_cents(years[y]["contributions"]) for y in pair}
    fixed = {y: _constant_cents(years[y]["contributions"], constant) for y in pair}
    graphs = {y: organisation_graph(store, y, y) for y in pair}
    not_converted = {str(y): int(own[y].isna().sum()) for y in pair}
    return {
        "from_year": pair[0], "to_year": pair[1],
        "partners": _partners(years),
        "money": {"own_rates": _money(years, own), "constant_rates": _money(years, fixed),
                  "constant_rates_year": constant_year,
                  "constant_rate_values": {c: str(r) for c, r in constant.items()},
                  "not_converted": not_converted},
        "brokers": _brokers(graphs, pair),
        "communities": _communities(graphs, pair),
    }


def render_markdown(diff: dict, *, top: int = 10) -> str:
    from coopgraph.money import format_cop

    a, b = diff["from_year"], diff["to_year"]
    p = diff["partners"]
    lines = [f"# Cambios {a} → {b}", "", "## Cooperantes",
             f"- Nuevos: {p['counts']['gained']}; se fueron: {p['counts']['lost']}; siguen: {p['counts']['kept']}"]
    for label, key in (("Nuevos", "gained"), ("Se fueron", "lost")):
        if p[key]:
            lines.append(f"- {label}: " + ", ".join(x["name"] for x in p[key][:top]) + (" …" if len(p[key]) > top else ""))
    titles = {"entity": "entidad", "sector": "sector", "network": "red"}
    for group, rows in p["by"].items():
        changed = [r for r in rows if r["gained"] or r["lost"]]
        if changed:
            lines += ["", f"### Por {titles[group]}", "", f"| {titles[group].capitalize()} | Nuevos | Se fueron | Siguen |",
                      "|---|---|---|---|"]
            lines += [f"| {r['name']} | {len(r['gained'])} | {len(r['lost'])} | {len(r['kept'])} |"
                      for r in sorted(changed, key=lambda r: -(len(r["gained"]) + len(r["lost"])))[:top]]
    m = diff["money"]
    rates = ", ".join(f"{c} {r}" for c, r in m["constant_rate_values"].items()) or "sin montos en otras monedas"
    lines += ["", "## Dinero (COP)", "",
              f"Tasas propias de cada año (las de cada hecho) y tasas constantes de {m['constant_rates_year']} ({rates}).", ""]
    for basis, title in (("own_rates", "tasas de cada año"), ("constant_rates", f"tasas de {m['constant_rates_year']}")):
        t = m[basis]["total"]
        lines.append(f"- Total a {title}: {format_cop(t['from_cop'])} → {format_cop(t['to_cop'])} "
                     f"({'+' if t['change_cop'] >= 0 else ''}{format_cop(t['change_cop'])})")
    names = {dim: model().kinds()[dim.replace("_", "-")].word("es")  # the kind words of graph/schema
             for dim in ("cooperant", "entity", "sector", "sdg", "pdd_objective")}
    for dimension, title in names.items():
        lines += ["", f"### Por {title.lower()}", "", f"| {title} | {a} | {b} | Cambio | Cambio a tasas de {m['constant_rates_year']} |",
                  "|---|---|---|---|---|"]
        fixed = {r["id"]: r for r in m["constant_rates"][dimension]}
        for r in m["own_rates"][dimension][:top]:
            lines.append(f"| {r['name']} | {format_cop(r['from_cop'])} | {format_cop(r['to_cop'])} | "
                         f"{format_cop(r['change_cop'])} | {format_cop(fixed[r['id']]['change_cop'])} |")
    if any(m["not_converted"].values()):
        lines.append(f"\nSin tasa (no sumados): {m['not_converted']}")
    lines += ["", "## Intermediarios (betweenness)", "", f"| Organización | Puesto {a} | Puesto {b} | Cambio |", "|---|---|---|---|"]
    for r in diff["brokers"]:
        change = "nuevo" if r["rank_from"] is None else ("salió" if r["rank_to"] is None else f"{r['rank_change']:+d}")
        lines.append(f"| {r['name']} | {r['rank_from'] or '—'} | {r['rank_to'] or '—'} | {change} |")
    c = diff["communities"]
    lines += ["", "## Comunidades", "", f"{c['from_count']} en {a}, {c['to_count']} en {b}."]
    for f in c["formed"]:
        lines.append(f"- Nueva en {b} ({f['size']}): " + ", ".join(f["members"][:8]) + (" …" if f["size"] > 8 else ""))
    for s in c["split"]:
        lines.append(f"- Se dividió la comunidad {s['community']} de {a} ({s['size']}) en "
                     + "; ".join(", ".join(p["members"][:4]) for p in s["into"]))
    return "\n".join(lines) + "\n"
