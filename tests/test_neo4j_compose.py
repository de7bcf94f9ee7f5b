"""docker-compose.yml: Neo4j healthy before coopgraph, loopback only."""
import yaml

from conftest import ROOT


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_runs_neo4j_healthy_before_coopgraph():
    services = compose()["services"]
    neo4j, app = services["neo4j"], services["coopgraph"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "healthcheck" in neo4j
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["COOPGRAPH_STORE"] == "neo4j"
    assert all(port.startswith("127.0.0.1:") for s in services.values() for port in s["ports"])
