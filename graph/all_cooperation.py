"""Two totals, never mixed: the figures as stated in COP, and all cooperation in COP.

The first is the report's (or a loaded file's) own total of contributions stated in COP —
for 2024, Tabla 5's $ 34.055.833.247,50 — and stays exactly as stated. The second adds what is
stated in other currencies, each at the rate written on its fact (see loaders/in_cop.py):
contributions of loaded files in USD or EUR, and the engagements the networks' sections report
(Breathe Cities, ZUMA, Foncarga, PIMI, CIDEU…). An engagement whose amount is already inside
another's (`counted_in`) is listed but not added twice; an amount without a rate is listed and
not added.
"""
from __future__ import annotations

from decimal import Decimal

from coopgraph.money import from_cents

REPORT_LABEL = {"es": "Cifras del informe: aportes declarados en COP",
                "en": "The report's figures: contributions stated in COP"}
ALL_LABEL = {"es": "Toda la cooperación en COP (incluye montos en otras monedas convertidos)",
             "en": "All cooperation in COP (amounts in other currencies converted)"}

_STATED = """
MATCH (c:Contribution) WHERE c.year >= $from_year AND c.year <= $to_year
RETURN coalesce(sum(CASE WHEN c.currency = 'COP' THEN c.total_cents ELSE 0 END), 0) AS total_cents
"""
_FOREIGN_CONTRIBUTIONS = """
MATCH (c:Contribution) WHERE c.year >= $from_year AND c.year <= $to_year AND c.currency <> 'COP'
RETURN c.currency AS currency, c.year AS year, c.rate AS rate, c.rate_basis AS rate_basis, c.rate_date AS rate_date,
       c.rate_source AS rate_source, c.rate_missing AS rate_missing, count(c) AS contributions,
       sum(c.total_cents) AS amount_cents, sum(c.cop_total_cents) AS cop_cents
"""
_ENGAGEMENTS = """
MATCH (g:Engagement) WHERE g.amount_cents IS NOT NULL AND g.currency IS NOT NULL
  AND g.year >= $from_year AND g.year <= $to_year
OPTIONAL MATCH (g)-[:UNDER_NETWORK]->(n:CityNetwork)
RETURN g.id AS id, g.name AS name, g.year AS year, n.id AS network_id, n.name AS network, g.currency AS currency,
       g.amount_cents AS amount_cents, g.cop_cents AS cop_cents, g.rate AS rate, g.rate_basis AS rate_basis,
       g.rate_date AS rate_date, g.rate_source AS rate_source, g.rate_policy AS rate_policy,
       g.rate_missing AS rate_missing, g.counted_in AS counted_in
ORDER BY g.cop_cents DESC, g.id
"""


def _amount(cents) -> Decimal:
    return from_cents(int(cents or 0))


def all_cooperation(store, from_year: int = 0, to_year: int = 9999) -> dict:
    years = {"from_year": from_year, "to_year": to_year}
    stated = from_cents(store.read(_STATED, years)[0]["total_cents"])
    engagements, counted_elsewhere, missing = [], [], []
    for r in store.read(_ENGAGEMENTS, years):
        if r["currency"] == "COP":
            continue
        item = {"id": r["id"], "name": r["name"], "year": r["year"], "network_id": r["network_id"],
                "network": r["network"], "amount": _amount(r["amount_cents"]), "currency": r["currency"],
                "cop": None if r["cop_cents"] is None else _amount(r["cop_cents"]), "rate": r["rate"],
                "rate_basis": r["rate_basis"], "rate_date": r["rate_date"], "rate_source": r["rate_source"]}
        if r["rate_missing"]:
            missing.append({**item, "reason": r["rate_missing"]})
        elif r["counted_in"]:
            counted_elsewhere.append({**item, "counted_in": r["counted_in"]})
        else:
            engagements.append(item)
    contributions = []
    for r in sorted(store.read(_FOREIGN_CONTRIBUTIONS, years), key=lambda r: (r["year"], r["currency"])):
        item = {"currency": r["currency"], "year": r["year"], "contributions": int(r["contributions"]),
                "amount": _amount(r["amount_cents"]), "cop": None if r["rate_missing"] else _amount(r["cop_cents"]),
                "rate": r["rate"], "rate_basis": r["rate_basis"], "rate_date": r["rate_date"],
                "rate_source": r["rate_source"]}
        (missing if r["rate_missing"] else contributions).append(item if not r["rate_missing"] else {**item, "reason": r["rate_missing"]})
    converted_engagements = sum((e["cop"] for e in engagements), Decimal("0.00"))
    converted_contributions = sum((c["cop"] for c in contributions), Decimal("0.00"))
    return {
        "report_total_cop": stated,
        "report_label": REPORT_LABEL,
        "converted_contributions_cop": converted_contributions,
        "converted_engagements_cop": converted_engagements,
        "total_cop": stated + converted_contributions + converted_engagements,
        "label": ALL_LABEL,
        "engagements": engagements,
        "contributions": contributions,
        "counted_elsewhere": counted_elsewhere,
        "not_converted": missing,
    }


def in_cents(data):
    """The same answer with money as integer centavos (`x_cop` → `x_cents`, `amount` → `amount_cents`),
    as `coopgraph analyze` writes money: plain JSON, exact."""
    if isinstance(data, list):
        return [in_cents(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if isinstance(value, Decimal):
            out[(key[:-4] if key.endswith("_cop") else key) + "_cents"] = int(value * 100)
        else:
            out[key] = in_cents(value)
    return out


def _in_pesos(data):
    if isinstance(data, list):
        return [_in_pesos(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key.endswith("_cents") and isinstance(value, int):
            name = key[:-6]
            out[name if name in ("amount", "cop") else name + "_cop"] = from_cents(value)
        else:
            out[key] = _in_pesos(value)
    return out


def markdown(data: dict, lang: str = "es") -> list[str]:
    """Lines of Markdown: both totals and what was converted, at which rate (money in pesos or in cents)."""
    from coopgraph.money import format_amount, format_cop, format_rate

    if "total_cents" in data:
        data = _in_pesos(data)
    es = lang == "es"
    lines = [f"- **{data['report_label'][lang]}**: {format_cop(data['report_total_cop'])}",
             f"- **{data['label'][lang]}**: {format_cop(data['total_cop'])}"]
    rows = [(e["name"], format_amount(e['amount'], e['currency']), format_cop(e["cop"]), format_rate(Decimal(e["rate"])),
             f"{e['rate_basis']} {e['rate_date']}") for e in data["engagements"]]
    rows += [(f"{c['contributions']} {'aportes' if es else 'contributions'} {c['year']}", format_amount(c['amount'], c['currency']),
              format_cop(c["cop"]), format_rate(Decimal(c["rate"])), f"{c['rate_basis']} {c['rate_date']}")
             for c in data["contributions"]]
    if rows:
        head = ("Convertido", "Monto", "En COP", "Tasa (COP por unidad)", "Base") if es else \
            ("Converted", "Amount", "In COP", "Rate (COP per unit)", "Basis")
        lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines.append("")
    for e in data["counted_elsewhere"]:
        lines.append(f"- {e['name']} ({format_amount(e['amount'], e['currency'])}): "
                     + (f"ya incluido en {e['counted_in']}" if es else f"already inside {e['counted_in']}"))
    for m in data["not_converted"]:
        lines.append(f"- {m.get('name') or m['currency']}: " + ("sin convertir" if es else "not converted") + f" — {m['reason']}")
    return lines
