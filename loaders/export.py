"""Write the graph's contributions back in the interaction schema, so data can be fixed in a
spreadsheet and loaded again (`coopgraph load FILE`)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from coopgraph import spreadsheets
from coopgraph.errors import InputError
from coopgraph.loaders.interaction_schema import COLUMNS
from coopgraph.money import from_cents

QUERY = """
MATCH (c:Contribution)
WHERE c.year >= $from_year AND c.year <= $to_year
OPTIONAL MATCH (e:DistrictEntity)-[:RECEIVED]->(c)
OPTIONAL MATCH (o:Cooperant)-[:PROVIDED]->(c)
OPTIONAL MATCH (c)-[:IN_SECTOR]->(s:Sector)
OPTIONAL MATCH (c)-[:ADVANCES]->(g:SDG)
OPTIONAL MATCH (c)-[:SERVES]->(p:PDDObjective)
OPTIONAL MATCH (c)-[:IN_PROGRAM]->(pp:PDDProgram)
OPTIONAL MATCH (c)-[:THROUGH_NETWORK]->(n:CityNetwork)
OPTIONAL MATCH (c)-[:OF_ACTION_TYPE]->(a:ActionType)
OPTIONAL MATCH (c)-[:OF_COLLABORATION_TYPE]->(t:CollaborationType)
RETURN c.id AS id, c.year AS year, e.name AS entity, s.name AS sector, o.name AS cooperant,
       a.name AS action_type, t.name AS collaboration_type, c.monetary AS monetary,
       c.cooperant_cents AS cooperant_cents, c.counterpart_cents AS counterpart_cents,
       c.total_cents AS total_cents, c.currency AS currency, g.number AS sdg, p.number AS objective,
       pp.code AS program, n.acronym AS network, c.description AS description,
       c.interactions AS interactions, c.extra AS extra
ORDER BY id
"""


def interactions_frame(store, from_year: int = 0, to_year: int = 9999) -> pd.DataFrame:
    rows = store.read(QUERY, {"from_year": from_year, "to_year": to_year})
    frame = pd.DataFrame([{
        "id_interaccion": r["id"], "año": r["year"], "entidad_distrital": r["entity"] or "",
        "sector": r["sector"] or "", "cooperante": r["cooperant"] or "", "tipo_accion": r["action_type"] or "",
        "tipo_colaboracion": r["collaboration_type"] or "", "monetario": "Sí" if r["monetary"] else "No",
        "aporte_cooperante": from_cents(r["cooperant_cents"] or 0),
        "contrapartida_distrital": from_cents(r["counterpart_cents"] or 0),
        "valor_total": from_cents(r["total_cents"] or 0), "moneda": r["currency"] or "COP",
        "ods": r["sdg"] or "", "objetivo_pdd": r["objective"] or "", "programa_pdd": r["program"] or "",
        "red_ciudades": r["network"] or "", "descripcion": r["description"] or "",
        "cantidad": r["interactions"], **json.loads(r["extra"] or "{}"),
    } for r in rows])
    schema = [c.name for c in COLUMNS]
    extra = sorted({k for r in rows for k in json.loads(r["extra"] or "{}")} - set(schema))
    # the file's own columns a load kept as `extra` come back as columns, so they load back too
    return frame.reindex(columns=schema + extra).fillna("")


MONEY_COLUMNS = [c.name for c in COLUMNS if c.kind == "money"]


def write_interactions(frame: pd.DataFrame, path: Path, *, semicolon: bool = False) -> None:
    """Write as CSV (UTF-8 with BOM; `semicolon` for Spanish spreadsheets) or XLSX (money as numbers)
    through the one spreadsheet writer; every text cell is spreadsheet-safe and the loader undoes it."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError.single(path, None, None, None, "a file name ending in .csv or .xlsx")
    kinds = {name: spreadsheets.MONEY for name in MONEY_COLUMNS} | {"cantidad": spreadsheets.COUNT}
    table = spreadsheets.Table(list(frame.columns), frame.itertuples(index=False, name=None), kinds,
                               title="interacciones")
    spreadsheets.write(path, [table], semicolon=semicolon)
