"""Amounts in other currencies on their facts, and the two totals: the report's, and all cooperation in COP.

The expected figures are computed here from the curated engagements, the bundled TRM CSV (with
pandas) and the ECB rates, independently of coopgraph's rate module and store.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import yaml

from conftest import ROOT, run_cli
from rates_by_hand import daily_trm, year_average

REPORT_TOTAL = Decimal("34055833247.50")


def _expected_2024() -> tuple[Decimal, dict]:
    trm = daily_trm()
    usd_avg, eur_avg = year_average("USD", 2024), year_average("EUR", 2024)
    engagements = yaml.safe_load((ROOT / "data" / "curated" / "engagements.yaml").read_text())["engagements"]
    cop = {}
    for e in engagements:
        if not e.get("amount") or e.get("currency") in (None, "COP") or e.get("counted_in"):
            continue
        start = str(e.get("start") or "2024")
        if len(start) == 10:
            rate = trm[date.fromisoformat(start)]
        else:
            assert start == "2024", e["engagement_id"]
            rate = usd_avg if e["currency"] == "USD" else eur_avg
        cop[e["engagement_id"]] = (Decimal(e["amount"]) * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return REPORT_TOTAL + sum(cop.values()), cop


def test_the_report_figures_stay_and_all_cooperation_adds_the_converted_network_money(loaded_home):
    result = run_cli(["summary", "--json"], loaded_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout, parse_float=Decimal)
    assert data["total_cop"] == REPORT_TOTAL and data["total_cop_is"] == "report"
    every = data["all_cooperation"]
    assert every["report_total_cop"] == REPORT_TOTAL
    total, cop = _expected_2024()
    assert {e["id"]: e["cop"] for e in every["engagements"]} == cop
    assert every["total_cop"] == total == Decimal("40366241192.58")
    breathe = next(e for e in every["engagements"] if e["id"] == "breathe-cities-bogota")
    assert (breathe["rate"], breathe["rate_basis"], breathe["rate_date"]) == ("3927.91", "date", "2024-06-06")
    # CIDEU's 7 listed activities are inside its 18.660 EUR: listed, not added twice
    assert {e["counted_in"] for e in every["counted_elsewhere"]} == {"cideu-proyectos-2024"}
    assert sum(e["amount"] for e in every["counted_elsewhere"]) == Decimal("6780.00")
    text = run_cli(["summary"], loaded_home).stdout
    assert "$ 34.055.833.247,50" in text and "$ 40.366.241.192,58" in text and "cifras del informe" in text
    assert "US$ 1.000.000,00" in text and "3.927,91" in text
    analysis = json.loads(run_cli(["analyze", "--json"], loaded_home).stdout)
    assert analysis["meta"]["money"]["total_cents"] == 3405583324750 and analysis["meta"]["money"]["total_is"] == "report"
    assert analysis["all_cooperation"]["total_cents"] == 4036624119258
    report = run_cli(["analyze", "--markdown"], loaded_home).stdout
    assert "## Dos totales" in report and "$ 40.366.241.192,58" in report and "$ 34.055.833.247,50" in report


def test_every_converted_fact_carries_amount_currency_rate_date_and_source(loaded_store):
    rows = loaded_store.read("MATCH (g:Engagement) WHERE g.amount_cents IS NOT NULL AND g.currency <> 'COP' "
                             "RETURN g.id AS id, g.amount_cents AS amount, g.currency AS currency, g.cop_cents AS cop, "
                             "g.rate AS rate, g.rate_basis AS basis, g.rate_date AS day, g.rate_source AS source, "
                             "g.rate_policy AS policy")
    assert len(rows) == 15  # 8 in USD, 7 CIDEU lines and the CIDEU total in EUR
    for r in rows:
        assert r["currency"] in ("USD", "EUR") and r["rate"] and r["day"] and r["policy"] == "date", r
        assert r["basis"] in ("date", "period-average") and ("TRM" in r["source"]), r
        assert ("BCE" in r["source"]) == (r["currency"] == "EUR"), r
        assert r["cop"] == int((Decimal(r["amount"]) * Decimal(r["rate"])).quantize(Decimal("1"), ROUND_HALF_UP)), r


def test_the_rate_policy_is_chosen_at_load_and_written_on_the_fact(home):
    result = run_cli(["load", "--rate-policy", "period-end"], home)
    assert result.returncode == 0, result.stderr
    summary = json.loads(run_cli(["summary", "--json"], home).stdout, parse_float=Decimal)
    breathe = next(e for e in summary["all_cooperation"]["engagements"] if e["id"] == "breathe-cities-bogota")
    assert (breathe["rate"], breathe["rate_basis"], breathe["rate_date"]) == ("4409.15", "period-end", "2024-12-31")
    assert breathe["cop"] == Decimal("4409150000.00")
    assert summary["total_cop"] == REPORT_TOTAL
    bad = run_cli(["load", "--rate-policy", "nearest"], home)
    assert bad.returncode == 1 and "unknown rate policy 'nearest'" in bad.stderr and "Traceback" not in bad.stderr


def test_file_amounts_in_other_currencies_are_converted_per_year_or_listed_without_a_rate(home, tmp_path):
    path = tmp_path / "usd.csv"
    path.write_text("id_interaccion,año,entidad_distrital,cooperante,monetario,aporte_cooperante,moneda\n"
                    "A,2024,SDA,C40,Sí,1000.00,USD\nB,2024,SDA,BID,Sí,2000000.00,COP\n"
                    "C,2025,SDA,C40,Sí,500.00,USD\n", encoding="utf-8")
    result = run_cli(["load", str(path)], home)
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli(["summary", "--json"], home).stdout, parse_float=Decimal)
    every = data["all_cooperation"]
    assert data["total_cop"] == every["report_total_cop"] == Decimal("2000000.00")
    [usd] = every["contributions"]
    assert (usd["currency"], usd["year"], usd["rate"], usd["rate_basis"]) == ("USD", 2024, "4071.3453", "period-average")
    assert usd["cop"] == Decimal("4071345.30")
    [missing] = every["not_converted"]
    assert missing["year"] == 2025 and "no 2025 average for USD" in missing["reason"]
    assert every["converted_contributions_cop"] == Decimal("4071345.30")
    # the curated network engagements come with every load: they are added too
    assert every["total_cop"] == Decimal("2000000.00") + Decimal("4071345.30") + sum(e["cop"] for e in every["engagements"])


from browser import browser  # noqa: E402,F401  (the fixture)


def test_map_tooltips_show_the_original_amount_and_its_cop_value_with_the_rate(browser, loaded_home, tmp_path):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains

    page = tmp_path / "ego-c40.html"
    result = run_cli(["map", "ego", "--id", "network:c40", "--out", str(page)], loaded_home)
    assert result.returncode == 0, result.stderr
    browser.open(page)
    node = "engagement:breathe-cities-bogota"
    title = browser.js("return coopgraph.nodes.get(arguments[0]).title", node)
    assert "Monto: US$ 1.000.000,00" in title
    assert "En COP: $ 3.927.910.000,00 (tasa 3.927,91, TRM del 2024-06-06)" in title
    cideu = run_cli(["map", "ego", "--id", "network:cideu", "--out", str(tmp_path / "cideu.html")], loaded_home)
    assert cideu.returncode == 0, cideu.stderr
    # hover the node so the screenshot shows the tooltip a strategist sees
    browser.js("coopgraph.network.focus(arguments[0], {scale: 1.4, animation: false})", node)
    spot = browser.js("var p = coopgraph.network.canvasToDOM(coopgraph.network.getPosition(arguments[0]));"
                      "var r = document.querySelector('#map canvas').getBoundingClientRect();"
                      "return [p.x, p.y, r.width, r.height];", node)
    canvas = browser.driver.find_element("css selector", "#map canvas")
    ActionChains(browser.driver).move_to_element_with_offset(canvas, int(spot[0] - spot[2] / 2),
                                                             int(spot[1] - spot[3] / 2)).perform()
    browser.driver.implicitly_wait(0)
    import time

    time.sleep(0.8)
    browser.screenshot("tooltip-breathe-cities.png")
    shown = browser.js("var t = document.querySelector('.vis-tooltip'); return t && t.style.visibility !== 'hidden' ? t.innerText : ''")
    assert "3.927.910.000,00" in shown
    assert browser.severe_logs() == [] and browser.external_requests() == []


def test_the_flow_chart_states_both_totals(browser, loaded_home, tmp_path):  # noqa: F811
    page = tmp_path / "flujos.html"
    assert run_cli(["map", "flows", "--out", str(page)], loaded_home).returncode == 0
    browser.open(page)
    notes = browser.js("return document.body.innerText").replace("\u00a0", " ")
    assert "cifras declaradas en COP ($ 34.055.833.247,50)" in notes
    assert "Toda la cooperación en COP, con 8 montos en otras monedas convertidos a la tasa de cada uno: $ 40.366.241.192,58" in notes
    browser.screenshot("flows-two-totals.png")
