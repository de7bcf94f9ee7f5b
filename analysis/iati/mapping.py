"""What the district's IATI activity file says, read from the store (docs/iati.md argues each choice):

* one activity per reported project — an engagement that is not an event (`readmodel.is_event`) and
  whose amount no other engagement already holds (`counted_in`) — with its amount, in its own currency,
  as incoming funds from the network it is held under;
* one activity per monetary contribution (a Tabla 5 line, a monetary row of a loaded file): the graph
  ties no contribution to a project, so each line is its own activity. Its cooperant part is incoming
  funds (transaction type 1) in the line's own currency; the district's counterpart is kept apart, an
  incoming commitment (type 11) whose provider is the district entity.

Money is Decimal from the store's integer cents, never float. analysis/iati/writer.py writes the XML.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache

from coopgraph.graph.readmodel import is_event
from coopgraph.money import format_amount, from_cents

__all__ = ["Org", "Participant", "Transaction", "ActivityDate", "Coded", "Activity", "Publication", "publication",
           "DISTRICT_NAME", "LOCAL_GOVERNMENT", "NOT_SPECIFIED"]

DISTRICT_NAME = "Bogotá D.C. – Alcaldía Mayor de Bogotá"
LOCAL_GOVERNMENT = 11   # OrganisationType of a district entity without an IATI type of its own
NOT_SPECIFIED = "99810"  # DAC purpose code "Sectors not specified", for an activity no sector is known of
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = 1, 2, 3, 4  # OrganisationRole
INCOMING_FUNDS, INCOMING_COMMITMENT = 1, 11  # TransactionType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = 1, 2, 3, 4  # ActivityDateType
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Org:
    name: str
    type: int | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Participant:
    org: Org
    role: int


@dataclass(frozen=True)
class Transaction:
    type: int
    day: date
    amount: Decimal
    currency: str
    description: str
    provider: Org | None = None
    receiver: Org | None = None


@dataclass(frozen=True)
class ActivityDate:
    type: int
    day: date
    note: str | None = None


@dataclass(frozen=True)
class Coded:
    """A sector, tag or policy marker: vocabulary, code, its name, and a share when there are several."""

    vocabulary: str
    code: str
    name: str | None = None
    percentage: Decimal | None = None


@dataclass
class Activity:
    identifier: str
    internal_id: str        # the graph's id (other-identifier A1): where the activity comes from
    title: str
    description: str
    currency: str
    participants: list[Participant]
    dates: list[ActivityDate]
    sectors: list[Coded] = field(default_factory=list)
    tags: list[Coded] = field(default_factory=list)
    policies: list[Coded] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    report: str | None = None  # title of the report that states it (document-link)


@dataclass
class Publication:
    reporting: Org
    status: int
    country: str
    activities: list[Activity]
    reports: list[str]
    report_url: str
    pdd_uri: str
    data_version: str | None
    loaded_at: str | None


CONTRIBUTIONS = """
MATCH (c:Contribution) WHERE c.monetary
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
OPTIONAL MATCH (c)-[:IN_SECTOR]->(s:Sector)
RETURN c.id AS id, c.year AS year, c.currency AS currency, c.cooperant_cents AS cooperant_cents,
       c.counterpart_cents AS counterpart_cents, c.total_cents AS total_cents, c.description AS description,
       o.name AS cooperant, o.iati_type AS cooperant_type, e.id AS entity_id, e.name AS entity,
       s.id AS sector_id, s.name AS sector
"""
CONTRIBUTION_LINKS = {
    "sdg": "MATCH (c:Contribution)-[:ADVANCES]->(g:SDG) WHERE c.monetary "
           "RETURN c.id AS id, g.number AS number, g.name AS name",
    "objective": "MATCH (c:Contribution)-[:SERVES]->(p:PDDObjective) WHERE c.monetary "
                 "RETURN c.id AS id, p.id AS code, p.number AS number, p.name AS name",
    "program": "MATCH (c:Contribution)-[:IN_PROGRAM]->(p:PDDProgram) WHERE c.monetary "
               "RETURN c.id AS id, p.id AS code, p.code AS number, p.name AS name",
    "network": "MATCH (c:Contribution)-[:THROUGH_NETWORK]->(n:CityNetwork) WHERE c.monetary "
               "OPTIONAL MATCH (n)-[:SAME_AS]->(o:Cooperant) RETURN c.id AS id, n.name AS name, o.iati_type AS type",
    "source": "MATCH (c:Contribution)-[r:SOURCED_FROM]->(s:Source) WHERE c.monetary "
              "RETURN c.id AS id, s.id AS source, r.locator AS locator",
}
ENGAGEMENTS = """
MATCH (e:Engagement)
OPTIONAL MATCH (e)-[:UNDER_NETWORK]->(n:CityNetwork)
OPTIONAL MATCH (n)-[:SAME_AS]->(o:Cooperant)
RETURN e.id AS id, e.name AS name, e.kind AS kind, e.description AS description, e.start_date AS start_date,
       e.end_date AS end_date, e.amount_cents AS amount_cents, e.currency AS currency, e.amount_note AS amount_note,
       e.counted_in AS counted_in, e.year AS year, o.id AS funder_id, o.name AS funder, o.iati_type AS funder_type
"""
ENGAGEMENT_LINKS = {
    "cooperant": "MATCH (x:Cooperant)-[:TOOK_PART_IN]->(e:Engagement) "
                 "RETURN e.id AS id, x.id AS org_id, x.name AS name, x.iati_type AS type",
    "entity": "MATCH (x:DistrictEntity)-[:TOOK_PART_IN]->(e:Engagement) "
              "RETURN e.id AS id, x.id AS entity_id, x.name AS name, x.sector_id AS sector_id",
    "source": "MATCH (e:Engagement)-[r:SOURCED_FROM]->(s:Source) RETURN e.id AS id, s.id AS source, r.locator AS locator",
}
SOURCES = "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.kind AS kind, s.parent AS parent, s.year AS year"
SECTORS = "MATCH (s:Sector) RETURN s.id AS id, s.name AS name"
# a district entity that is also a cooperant (APC-Colombia, a national agency Tabla 3 lists) has its IATI type
ENTITY_TYPES = "MATCH (e:DistrictEntity), (o:Cooperant) WHERE e.id = o.id RETURN e.id AS id, o.iati_type AS type"


@lru_cache(maxsize=1)
def dac_codes() -> dict[str, str]:
    """The district's sectors → OECD DAC purpose code (data/curated/iati_sectors.csv)."""
    from importlib import resources

    with (resources.files("coopgraph.data") / "curated" / "iati_sectors.csv").open(encoding="utf-8") as handle:
        return {row["sector_id"]: row["dac_code"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def plan_name() -> str:
    """«Plan Distrital de Desarrollo 2024-2027 “Bogotá Camina Segura”», from data/curated/pdd.yaml."""
    from importlib import resources

    import yaml

    plan = yaml.safe_load((resources.files("coopgraph.data") / "curated" / "pdd.yaml").read_text(encoding="utf-8"))["plan"]
    return f"{plan['kind']} {plan['period']} “{plan['name']}”"


def slug(graph_id: str) -> str:
    """The part of an activity identifier a graph id gives: letters, digits and hyphens only.

    >>> slug("informe-2024/tabla-5#12")
    'informe-2024-tabla-5-12'
    """
    return re.sub(r"[^A-Za-z0-9]+", "-", graph_id).strip("-")


def shares(keys: list) -> list[tuple[object, Decimal | None]]:
    """Each key once, with an equal share of 100 (two decimals, the rest on the last); a lone key has none.

    >>> shares(["a", "b", "c"])
    [('a', Decimal('33.33')), ('b', Decimal('33.33')), ('c', Decimal('33.34'))]
    """
    keys = list(dict.fromkeys(keys))
    if len(keys) < 2:
        return [(k, None) for k in keys]
    part = (HUNDRED / len(keys)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [(k, part) for k in keys[:-1]] + [(keys[-1], HUNDRED - part * (len(keys) - 1))]


def sectors_of(sector_ids: list[tuple[str, str]]) -> list[Coded]:
    """DAC purpose codes (vocabulary 1) and the district's own sectors (vocabulary 99), shares even."""
    known = [(sid, name) for sid, name in sector_ids if sid]
    if not known:
        return [Coded("1", NOT_SPECIFIED)]
    own = shares(known)
    dac: dict[str, Decimal | None] = {}
    for (sid, _), share in own:
        code = dac_codes().get(sid, NOT_SPECIFIED)
        dac[code] = None if share is None else (dac.get(code) or Decimal(0)) + share
    if len(dac) == 1:
        dac = {code: None for code in dac}
    return ([Coded("1", code, None, share) for code, share in dac.items()]
            + [Coded("99", sid, name, share) for (sid, name), share in own])


def _grouped(rows) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["id"], []).append(row)
    return out


def _natural(graph_id: str) -> tuple:
    return tuple(int(p) if p.isdecimal() else p for p in re.split(r"(\d+)", graph_id))


def _partial_date(text: str | None) -> tuple[date, str] | None:
    """A stated date as (first day, how much was stated): '2024-06-06', '2024-09' or '2024'."""
    if not text:
        return None
    parts = str(text).strip().split("-")
    try:
        day = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None
    return day, ("day", "month", "year")[3 - min(len(parts), 3)]


def _sentence(text: str | None) -> str | None:
    """A stated text as a sentence of the description: ends in a full stop."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def _locator_es(locator: str | None) -> str:
    return (locator or "").replace("lines ", "líneas ").replace("line ", "línea ").replace("row ", "fila ")


class _Reader:
    """The store's answers one publication needs, read once."""

    def __init__(self, store, reporting: Org, today: date):
        self.store, self.reporting, self.today = store, reporting, today
        self.sources = {r["id"]: r for r in store.read(SOURCES, {})}
        self.sector_names = {r["id"]: r["name"] for r in store.read(SECTORS, {})}
        self.entity_types = {r["id"]: r["type"] for r in store.read(ENTITY_TYPES, {}) if r["type"]}

    def links(self, queries: dict) -> dict[str, dict[str, list[dict]]]:
        return {name: _grouped(self.store.read(cypher, {})) for name, cypher in queries.items()}

    def entity(self, entity_id: str | None, name: str | None) -> Org | None:
        return Org(name, self.entity_types.get(entity_id, LOCAL_GOVERNMENT)) if name else None

    def provenance(self, rows: list[dict]) -> tuple[str, str | None, int | None]:
        """(where the fact is stated, in words; the title of its report; the report's year)."""
        for row in sorted(rows, key=lambda r: (self.sources.get(r["source"], {}).get("kind") == "curated", r["source"])):
            source = self.sources.get(row["source"]) or {}
            report = source if source.get("kind") == "report" else self.sources.get(source.get("parent") or "") or {}
            where = source.get("title") or row["source"]
            if row.get("locator"):
                where += f" ({_locator_es(row['locator'])})"
            return where, report.get("title") if report.get("kind") == "report" else None, report.get("year")
        return "", None, None

    def value_day(self, year: int | None, stated: str | None = None) -> date:
        """A stated day, else the last of the year the amount belongs to — never after today."""
        found = _partial_date(stated)
        if found and found[1] == "day":
            return min(found[0], self.today)
        return min(date(int(year or self.today.year), 12, 31), self.today)

    def identifier(self, graph_id: str) -> str:
        return f"{self.reporting.ref}-{slug(graph_id)}"


def _unique(participants: list[Participant]) -> list[Participant]:
    return list(dict.fromkeys(participants))


def contribution_activities(read: _Reader) -> list[Activity]:
    links = read.links(CONTRIBUTION_LINKS)
    plan = plan_name()
    out = []
    for cid, rows in sorted(_grouped(read.store.read(CONTRIBUTIONS, {})).items(), key=lambda kv: _natural(kv[0])):
        c = rows[0]
        currency = c["currency"] or "COP"
        cooperant = Org(c["cooperant"], c["cooperant_type"]) if c["cooperant"] else None
        entity = read.entity(c["entity_id"], c["entity"])
        given, kept = from_cents(c["cooperant_cents"] or 0), from_cents(c["counterpart_cents"] or 0)
        where, report, _ = read.provenance(links["source"].get(cid, []))
        day = read.value_day(c["year"])
        participants = [Participant(read.reporting, ACCOUNTABLE)]
        if cooperant:
            participants.append(Participant(cooperant, FUNDING if given > 0 else IMPLEMENTING))
        participants += [Participant(Org(n["name"], n["type"]), EXTENDING) for n in links["network"].get(cid, [])]
        if entity:
            participants.append(Participant(entity, IMPLEMENTING))
        transactions = []
        if given > 0:
            transactions.append(Transaction(INCOMING_FUNDS, day, given, currency, "Aporte del cooperante.", cooperant,
                                            entity))
        if kept > 0:
            transactions.append(Transaction(
                INCOMING_COMMITMENT, day, kept, currency,
                "Contrapartida distrital: recursos propios de la entidad, aparte de los fondos del cooperante.", entity))
        title = f"{c['cooperant'] or 'Cooperante sin nombre'} con {c['entity'] or 'el Distrito'}, {c['year']}"
        money = ", ".join(f"{label} {format_amount(amount, currency)}" for label, amount in (
            ("aporte del cooperante", given), ("contrapartida distrital", kept),
            ("total", from_cents(c["total_cents"] or 0))))
        description = " ".join(part for part in (
            _sentence(c["description"]), f"Aporte de cooperación de {c['year']} registrado en: {where}"
                              f"{', ' + report if report else ''}." if where else None,
            f"Sector {c['sector']}." if c["sector"] else None, f"Valores: {money}.") if part)
        out.append(Activity(
            read.identifier(cid), cid, title, description, currency, _unique(participants),
            [ActivityDate(PLANNED_START, date(int(c["year"]), 1, 1),
                          f"Sin fecha en la fuente: primer día del año {c['year']}, al que pertenece el aporte.")],
            sectors_of([(c["sector_id"], c["sector"])]),
            [Coded("2", str(g["number"]), g["name"]) for g in sorted(links["sdg"].get(cid, []), key=lambda g: g["number"])],
            [Coded("99", p["code"], f"{plan}, objetivo {p['number']}: {p['name']}") for p in links["objective"].get(cid, [])]
            + [Coded("99", p["code"], f"{plan}, programa {p['number']}: {p['name']}") for p in links["program"].get(cid, [])],
            transactions, report))
    return out


def _engagement_dates(read: _Reader, e: dict, year: int) -> list[ActivityDate]:
    start, end = _partial_date(e["start_date"]), _partial_date(e["end_date"])
    if start and start[1] == "day" and start[0] <= read.today:
        dates = [ActivityDate(ACTUAL_START, start[0])]
    elif start:
        dates = [ActivityDate(PLANNED_START, start[0], f"La fuente da la fecha de inicio {e['start_date']}.")]
    else:
        dates = [ActivityDate(PLANNED_START, date(year, 1, 1),
                              f"Sin fecha de inicio en la fuente: primer día del año {year}.")]
    if end and end[1] == "day":
        dates.append(ActivityDate(ACTUAL_END if end[0] <= read.today else PLANNED_END, end[0]))
    return dates


def engagement_activities(read: _Reader) -> list[Activity]:
    links = read.links(ENGAGEMENT_LINKS)
    out = []
    for eid, rows in sorted(_grouped(read.store.read(ENGAGEMENTS, {})).items()):
        e = rows[0]
        if is_event(e["kind"]) or e["counted_in"]:
            continue
        where, report, report_year = read.provenance(links["source"].get(eid, []))
        year = int(e["year"] or report_year or read.today.year)
        amount = from_cents(e["amount_cents"]) if e["amount_cents"] else None
        funder = Org(e["funder"], e["funder_type"]) if e["funder"] and amount else None
        entities = sorted(links["entity"].get(eid, []), key=lambda x: x["entity_id"])
        participants = [Participant(read.reporting, ACCOUNTABLE)]
        if funder:
            participants.append(Participant(funder, FUNDING))
        participants += [Participant(Org(x["name"], x["type"]), IMPLEMENTING)
                         for x in sorted(links["cooperant"].get(eid, []), key=lambda x: x["org_id"])
                         if not (funder and x["org_id"] == e["funder_id"])]
        participants += [Participant(read.entity(x["entity_id"], x["name"]), IMPLEMENTING) for x in entities]
        transactions = []
        if amount:
            note = f" Nota de la fuente: {e['amount_note']}." if e["amount_note"] else ""
            transactions.append(Transaction(INCOMING_FUNDS, read.value_day(year, e["start_date"]), amount, e["currency"],
                                            f"Recursos del proyecto en su moneda original.{note}", funder, read.reporting))
        description = " ".join(part for part in (
            _sentence(e["description"] or e["name"]), f"Fuente: {where}." if where else None) if part)
        out.append(Activity(
            read.identifier(eid), eid, e["name"], description, e["currency"] if amount else "COP", _unique(participants),
            _engagement_dates(read, e, year),
            sectors_of([(x["sector_id"], read.sector_names.get(x["sector_id"])) for x in entities]),
            transactions=transactions, report=report))
    return out


def publication(store, settings, *, today: date | None = None, activities: bool = True) -> Publication:
    """Everything the activity file (or, without `activities`, the organisation file) says, from the
    store's current data."""
    from coopgraph.loaders import history

    reporting = Org(DISTRICT_NAME, settings.iati_reporting_org_type, settings.iati_reporting_org)
    read = _Reader(store, reporting, today or date.today())
    found = engagement_activities(read) + contribution_activities(read) if activities else []
    stamp = history.stamp(store)
    reports = sorted({s["title"] for s in read.sources.values() if s.get("kind") == "report" and s.get("title")})
    return Publication(reporting, settings.iati_activity_status, "CO", found, reports, settings.iati_report_url,
                       settings.iati_pdd_uri, stamp["data_version"], stamp["loaded_at"])
