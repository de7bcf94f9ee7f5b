"""Maps draw what the report states apart from what coopgraph derived: solid, dashed and dotted links,
a legend that says so and hides each kind, in a real headless Chromium."""
from __future__ import annotations

import pytest

from browser import browser  # noqa: F401  (the fixture)
from coopgraph.viz import render_map


@pytest.fixture(scope="module")
def ego_pages(loaded_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("provenance-maps")
    out = {}
    # ODS 13: its contributions' ODS is derived (Tabla 1's unique assignment); PDD objective 4 states its ODS
    for name, spec in {"sdg13": dict(view="ego", id="sdg:13"), "madrid": dict(view="ego", id="cooperant:ayuntamiento-madrid"),
                       "sdg13-en": dict(view="ego", id="sdg:13", lang="en")}.items():
        path = folder / f"{name}.html"
        path.write_text(render_map(loaded_store, spec.pop("view"), **spec), encoding="utf-8")
        out[name] = path
    return out


def edges_by(browser, legend: str) -> list[dict]:  # noqa: F811
    return browser.js("return coopgraph.edges.get().filter(e => e.legend === arguments[0])"
                      ".map(e => ({from: e.from, to: e.to, dashes: e.dashes}))", legend)


def test_derived_links_are_dashed_and_the_legend_says_so(browser, ego_pages):  # noqa: F811
    browser.open(ego_pages["sdg13"])
    derived = edges_by(browser, "basis-derived")
    stated = edges_by(browser, "basis-stated")
    # cooperants and entities reach ODS 13 through contributions whose ODS Tabla 1 only implies
    assert derived and all(isinstance(e["dashes"], list) and e["dashes"][0] >= 9 for e in derived)
    ends = {e["from"] for e in derived} | {e["to"] for e in derived}
    assert "entity:sdm" in ends and any(n.endswith(":metropolis") for n in ends)  # Metrópolis: a network and a cooperant
    # section 2 states that PDD objective 4 advances ODS 13: a solid line
    assert any({e["from"], e["to"]} == {"pdd-objective:pdd-2024-obj-4", "sdg:13"} for e in stated)
    assert all(e["dashes"] is False for e in stated)
    legend = browser.js("return Array.from(document.querySelectorAll('#link-legend .legend-item'))"
                        ".map(b => [b.dataset.legend, b.querySelector('.legend-label').textContent])")
    labels = dict(legend)
    assert labels == {"basis-stated": "Lo dice el informe", "basis-derived": "Deducido por coopgraph"}
    hint = browser.js("return document.getElementById('links-hint').textContent")
    assert "Discontinua: coopgraph lo dedujo (el ODS o el objetivo PDD de cada aporte" in hint
    assert browser.js("return getComputedStyle(document.querySelector('#link-legend .line-dashed')).borderTopStyle") == "dashed"
    browser.js("document.getElementById('link-legend').scrollIntoView()")
    browser.screenshot("map-provenance-sdg13.png")

    before = browser.js("return coopgraph.visible()")
    browser.js("document.querySelector('.legend-item[data-legend=\"basis-derived\"]').click()")
    after = browser.js("return coopgraph.visible()")
    assert after["edges"] == before["edges"] - len(derived)
    assert browser.js("return coopgraph.edgeView.get().every(e => e.legend !== 'basis-derived')")
    browser.screenshot("map-provenance-sdg13-stated-only.png")
    browser.js("coopgraph.reset()")
    assert browser.js("return coopgraph.visible()") == before
    assert browser.severe_logs() == []


def test_a_host_city_as_participant_is_dashed(browser, ego_pages):  # noqa: F811
    browser.open(ego_pages["madrid"])
    derived = edges_by(browser, "basis-derived")
    assert "engagement:ucci-programa-iberoamericano-formacion-47" in {e["from"] for e in derived} | {e["to"] for e in derived}
    stated = edges_by(browser, "basis-stated")
    assert "engagement:ucci-destinos-conectados-ia" in {e["from"] for e in stated} | {e["to"] for e in stated}
    tip = browser.js("return coopgraph.edges.get().find(e => e.legend === 'basis-derived').title")
    assert "Deducido por coopgraph" in tip
    browser.screenshot("map-provenance-madrid.png")


def test_the_english_legend(browser, ego_pages):  # noqa: F811
    browser.open(ego_pages["sdg13-en"])
    labels = browser.js("return Array.from(document.querySelectorAll('#link-legend .legend-label')).map(e => e.textContent)")
    assert "Derived by coopgraph" in labels
    assert "Dashed: coopgraph derived it" in browser.js("return document.getElementById('links-hint').textContent")
