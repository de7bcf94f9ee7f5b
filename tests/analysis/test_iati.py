"""The IATI export on the real 2024 load: the activity and organisation files validate against the
IATI 2.03 schema (lxml), the COP incoming funds add up to the report's cooperant total to the
centavo, other currencies keep their own amounts, a broken mapping is refused naming the element
(and nothing is written), and the API answers the file the CLI writes. Expected figures come from
the bundled CSV and curated files, read here with csv and yaml, never from the store."""
from __future__ import annotations

import csv
import re
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from lxml import etree

from coopgraph.api.app import create_app
from coopgraph.errors import IatiError
from coopgraph.analysis.iati import activity_file, mapping, organisation_file, rules
from coopgraph.graph.readmodel import EVENT_KINDS
from coopgraph.settings import Settings

from conftest import ROOT, run_cli

ORG = "CO-RUE-899999061"
IATI = ROOT / "data" / "iati"
# where the bundled copies come from, when shared/ is beside the checkout (or beside its worktrees' folder)
REFERENCE = next((p / "shared" / "reference" / "iati" for p in (ROOT.parent, ROOT.parent.parent)
                  if (p / "shared" / "reference" / "iati").exists()), ROOT.parent / "shared" / "reference" / "iati")
TABLA_5 = ROOT / "data" / "report-2024" / "tabla-5-aportes.csv"
ENGAGEMENTS = ROOT / "data" / "curated" / "engagements.yaml"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI / "schema-2.03" / name)))


def tabla_5() -> list[dict]:
    with TABLA_5.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def reported_projects() -> list[dict]:
    """The curated engagements that are projects (not events) and not counted inside another's amount."""
    found = yaml.safe_load(ENGAGEMENTS.read_text(encoding="utf-8"))["engagements"]
    return [e for e in found if e.get("kind") not in EVENT_KINDS and not e.get("counted_in")]


@pytest.fixture(scope="module")
def written(loaded_home, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("iati") / "actividades.xml"
    result = run_cli(["export", "iati", "-o", str(out)], loaded_home)
    assert result.returncode == 0, result.stderr
    assert "IATI activities" in result.stderr
    return out


@pytest.fixture(scope="module")
def tree(written):
    return etree.parse(str(written))


def activity(tree, graph_id: str):
    found = tree.xpath(f"/iati-activities/iati-activity[iati-identifier = '{ORG}-{mapping.slug(graph_id)}']")
    assert len(found) == 1, graph_id
    return found[0]


def amounts(node, transaction_type: str, currency: str | None = None) -> list[Decimal]:
    where = f"[@currency = '{currency}']" if currency else ""
    return [Decimal(v.text) for v in node.xpath(f".//transaction[transaction-type/@code = '{transaction_type}']/value{where}")]


def test_the_activity_file_validates_against_the_iati_schema(tree):
    activities = schema("iati-activities-schema.xsd")
    assert activities.validate(tree), activities.error_log
    root = tree.getroot()
    assert root.tag == "iati-activities" and root.get("version") == "2.03" and root.get("generated-datetime")


def test_cop_incoming_funds_add_up_to_the_reports_cooperant_total(tree):
    incoming = amounts(tree, "1", "COP")
    assert sum(incoming) == Decimal("23969094079.50")
    assert sum(incoming) == sum(Decimal(r["cooperant_cop"]) for r in tabla_5())  # the table's own rows, read here


def test_the_counterpart_is_kept_apart_as_the_districts_commitment(tree):
    counterpart = amounts(tree, "11", "COP")
    assert sum(counterpart) == sum(Decimal(r["counterpart_cop"]) for r in tabla_5()) == Decimal("10086739168.00")
    for transaction in tree.xpath("//transaction[transaction-type/@code = '11']"):  # provided by the district entity
        assert transaction.findtext("description/narrative").startswith("Contrapartida distrital")
        assert transaction.find("provider-org").get("type") in ("10", "11")
    oei = activity(tree, "informe-2024/tabla-5#4")  # OEI with the culture secretariat: both parts, each its own
    assert amounts(oei, "1") == [Decimal("883000000.00")] and amounts(oei, "11") == [Decimal("878500000.00")]


def test_other_currencies_keep_their_own_amount(tree):
    projects = [e for e in reported_projects() if e.get("amount") and e.get("currency") != "COP"]
    assert {e["currency"] for e in projects} == {"USD", "EUR"}
    for project in projects:
        node = activity(tree, project["engagement_id"])
        assert amounts(node, "1", project["currency"]) == [Decimal(str(project["amount"]))], project["engagement_id"]
        assert node.get("default-currency") == project["currency"]
    breathe = activity(tree, "breathe-cities-bogota")  # C40's US$ 1.000.000, on the day the programme started
    value = breathe.find("transaction/value")
    assert (value.get("currency"), value.text, value.get("value-date")) == ("USD", "1000000.00", "2024-06-06")
    assert breathe.findtext("transaction/provider-org/narrative").startswith("C40")
    funding = breathe.xpath("participating-org[@role = '1']")
    assert [f.findtext("narrative") for f in funding] == [breathe.findtext("transaction/provider-org/narrative")]
    assert funding[0].get("type") == "21"  # C40's IATI type, as curated


def test_one_activity_per_project_and_per_tabla_5_line(tree):
    identifiers = tree.xpath("//iati-activity/iati-identifier/text()")
    assert len(identifiers) == len(set(identifiers)) == len(tabla_5()) + len(reported_projects())
    for row in tabla_5():
        node = activity(tree, f"informe-2024/tabla-5#{row['row']}")
        assert node.find("other-identifier").get("ref") == f"informe-2024/tabla-5#{row['row']}"
        given = Decimal(row["cooperant_cop"])
        assert amounts(node, "1") == ([given] if given else [])  # a line with no cooperant money has no incoming funds
        funders = node.xpath("participating-org[@role = '1']/narrative/text()")
        if given:  # the cooperant funds it, and provides the incoming funds
            assert funders == node.xpath("transaction[transaction-type/@code = '1']/provider-org/narrative/text()")
        else:  # a partner that put no money in is not written as funding
            assert funders == [] and len(node.xpath("participating-org[@role = '4']")) == 2


def test_every_activity_has_reporting_org_participants_title_and_its_source(tree):
    for node in tree.xpath("//iati-activity"):
        identifier = node.findtext("iati-identifier")
        assert identifier.startswith(ORG + "-") and identifier != ORG
        reporting = node.find("reporting-org")
        assert reporting.get("ref") == ORG and reporting.get("type") == "11"
        assert node.xpath("participating-org[@role = '2'][@ref = $org]", org=ORG)  # the district, accountable
        if "tabla-5" in identifier:  # a line names its cooperant and its entity (some projects name no partner)
            assert len(node.findall("participating-org")) == 3, identifier
        title = node.find("title/narrative")
        assert title.text.strip() and title.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
        assert node.findtext("description/narrative").strip()
        assert node.xpath("activity-date[@type = '1' or @type = '2']") and node.find("sector") is not None
        link = node.find("document-link")
        assert link.get("url") == "https://www.sdp.gov.co/" and link.find("category").get("code") == "A08"


def test_ods_as_sdg_tags_and_the_pdd_as_the_districts_own_vocabulary(tree):
    for row in tabla_5():
        node = activity(tree, f"informe-2024/tabla-5#{row['row']}")
        goals = node.xpath("tag[@vocabulary = '2']/@code")
        assert len(goals) == 1 and 1 <= int(goals[0]) <= 17
        marker = node.find("policy-marker")
        assert marker.get("vocabulary") == "99" and marker.get("vocabulary-uri") == "https://www.sdp.gov.co/"
        assert re.fullmatch(r"pdd-2024-obj-[1-5]", marker.get("code")) and "Bogotá Camina Segura" in marker.findtext("narrative")
    with (ROOT / "data" / "curated" / "contribution_objectives.csv").open(encoding="utf-8") as handle:
        objectives = {r["row"]: r["pdd_objective"] for r in csv.DictReader(handle)}
    assert all(activity(tree, f"informe-2024/tabla-5#{row}").find("policy-marker").get("code") == f"pdd-2024-obj-{n}"
               for row, n in objectives.items())


def test_sectors_are_dac_codes_beside_the_districts_own(tree):
    with (ROOT / "data" / "curated" / "iati_sectors.csv").open(encoding="utf-8") as handle:
        dac = {r["sector_id"]: r["dac_code"] for r in csv.DictReader(handle)}
    node = activity(tree, "informe-2024/tabla-5#3")  # a culture line
    assert node.xpath("sector[@vocabulary = '1']/@code") == [dac["cultura"]]
    assert node.xpath("sector[@vocabulary = '99']/@code") == ["cultura"]
    for node in tree.xpath("//iati-activity[count(sector[@vocabulary = '99']) > 1]"):  # shares add up to 100
        for vocabulary in ("1", "99"):
            shares = node.xpath(f"sector[@vocabulary = '{vocabulary}']/@percentage")
            assert not shares or sum(map(Decimal, shares)) == 100


def test_the_organisation_file_validates(loaded_home, tmp_path):
    out = tmp_path / "organisation.xml"
    result = run_cli(["export", "iati-organisation", "-o", str(out)], loaded_home)
    assert result.returncode == 0, result.stderr
    document = etree.parse(str(out))
    organisations = schema("iati-organisations-schema.xsd")
    assert organisations.validate(document), organisations.error_log
    assert document.findtext("iati-organisation/organisation-identifier") == ORG
    assert document.find("iati-organisation/reporting-org").get("ref") == ORG
    link = document.find("iati-organisation/document-link")
    assert link.find("category").get("code") == "B01" and "2024" in link.findtext("title/narrative")


def _broken(monkeypatch, change):
    real = mapping.publication

    def publication(*args, **kwargs):
        found = real(*args, **kwargs)
        found.activities = [change(a) for a in found.activities]
        return found

    monkeypatch.setattr(mapping, "publication", publication)


def _zzz(a):
    return replace(a, transactions=[replace(t, currency="ZZZ") for t in a.transactions])


def test_a_currency_outside_the_codelist_is_refused_naming_its_element(loaded_store, loaded_home, monkeypatch):
    _broken(monkeypatch, _zzz)
    with pytest.raises(IatiError) as refused:
        activity_file(loaded_store, Settings(home=loaded_home))
    first = refused.value.problems[0]
    assert f"iati-activity[iati-identifier='{ORG}-breathe-cities-bogota']/transaction/value/@currency" in first
    assert "'ZZZ' is not a code of the IATI Currency codelist" in first
    assert refused.value.http_status == 422


def test_the_cli_refuses_a_broken_mapping_in_one_line_and_writes_nothing(loaded_home, tmp_path, monkeypatch, capsys):
    import coopgraph.cli as cli

    _broken(monkeypatch, lambda a: replace(a, title=""))  # an element emptied
    import coopgraph.cli.common as common

    monkeypatch.setattr(common, "get_settings", lambda: Settings(home=loaded_home))
    out = tmp_path / "roto.xml"
    monkeypatch.setattr(sys, "argv", ["coopgraph", "export", "iati", "-o", str(out)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 1 and not out.exists()
    said = capsys.readouterr().err.strip()
    assert said.count("\n") == 0 and "Traceback" not in said
    assert said.startswith("error: IATI file not written: /iati-activities/iati-activity[iati-identifier=")
    assert "/title/narrative/text(): The title must contain narrative content. (IATI standard ruleset 4.3.1, error)" in said


def test_a_code_set_badly_is_refused_by_the_installed_command(loaded_home, tmp_path):
    out = tmp_path / "estado.xml"
    result = run_cli(["export", "iati", "-o", str(out)], loaded_home, env={"COOPGRAPH_IATI_ACTIVITY_STATUS": "9"})
    assert result.returncode == 1 and not out.exists() and "Traceback" not in result.stderr
    assert "/activity-status/@code: '9' is not a code of the IATI ActivityStatus codelist" in result.stderr
    slash = run_cli(["export", "iati", "-o", str(out)], loaded_home, env={"COOPGRAPH_IATI_REPORTING_ORG": "CO-RUE/1"})
    assert slash.returncode == 1 and not out.exists()
    assert "must not contain any of the symbols /, &, | or ?" in slash.stderr


def test_the_evaluator_checks_the_rules_the_file_touches(tree):
    def fails(change) -> list[str]:
        copy = etree.ElementTree(etree.fromstring(etree.tostring(tree)))
        change(copy)
        return rules.check(copy)

    assert fails(lambda t: None) == []
    future = fails(lambda t: t.xpath("//transaction-date")[0].set("iso-date", "2999-01-01"))
    assert len(future) == 1 and "/transaction/transaction-date/@iso-date: The transaction date must not be in the future" in future[0]
    shares = fails(lambda t: t.xpath("//sector[@vocabulary = '1'][@percentage]")[0].set("percentage", "1"))
    assert any("/sector[@vocabulary = '1' or @vocabulary = '' or not(@vocabulary)]/@percentage: Percentage values "
               "for sectors" in p and "2.1.2, error" in p for p in shares)
    prefix = fails(lambda t: setattr(t.xpath("//iati-identifier")[0], "text", "XX-1"))
    assert any("1.1.21, warning" in p for p in prefix)
    budget = fails(lambda t: t.xpath("//iati-activity")[0].append(etree.Element("budget")))
    assert any("time_limit rules for /iati-activities/iati-activity/budget are not evaluated" in p for p in budget)


def test_the_api_answers_the_file_the_cli_writes(loaded_home, written):
    with TestClient(create_app(Settings(home=loaded_home))) as client:
        answer = client.get("/api/v1/exports/iati.xml")
        organisation = client.get("/api/v1/exports/iati-organisation.xml")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    undated = re.compile(rb' generated-datetime="[^"]+"')
    assert undated.sub(b"", answer.content) == undated.sub(b"", written.read_bytes())
    assert organisation.status_code == 200 and organisation.headers["content-type"].startswith("application/xml")
    assert b"<organisation-identifier>CO-RUE-899999061</organisation-identifier>" in organisation.content
    with TestClient(create_app(Settings(home=loaded_home, iati_activity_status=9))) as client:
        refused = client.get("/api/v1/exports/iati.xml")
    assert refused.status_code == 422 and refused.json()["code"] == "iati_error"
    assert len(refused.json()["details"]["elements"]) == len(tabla_5()) + len(reported_projects())


def test_the_default_identifier_is_built_from_the_registration_agency_codelist():
    from coopgraph.analysis.iati.codelists import codes

    agency, _, nit = Settings().iati_reporting_org.rpartition("-")
    assert agency == "CO-RUE" and agency in codes("OrganisationRegistrationAgency") and nit == "899999061"


def test_the_bundled_iati_files_are_the_references_unchanged():
    """data/iati/SHA256SUMS records each bundled file's digest as copied from IATI's own files (README names
    their commits); every bundled file holds it, and where the reference copies sit beside this checkout,
    they hold it too."""
    import hashlib

    recorded = dict(reversed(line.split(None, 1)) for line in (IATI / "SHA256SUMS").read_text().splitlines())
    bundled = sorted(str(p.relative_to(IATI)) for p in IATI.rglob("*") if p.is_file()
                     and p.name not in ("README.md", "SHA256SUMS"))
    assert sorted(recorded) == bundled
    for name, digest in recorded.items():
        assert hashlib.sha256((IATI / name).read_bytes()).hexdigest() == digest, name
        source = REFERENCE / name if REFERENCE else None
        if source is not None and source.exists():
            assert hashlib.sha256(source.read_bytes()).hexdigest() == digest, name


def test_the_organisation_file_needs_no_activities(loaded_store, loaded_home):
    made = organisation_file(loaded_store, Settings(home=loaded_home))
    assert made.content.startswith(b"<?xml") and made.activities == 0


def test_a_loaded_file_in_other_currencies_keeps_them(home, tmp_path):
    """Monetary rows of a GLOBO file in USD and EUR are activities whose incoming funds keep the row's
    currency and amount; the file still validates."""
    rows = tmp_path / "globo.csv"
    for step in (["synth", "-o", str(rows), "--rows", "300", "--years", "2022-2025", "--seed", "7"], ["load"],
                 ["load", str(rows)]):
        done = run_cli(step, home)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "actividades.xml"
    assert run_cli(["export", "iati", "-o", str(out)], home).returncode == 0
    document = etree.parse(str(out))
    activities = schema("iati-activities-schema.xsd")
    assert activities.validate(document), activities.error_log
    with rows.open(encoding="utf-8-sig") as handle:
        foreign = [r for r in csv.DictReader(handle)
                   if r["monetario"] == "Sí" and r["moneda"] != "COP" and Decimal(r["aporte_cooperante"]) > 0]
    assert {r["moneda"] for r in foreign} == {"USD", "EUR"}
    for row in foreign:
        node = activity(document, row["id_interaccion"])
        assert amounts(node, "1", row["moneda"]) == [Decimal(row["aporte_cooperante"])], row["id_interaccion"]
        assert node.get("default-currency") == row["moneda"]
    assert sum(amounts(document, "1", "COP")) > Decimal("23969094079.50")  # the file's COP rows beside the report's


def test_a_loaded_row_with_a_program_and_a_network(home, tmp_path):
    """A GLOBO row naming a PDD program and a city network: the program is a policy marker of the
    district's vocabulary beside the objective, the network an extending organisation."""
    globo = tmp_path / "globo.csv"
    globo.write_text(
        "id_interaccion,año,entidad_distrital,sector,cooperante,tipo_accion,tipo_colaboracion,monetario,"
        "aporte_cooperante,contrapartida_distrital,valor_total,moneda,ods,objetivo_pdd,programa_pdd,red_ciudades,"
        "descripcion,cantidad\n"
        "GLOBO-2025-0001,2025,SECRETARÍA DISTRITAL DE MOVILIDAD,MOVILIDAD,BANCO MUNDIAL,Cooperación Internacional,"
        "Asistencia técnica,Sí,\"$ 133.770.000,00\",\"$ 10.000.000,00\",\"$ 143.770.000,00\",COP,11,1,1.06,C40,"
        "Estudio de movilidad segura,1\n", encoding="utf-8")
    for step in (["load"], ["load", str(globo)]):
        done = run_cli(step, home)
        assert done.returncode == 0, done.stderr
    out = tmp_path / "actividades.xml"
    assert run_cli(["export", "iati", "-o", str(out)], home).returncode == 0
    node = activity(etree.parse(str(out)), "GLOBO-2025-0001")
    assert node.xpath("policy-marker/@code") == ["pdd-2024-obj-1", "pdd-2024-prog-1.06"]
    assert "programa 1.06: Movilidad segura e inclusiva" in node.xpath("policy-marker/narrative/text()")[1]
    assert node.xpath("participating-org[@role = '3']/narrative/text()") == ["C40 Cities"]
    assert amounts(node, "1") == [Decimal("133770000.00")] and amounts(node, "11") == [Decimal("10000000.00")]
    assert node.findtext("description/narrative").startswith("Estudio de movilidad segura. Aporte de cooperación de 2025")
    assert node.find("document-link") is None  # a loaded file is no report to link


def test_doctests():
    import doctest

    from coopgraph.analysis.iati import codelists, writer

    for module in (mapping, writer, codelists):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
