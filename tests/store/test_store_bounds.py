"""The embedded store stays bounded: identical reloads reuse space, a serving process keeps one
generation open after a reload, and a replaced file's rows go in set-based statements."""
import os
from pathlib import Path

from coopgraph.graph.store.embedded import DB_FILE, EmbeddedStore
from coopgraph.settings import Settings

from conftest import run_cli


def db_size(home: Path) -> int:
    return (home / "store" / "current").resolve().joinpath(DB_FILE).stat().st_size


def test_five_identical_reloads_stay_within_one_and_a_half_times_the_first(home):
    from coopgraph.loaders.pipeline import bundled_tables, load

    store = EmbeddedStore(Settings(home=home))
    tables = bundled_tables()
    try:
        load(store, tables)
        first = db_size(home)
        for _ in range(5):
            load(store, tables)
        assert db_size(home) <= 1.5 * first, (first, db_size(home))
    finally:
        store.close()


def open_store_files(pid: int, under: Path) -> list[str]:
    """The database files of the store under `under` that a process has open, as /proc shows them
    (deleted ones included; other tests' stores open in the same process are not counted)."""
    fd = Path(f"/proc/{pid}/fd")
    targets = []
    for link in fd.iterdir():
        try:
            target = os.readlink(link)
        except OSError:
            continue
        if DB_FILE in target and target.startswith(str(under)):
            targets.append(target)
    return sorted(set(targets))


def test_a_serving_store_holds_only_the_current_generation_after_reloads(home, tmp_path):
    assert run_cli(["load"], home).returncode == 0
    server = EmbeddedStore(Settings(home=home))  # as the API holds it
    try:
        server.read("MATCH (c:Contribution) RETURN count(c) AS n")
        export = tmp_path / "x.csv"
        assert run_cli(["export", "interactions", "-o", str(export)], home).returncode == 0
        for year in (2021, 2022):  # two loads by another process, each a new generation
            changed = tmp_path / f"x-{year}.csv"  # the same rows under other ids: new interactions
            changed.write_text(export.read_text(encoding="utf-8").replace("informe-2024/", f"otro-{year}/"),
                               encoding="utf-8")
            assert run_cli(["load", str(changed)], home).returncode == 0
            rows = server.read("MATCH (c:Contribution) RETURN count(c) AS n")
            assert server.open_generations() == [server.current_generation()]
            files = open_store_files(os.getpid(), Path(home))
            assert files == [str(server.current_generation() / DB_FILE)], files
        assert rows[0]["n"] == 3 * 78
    finally:
        server.close()
