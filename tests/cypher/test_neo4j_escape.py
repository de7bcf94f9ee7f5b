"""The analysts' escape corpus (tests/data/escape_corpus.yaml) against a live Neo4j configured as
docker-compose.yml configures it: refused through the API served from Neo4j, and — without the
statement policy in front — the server alone still refuses every file or network read and every write."""
from fastapi.testclient import TestClient
from pydantic import SecretStr

from coopgraph.api.app import create_app

from snapshots import snapshot
from test_sandbox import CASES, KEY, fill, listener  # noqa: F401  (listener is a fixture)

# What Neo4j itself lets a read-mode session run from the corpus (docs/engine.md): built-in
# procedures and admin commands the allow-list does not cover. The statement policy refuses them.
SERVER_ALONE_ALLOWS = ("CALL dbms.listConfig()", "SHOW DATABASES", "CALL dbms.components()", "TERMINATE TRANSACTIONS")


def test_the_escape_corpus_is_refused_by_the_api_served_from_neo4j(neo4j_loaded, neo4j_settings, tmp_path, listener):  # noqa: F811
    watched = tmp_path / "watched"
    watched.mkdir()
    before = snapshot(neo4j_loaded)
    settings = neo4j_settings.model_copy(update={"home": tmp_path / "home", "api_key": SecretStr(KEY)})
    with TestClient(create_app(settings)) as client:
        for group, named, text in CASES:
            statement = fill(text, watched, listener.port)
            answer = client.post("/api/v1/cypher", json={"query": statement}, headers={"X-API-Key": KEY})
            assert answer.status_code == 400 and answer.json()["code"] == "refused", (statement, answer.text)
            assert named.lower() in answer.json()["message"].lower(), (statement, answer.text)
        healthy = client.post("/api/v1/cypher", json={"query": "MATCH (s:Sector) RETURN count(s) AS n"},
                              headers={"X-API-Key": KEY})
        assert healthy.status_code == 200 and healthy.json()["rows"][0]["n"] >= 10
    assert list(watched.iterdir()) == [] and listener.connections == 0
    assert snapshot(neo4j_loaded) == before


def test_the_server_alone_refuses_file_and_network_reads_and_writes(neo4j_loaded, tmp_path, listener):  # noqa: F811
    watched = tmp_path / "watched"
    watched.mkdir()
    before = snapshot(neo4j_loaded)
    allowed = []
    for group, named, text in CASES:
        statement = fill(text, watched, listener.port)
        try:
            neo4j_loaded.read(statement, timeout_s=5)
        except Exception as refused:  # a syntax error (another engine's statement) or a refusal
            if "LOAD CSV" in statement.upper():
                assert "blocked" in str(refused) or "allow_csv_import_from_file_urls" in str(refused), statement
            continue
        allowed.append(statement)
    assert allowed and all(s.startswith(SERVER_ALONE_ALLOWS) for s in allowed), allowed
    assert list(watched.iterdir()) == [] and listener.connections == 0
    assert snapshot(neo4j_loaded) == before
