"""Names are data, never markup: a GLOBO file whose names carry rich markup and terminal links, and
whose descriptions carry ANSI escapes and right-to-left overrides, loads, and every CLI command that
prints them shows them as text — no traceback, no live link, no colour or direction taken from data.
(The loader refuses escapes and direction characters in a cooperant's name: test_hostile_files.)"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import run_cli

NAMES = {
    "markup": "ACME RICH [/bold]",
    "link": "[link=http://evil.example]FUNDACIÓN CLIC[/link]",
    "ansi": "ROJO COOPERANTE",
    "rtl": "BANCO EXE.FDP",
    "markdown": "[ALIADO](http://evil.example) **GRANDE**",
}
# free text may hold what a name may not: it reaches the terminal through an analyst's query
DESCRIPTIONS = {**NAMES, "ansi": "\x1b[31mROJO\x1b[0m COOPERANTE", "rtl": "BANCO \u202eEXE.FDP"}
ANSI, RTL = DESCRIPTIONS["ansi"], DESCRIPTIONS["rtl"]
# what a terminal must never receive from a name
FORBIDDEN = ["\x1b]8;", "\x1b[31mROJO", "\u202e", "MarkupError", "Traceback"]
TERMINAL = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "200"}  # rich styles as on a terminal


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("names-home")
    source = home / "globo-nombres.csv"
    names = list(NAMES.values())
    pd.DataFrame({"id_interaccion": [f"N-{i}" for i in range(len(names))], "año": ["2024"] * len(names),
                  "entidad_distrital": ["SECRETARÍA DISTRITAL DE MOVILIDAD"] * len(names), "cooperante": names,
                  "monetario": ["Sí"] * len(names), "aporte_cooperante": ["9.000.000.000,00"] * len(names),
                  "moneda": ["COP"] * len(names), "descripcion": list(DESCRIPTIONS.values())}).to_csv(source, index=False)
    loaded = run_cli(["load", str(source)], home)
    assert loaded.returncode == 0, loaded.stderr
    return home


def _ids(home) -> dict[str, str]:
    found = json.loads(run_cli(["search", "ACME", "--json"], home).stdout)
    return {"markup": next(h["id"] for h in found if "ACME" in h["name"])}


def _shown(result) -> str:
    text = result.stdout + result.stderr
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} reached the terminal"
    return text


@pytest.mark.parametrize("args", [
    ["search", "ACME"], ["search", "CLIC"], ["search", "ROJO"], ["search", "BANCO"],
    ["query", "top_cooperants_by_amount", "-p", "limit=10"], ["query", "top_cooperants_by_entities", "-p", "limit=400"],
    ["query", "--cypher", "RETURN '[/bold]' AS x, '[link=http://evil.example]x[/link]' AS y"],
    ["query", "--cypher", "MATCH (o:Cooperant) WHERE o.name CONTAINS 'ROJO' RETURN o.name AS nombre"],
    ["query", "--cypher", f"RETURN '{ANSI}' AS rojo, '{RTL}' AS banco"],
    ["query", "--cypher", "MATCH (c:Contribution) WHERE c.description CONTAINS 'ROJO' OR c.description CONTAINS 'BANCO' "
                          "RETURN c.description AS descripcion"],
    ["prospect", "--for", "entity:sdm"], ["analyze"], ["summary"],
])
def test_every_command_shows_hostile_names_as_text(hostile_home, args):
    result = run_cli(args, hostile_home, env=TERMINAL)
    assert result.returncode == 0, result.stderr[-2000:]
    _shown(result)


def test_names_come_through_literally(hostile_home):
    shown = _shown(run_cli(["query", "top_cooperants_by_amount", "-p", "limit=10"], hostile_home, env=TERMINAL))
    assert "ACME RICH [/bold]" in shown and "[link=http://evil.example]FUNDACIÓN CLIC[/link]" in shown
    assert "ROJO" in shown and "EXE.FDP" in shown
    literal = _shown(run_cli(["query", "--cypher", "RETURN '[/bold]' AS x"], hostile_home, env=TERMINAL))
    assert "[/bold]" in literal


def test_a_ficha_and_sources_of_a_hostile_name(hostile_home):
    ids = _ids(hostile_home)
    shown = _shown(run_cli(["profile", "cooperant", ids["markup"]], hostile_home, env=TERMINAL))
    assert "ACME RICH [/bold]" in shown
    _shown(run_cli(["sources", f"cooperant:{ids['markup']}"], hostile_home, env=TERMINAL))


def test_an_error_naming_a_hostile_value_is_one_line(hostile_home, tmp_path):
    bad = tmp_path / "malo.csv"
    pd.DataFrame({"id_interaccion": ["M-1"], "año": ["[/bold]\x1b]8;;http://x\x1b\\"], "entidad_distrital": ["SDM"],
                  "cooperante": ["X"]}).to_csv(bad, index=False)
    result = run_cli(["load", str(bad)], hostile_home, env=TERMINAL)
    assert result.returncode != 0
    _shown(result)
    assert "[/bold]" in result.stderr  # the value is named as it was written
