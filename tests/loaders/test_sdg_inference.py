"""ODS of each Tabla 5 contribution, inferred from Tabla 1's counts and amounts alone."""
import random
import time
from collections import Counter
from decimal import Decimal
from itertools import combinations

import pandas as pd
import pytest

from coopgraph.loaders.pipeline import bundled_tables
from coopgraph.loaders.sdg_inference import infer_sdgs, subsets_with_sum


@pytest.fixture(scope="module")
def tables():
    return bundled_tables()


@pytest.fixture(scope="module")
def inferred(tables):
    started = time.perf_counter()
    result = infer_sdgs(tables["sdg"], tables["contributions"])
    assert time.perf_counter() - started < 20
    return result.merge(tables["contributions"][["row", "cooperant", "total_cop"]], on="row")


@pytest.mark.parametrize("sdg, amount, cooperant", [
    (13, "12072485118.00", "METRÓPOLIS"),
    (1, "2690952000.00", "BID"),
    (3, "49123200.00", "DEPARTAMENTO DE ESTADO"),
    (7, "7600000.00", "ONU MUJERES"),
    (10, "1098039995.00", "ACDI VOCA"),
])
def test_single_contribution_sdgs_get_the_row_with_their_amount(inferred, sdg, amount, cooperant):
    in_sdg = inferred[inferred.sdg == sdg]
    assert len(in_sdg) == 1
    row = in_sdg.iloc[0]
    assert row.total_cop == Decimal(amount)
    assert cooperant in row.cooperant
    assert row.candidates == [sdg]
    assert row.reason.startswith("Única asignación compatible con Tabla 1")


def test_determined_rows_never_contradict_tabla_1(tables, inferred):
    determined = inferred[inferred.sdg.notna()]
    counts = Counter(determined.sdg)
    for _, stated in tables["sdg"].iterrows():
        assert counts[stated.sdg] <= stated.interactions_monetary
        if counts[stated.sdg] == stated.interactions_monetary:
            amount = sum(determined[determined.sdg == stated.sdg].total_cop, Decimal(0))
            assert amount == stated.total_cop, f"ODS {stated.sdg}"


def test_at_least_one_assignment_fits_tabla_1(inferred):
    assert (inferred.solutions >= 1).all()
    assert inferred.solutions.nunique() == 1


def test_tabla_1_pins_every_contribution_to_one_sdg(inferred):
    """Found: exactly one assignment fits, so all 62 rows are determined; the two pairs of
    equal amounts (rows 9/25, 21/26) both sit in ODS 17, so swapping them changes nothing."""
    assert len(inferred) == 62
    assert inferred.solutions.iloc[0] == 1
    assert inferred.sdg.isna().sum() == 0
    members = {sdg: sorted(rows) for sdg, rows in inferred.groupby("sdg").row}
    assert members[11] == [41, 42, 45, 46, 47, 48, 49, 50, 51]
    assert members[4] == [37, 38, 39, 40, 52, 61]
    assert members[5] == [3, 55, 57, 58, 59]
    assert members[16] == [1, 2, 43, 44]
    assert members[8] == [28, 62]
    assert len(members[17]) == 31 and {9, 25, 21, 26} <= set(members[17])
    assert isinstance(inferred.sdg.iloc[0], int)


def test_equal_amounts_that_can_swap_sdgs_are_both_undetermined():
    sdg = pd.DataFrame({"sdg": [1, 2], "interactions_monetary": [2, 2],
                        "total_cop": [Decimal("8.00"), Decimal("7.00")]})
    contributions = pd.DataFrame({"row": [1, 2, 3, 4],
                                  "total_cop": [Decimal("5.00"), Decimal("5.00"), Decimal("3.00"), Decimal("2.00")]})
    result = infer_sdgs(sdg, contributions).set_index("row")
    assert (result.solutions == 2).all()
    assert result.sdg[1] is None and result.sdg[2] is None
    assert result.candidates[1] == [1, 2]
    assert result.reason[1] == "Indeterminado: compatible con ODS 1 y 2 (montos iguales intercambiables con la fila 2)"
    assert result.sdg[3] == 1 and result.sdg[4] == 2
    assert result.reason[3].startswith("Igual en las 2 asignaciones compatibles con Tabla 1")


def test_subset_search_matches_brute_force():
    rng = random.Random(2024)
    for _ in range(300):
        amounts = sorted(rng.choice([0, 1, 2, 3, 5, 8, 13, 20]) for _ in range(rng.randint(0, 10)))
        k = rng.randint(0, len(amounts))
        target = rng.randint(0, 40)
        expected = {c for c in combinations(range(len(amounts)), k) if sum(amounts[i] for i in c) == target}
        found = subsets_with_sum(amounts, k, target)
        assert len(found) == len(set(found)) and set(found) == expected, (amounts, k, target)
