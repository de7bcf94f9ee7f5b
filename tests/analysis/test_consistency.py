"""One figure, one number: every surface that shows a figure shows the same one, and the report's.

Each surface in tests/support/consistency.py declares the figures it shows as {(kind, id, figure): value};
here each is compared with the oracle (pandas over the bundled CSVs and curated files) and with
every other surface showing the same key — on the embedded store and on the live Neo4j.
"""
from __future__ import annotations

import itertools

import pytest

from consistency import NEO4J_SURFACES, SURFACES, disagreements, oracle


@pytest.fixture(scope="module")
def expected():
    return oracle()


@pytest.fixture(scope="module")
def shown(loaded_store):
    return {name: fn(loaded_store) for name, fn in SURFACES.items()}


def test_the_oracle_holds_the_reports_headline_figures(expected):
    assert expected[("all", "", "contributions")] == 62
    assert expected[("all", "", "total_cents")] == 3405583324750  # $ 34.055.833.247,50
    assert expected[("all", "", "interactions")] == 607
    assert expected[("network", "metropolis", "channelled_cents")] == 1207248511800  # Tabla 5
    assert expected[("network", "cideu", "amount_EUR")] == 1866000  # € 18.660, the 7 activities inside it
    assert expected[("network", "c40", "engagements")] == 17


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_each_surface_agrees_with_the_oracle(name, shown, expected):
    figures = shown[name]
    assert figures, f"{name} declares no figure"
    wrong = disagreements(figures, expected)
    assert not wrong, f"{name} disagrees with the report on {len(wrong)} figures:\n" + "\n".join(wrong[:20])


@pytest.mark.parametrize("left,right", list(itertools.combinations(sorted(SURFACES), 2)))
def test_surfaces_agree_with_each_other(left, right, shown):
    wrong = disagreements(shown[left], shown[right])
    assert not wrong, f"{left} and {right} disagree on {len(wrong)} figures:\n" + "\n".join(wrong[:20])


def test_every_figure_kind_is_checked_against_the_oracle(shown, expected):
    """A surface's figure the oracle does not know is still held to the other surfaces; the kinds of
    figure the suite covers stay covered."""
    checked = {(k[0], k[2]) for figures in shown.values() for k in set(figures) & set(expected)}
    for need in [("network", "engagements"), ("network", "events"), ("network", "channelled_cents"),
                 ("network", "amount_EUR"), ("cooperant", "contributions"), ("cooperant", "total_cents"),
                 ("cooperant", "interactions"), ("entity", "total_cents"), ("entity", "interactions"),
                 ("sector", "total_cents"), ("sdg", "interactions"), ("all", "contributions"),
                 ("cooperant", "group"), ("engagement", "amount_USD"), ("engagement", "amount_EUR"),
                 ("pdd-objective", "contributions"), ("pdd-objective", "total_cents"), ("sdg", "total_cents"),
                 ("sector", "contributions"), ("country", "total_cents"), ("country", "interactions"),
                 ("region", "total_cents"), ("region", "interactions"), ("cooperant-kind", "total_cents"),
                 ("cooperant-kind", "interactions"), ("iati-type", "total_cents"), ("iati-type", "interactions")]:
        assert need in checked, need


def test_unlinked_cooperants_are_counted_once(shown):
    values = {name: f[("all", "", "unlinked_cooperants")] for name, f in shown.items()
              if ("all", "", "unlinked_cooperants") in f}
    assert len(values) >= 2 and len(set(values.values())) == 1, values
    assert set(values.values()) == {200}  # Ciudad del Cabo and San José took part in events (lines 961, 1013)


@pytest.mark.parametrize("name", sorted(NEO4J_SURFACES))
def test_each_surface_agrees_with_the_oracle_on_neo4j(name, neo4j_loaded, expected):
    figures = SURFACES[name](neo4j_loaded)
    wrong = disagreements(figures, expected)
    assert not wrong, f"{name} on Neo4j disagrees on {len(wrong)} figures:\n" + "\n".join(wrong[:20])
