"""Every user mistake on the command line is one clear line on stderr and a non-zero exit, never a traceback."""
import pytest

from conftest import run_cli

MISTAKES = [
    (["no-such-command"], "No such command 'no-such-command'"),
    (["summary", "--bogus"], "No such option: --bogus"),
    (["query"], "give a query NAME or --cypher TEXT"),
    (["query", "--cypher"], "requires an argument"),
    (["query", "organisations", "-p", "bid"], "--param expects k=v, not 'bid'"),
    (["query", "organisations", "-p", "skip=100000"], "must be between 0 and 10000, not 100000"),
    (["query", "network_engagements", "-p", "with_sections=quizas"], "must be true or false"),
    (["query", "contributions_by_sector", "-p", "from_year=2025", "-p", "to_year=2024"], "from_year 2025 is after to_year 2024"),
    (["summary", "--year", "abc"], "expected a year such as 2024"),
    (["summary", "--year", "2030"], "no data for 2030; the graph has data for 2024"),
    (["summary", "--year", "2025-2024"], "from_year 2025 is after to_year 2024"),
    (["analyze", "--sector", "nada"], "no sector 'nada'; sectors: ambiente"),
    (["analyze", "--sdg", "99"], "no ODS 99; the ODS are numbered 1 to 17"),
]


@pytest.mark.parametrize("args, says", MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_a_mistake_is_one_clear_line(loaded_home, args, says):
    result = run_cli(args, loaded_home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr


SETTINGS_MISTAKES = [
    ({"COOPGRAPH_QUERY_TIMEOUT_S": "abc"}, "COOPGRAPH_QUERY_TIMEOUT_S='abc': Input should be a valid number"),
    ({"COOPGRAPH_NEO4J_WRITE_TIMEOUT_S": "-5"}, "COOPGRAPH_NEO4J_WRITE_TIMEOUT_S='-5': Input should be greater than 0"),
    ({"COOPGRAPH_STORE": "mongo"}, "COOPGRAPH_STORE='mongo': Input should be 'embedded' or 'neo4j'"),
]


@pytest.mark.parametrize("env, says", SETTINGS_MISTAKES, ids=[next(iter(e)) for e, _ in SETTINGS_MISTAKES])
def test_a_bad_setting_is_one_clear_line_naming_its_variable(loaded_home, env, says):
    result = run_cli(["summary"], loaded_home, env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
