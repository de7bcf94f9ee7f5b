"""Seeded fuzzing of the loader (tests/support/badfiles.py): every bad class refused with a clear error
naming the file and line, no traceback, the store untouched; every good class loaded. A bounded
number of cases here; bench/bench_fuzz.py runs a thousand. COOPGRAPH_FUZZ_SEED picks another seed."""
import os

import pytest

from badfiles import BAD_CLASSES, GOOD_CLASSES, generate, run_case

SEED = int(os.environ.get("COOPGRAPH_FUZZ_SEED", "13"))
CASES = 48


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    from coopgraph.graph.store.embedded import EmbeddedStore
    from coopgraph.loaders.pipeline import bundled_tables, load
    from coopgraph.settings import Settings

    tmp = tmp_path_factory.mktemp("fuzz")
    store = EmbeddedStore(Settings(home=tmp / "home"))
    load(store, bundled_tables())
    cases = generate(SEED, CASES)
    seen = {c.kind for c in cases}
    for c in generate(SEED + 1, 300):  # every class at least once, whatever the seed draws
        if c.kind not in seen:
            cases.append(c)
            seen.add(c.kind)
    try:
        yield [(case, run_case(store, case, tmp)) for case in cases]
    finally:
        store.close()


def test_every_class_is_exercised(outcomes):
    assert {case.kind for case, _ in outcomes} == set(BAD_CLASSES) | set(GOOD_CLASSES)


def test_bad_files_are_refused_clearly_and_change_nothing(outcomes):
    failures = [(case.kind, o.result, o.message[:200]) for case, o in outcomes
                if case.bad and (o.result != "clear error" or o.store_changed)]
    assert failures == []


def test_bad_row_errors_name_the_line(outcomes):
    for case, o in outcomes:
        if case.bad and case.kind != "duplicated header":
            assert ", line " in o.message, (case.kind, o.message)


def test_good_files_load(outcomes):
    assert [(case.kind, o.message[:200]) for case, o in outcomes if not case.bad and o.result != "loaded"] == []
