"""`coopgraph check`: the report's stated totals against its rows, slips listed, exit 0."""
from decimal import Decimal

from coopgraph.loaders.pipeline import bundled_tables
from coopgraph.loaders.reconcile import OK, ROUNDING, SLIP, reconcile

from conftest import run_cli


def by_id():
    return {row.claim_id: row for row in reconcile(bundled_tables())}


def test_tables_totals_match_their_rows():
    rows = by_id()
    for claim in ("tabla-1.interactions", "tabla-1.total", "tabla-2.interactions", "tabla-3.interactions",
                  "tabla-5.cooperant", "tabla-5.counterpart", "tabla-5.total", "seccion-2.total",
                  "cruce.monetarias", "tabla-5.rows"):
        assert rows[claim].status == OK, rows[claim]


def test_the_narrative_cooperant_total_is_a_slip():
    row = by_id()["seccion-4.cooperant"]
    assert row.status == SLIP
    assert row.stated == Decimal("23969094049.50")
    assert row.computed == Decimal("23969094079.50")


def test_tabla_4_subtotal_off_by_rounding():
    row = by_id()["tabla-4.subtotal.diplomacia-de-ciudad-y-posicionamiento"]
    assert (row.stated, row.computed, row.status) == (Decimal(3853), Decimal(3854), ROUNDING)


def test_cli_prints_the_table_and_the_slips(home):
    result = run_cli(["check"], home)
    assert result.returncode == 0, result.stderr
    assert "Conciliación del informe" in result.stdout
    assert "23.969.094.049,50" in result.stdout and "23.969.094.079,50" in result.stdout
    assert "diferencias del informe" in result.stdout
