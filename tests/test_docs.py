"""Docs that fail when stale: the README's two commands, CI, settings and commands documented."""
import re

from coopgraph.cli import app
from coopgraph.settings import Settings

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    first_screen = README.split("## Commands")[0]
    return re.findall(r"```sh\n(.+?)\n```", first_screen)


def test_readme_gives_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert "coopgraph serve" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"`COOPGRAPH_{name.upper()}`" in README, f"COOPGRAPH_{name.upper()} is not in the README"


def test_every_command_is_documented():
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"`coopgraph {name}" in README, f"coopgraph {name} is not in the README"


def test_every_interaction_column_is_documented():
    from coopgraph.loaders.interaction_schema import COLUMNS

    doc = (ROOT / "docs" / "interactions.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.name}` | `{column.english}` |" in doc, column.name
