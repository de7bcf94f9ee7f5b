"""docker-compose.yml: valid for Docker's own client, Neo4j healthy before coopgraph, loopback only,
and the analysts' sandbox configured exactly as on the suite's Neo4j server."""
import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

SANDBOX_CONF = ROOT / "tests" / "neo4j_server" / "sandbox.conf"


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def conf_settings(path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def canonical(name: str, value: str) -> str:
    """A setting's value as written (60s, 768m) or as the server reports it (1m, 768.00MiB), alike."""
    value = value.replace(", ", ",")
    if name.startswith("db.memory.") and (match := re.fullmatch(r"(\d+(?:\.\d+)?)(m|MiB)", value)):
        return f"{float(match[1]) * 2**20:.0f} bytes"
    if name.endswith(".timeout") and (match := re.fullmatch(r"(\d+)(s|m)", value)):
        return f"{int(match[1]) * (60 if match[2] == 'm' else 1)} s"
    return value


def image_settings(environment: dict) -> dict[str, str]:
    """NEO4J_* variables as the Neo4j image turns them into neo4j.conf: `_` is `.`, `__` is `_`."""
    return {name[len("NEO4J_"):].replace("__", "\0").replace("_", ".").replace("\0", "_"): str(value)
            for name, value in environment.items() if name.startswith("NEO4J_") and name != "NEO4J_AUTH"}


def compose_client() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_config_accepts_the_file():
    client = compose_client()
    if client is None:
        pytest.skip("no Docker Compose client (`docker compose` or `docker-compose`) on this machine")
    env = {**os.environ, "COOPGRAPH_NEO4J_PASSWORD": "a-long-secret"}
    result = subprocess.run([*client, "config", "-q"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    unset = {k: v for k, v in env.items() if k != "COOPGRAPH_NEO4J_PASSWORD"}
    refused = subprocess.run([*client, "config", "-q"], cwd=ROOT, capture_output=True, text=True, env=unset, timeout=60)
    assert refused.returncode != 0 and "set COOPGRAPH_NEO4J_PASSWORD" in refused.stderr


def test_compose_runs_neo4j_healthy_before_coopgraph():
    services = compose()["services"]
    neo4j, app = services["neo4j"], services["coopgraph"]
    assert neo4j["image"].startswith("neo4j:5.26")
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])  # a tool the image ships
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["COOPGRAPH_STORE"] == "neo4j"
    assert all(port.startswith("127.0.0.1:") for s in services.values() for port in s["ports"])



def test_compose_builds_coopgraph_once_and_runs_it_unprivileged():
    services = compose()["services"]
    app, neo4j = services["coopgraph"], services["neo4j"]
    assert app["build"] == "." and "command" not in app  # the image's own CMD: nothing installed at start
    assert not app.get("volumes") or all(not v.startswith(".") for v in app["volumes"])  # no bind of the checkout
    assert app["restart"] == neo4j["restart"] == "unless-stopped"
    assert "/api/v1/summary" in " ".join(app["healthcheck"]["test"])
    assert app["read_only"] is True and app["cap_drop"] == ["ALL"] and not str(app["user"]).startswith("0")
    for service in (app, neo4j):
        assert "no-new-privileges:true" in service["security_opt"] and service["mem_limit"]
        assert service["cap_drop"] == ["ALL"] and service["pids_limit"]
    # Neo4j keeps only what its entrypoint needs to hand /data to the neo4j user and drop to it
    assert set(neo4j["cap_add"]) == {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID"}
    assert neo4j["environment"]["NEO4J_server_http_enabled"] == "false"  # no Browser unless docker/browser.yml
    assert [p for p in neo4j["ports"] if ":7474" in p] == []
    assert "8 characters" in neo4j["environment"]["NEO4J_AUTH"]


def test_a_short_neo4j_password_is_one_clear_line(tmp_path):
    from conftest import run_cli

    result = run_cli(["summary"], tmp_path, env={"COOPGRAPH_NEO4J_PASSWORD": "corta"})
    assert result.returncode != 0 and "corta" not in result.stderr + result.stdout
    assert "COOPGRAPH_NEO4J_PASSWORD" in result.stderr and "8 characters" in result.stderr
    assert "Traceback" not in result.stderr


def test_compose_configures_the_sandbox_as_the_suites_server():
    environment = compose()["services"]["neo4j"]["environment"]
    settings = image_settings(environment)
    sandbox = conf_settings(SANDBOX_CONF)
    assert sandbox["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert sandbox["dbms.security.procedures.allowlist"] == "db.labels,db.relationshipTypes,db.schema.visualization"
    assert {k: settings.get(k) for k in sandbox} == sandbox
    assert "NEO4J_PASSWORD" not in environment  # the image would write it into neo4j.conf as a setting
    assert not any("/import" in volume for volume in compose()["services"]["neo4j"].get("volumes", []))


@pytest.fixture
def neo4j_store(neo4j_settings):
    """The live server as it is (this module's checks need no data: the shared load is left alone)."""
    from coopgraph.graph.store.neo4j import Neo4jStore

    store = Neo4jStore(neo4j_settings)
    yield store
    store.close()


def test_the_suites_server_runs_with_the_sandbox_settings(neo4j_store):
    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI names your own server: its settings are yours")
    public = {k: v for k, v in conf_settings(SANDBOX_CONF).items() if not k.startswith("internal.")}
    rows = neo4j_store.read("CALL dbms.listConfig() YIELD name, value "
                            "WHERE name IN $names RETURN name, value", {"names": list(public)})
    assert {r["name"]: canonical(r["name"], r["value"]) for r in rows} == {k: canonical(k, v) for k, v in public.items()}
    with pytest.raises(Exception, match="allow_csv_import_from_file_urls"):
        neo4j_store.read("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line LIMIT 1")
    with pytest.raises(Exception, match="blocked via the configuration property internal.dbms.cypher_ip_blocklist"):
        neo4j_store.read("LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line LIMIT 1")
