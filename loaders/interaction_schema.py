"""The interaction schema: one row per interaction, as analysts export them from GLOBO.

Declared once here; docs/interactions.md, the template file and the validator all read it.
Headers match in Spanish or English, any case, with or without accents, spaces or underscores.
"""
from __future__ import annotations

from dataclasses import dataclass

from coopgraph.loaders.names import fold


@dataclass(frozen=True)
class Column:
    name: str            # the Spanish header coopgraph writes
    english: str         # the English header it also accepts
    kind: str            # how the value is read: see loaders/interactions.py
    required: bool
    description: str
    synonyms: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("id_interaccion", "interaction_id", "id", False,
           "Identificador de la interacción en GLOBO; si falta, la fila del archivo la identifica.",
           ("id", "codigo", "código", "id interaccion")),
    Column("año", "year", "year", True, "Año de la interacción (vigencia), p. ej. 2024.", ("ano", "anio", "vigencia")),
    Column("entidad_distrital", "district_entity", "entity", False,
           "Entidad distrital (nombre o sigla: SDM, SDA, IDIGER…). Obligatoria si cantidad = 1.",
           ("entidad", "entidad distrital principal", "entity")),
    Column("sector", "sector", "sector", False,
           "Sector de la administración distrital; si falta, el de la entidad.", ()),
    Column("cooperante", "cooperant", "cooperant", False,
           "Entidad cooperante o aliado. Obligatoria si cantidad = 1. Un nombre nuevo queda marcado para revisión.",
           ("entidad cooperante", "aliado", "entidad cooperante / aliado", "cooperante / aliado", "partner")),
    Column("tipo_accion", "action_type", "action_type", False,
           "Tipo de acción (Tabla 4): Cooperación Col-Col, Cooperación Internacional, "
           "Diplomacia de Ciudad y Posicionamiento, Misión.", ("tipo de accion",)),
    Column("tipo_colaboracion", "collaboration_type", "collaboration_type", False,
           "Tipo de colaboración (Tabla 4): Alianzas, Asistencia técnica, Buenas prácticas intercambio de "
           "conocimiento, Convenio de Cooperación, Curso capacitación, Donación, Evento campaña, Premio.",
           ("tipo de colaboracion",)),
    Column("monetario", "monetary", "bool", False,
           "Sí si hubo aporte monetario, No si fue en especie; si falta, Sí cuando hay montos.", ("monetaria",)),
    Column("aporte_cooperante", "cooperant_amount", "money", False,
           "Valor del aporte del cooperante ($ 1.234.567,89 o 1234567.89); vacío = 0.",
           ("valor aporte cooperante", "valor aporte cooperante / aliado", "aporte")),
    Column("contrapartida_distrital", "counterpart_amount", "money", False,
           "Contrapartida distrital; vacío = 0.", ("contrapartida",)),
    Column("valor_total", "total_amount", "money", False,
           "Valor total; si se da, debe ser aporte + contrapartida.", ("total", "valor total")),
    Column("moneda", "currency", "currency", False, "Moneda ISO 4217 (COP por defecto); un código que no existe (ZZZ) se rechaza: sacaría el monto de todos los totales.", ()),
    Column("ods", "sdg", "sdg", False, "Objetivo de Desarrollo Sostenible, 1 a 17 (\"13\" o \"ODS 13\"); uno por fila: \"13,14\" o \"13.5\" se rechazan, nunca se truncan.",
           ("objetivo de desarrollo sostenible",)),
    Column("objetivo_pdd", "pdd_objective", "objective", False, "Objetivo del Plan Distrital de Desarrollo, 1 a 5, número entero.",
           ("objetivo pdd", "objetivo plan de desarrollo")),
    Column("programa_pdd", "pdd_program", "program", False, "Programa del PDD por su código, p. ej. 3.22.",
           ("programa",)),
    Column("red_ciudades", "city_network", "network", False, "Red de ciudades por la que llegó (C40, UCCI…).",
           ("red", "red de ciudades")),
    Column("descripcion", "description", "text", False, "Descripción de la interacción.", ("descripción",)),
    Column("cantidad", "interactions", "count", False,
           "Cuántas interacciones representa la fila (1 por defecto; más para un conteo agregado; a lo sumo COOPGRAPH_LOAD_MAX_INTERACTIONS_PER_ROW).",
           ("numero de interacciones", "no. interacciones")),
)
BY_NAME = {c.name: c for c in COLUMNS}


def _template():
    import pandas as pd

    example = {"id_interaccion": "GLOBO-2024-0001", "año": "2024", "entidad_distrital": "SECRETARÍA DISTRITAL DE MOVILIDAD",
               "sector": "MOVILIDAD", "cooperante": "BANCO MUNDIAL", "tipo_accion": "Cooperación Internacional",
               "tipo_colaboracion": "Asistencia técnica", "monetario": "Sí", "aporte_cooperante": "$ 133.770.000,00",
               "contrapartida_distrital": "0", "valor_total": "$ 133.770.000,00", "moneda": "COP", "ods": "11",
               "objetivo_pdd": "1", "programa_pdd": "1.06", "red_ciudades": "", "descripcion": "Ejemplo: borre esta fila",
               "cantidad": "1"}
    return pd.DataFrame([example], columns=[c.name for c in COLUMNS])


def _key(header: str) -> str:
    return fold(header).replace(" ", "")


HEADER_INDEX: dict[str, str] = {}
for _column in COLUMNS:
    for _alias in (_column.name, _column.english, *_column.synonyms):
        HEADER_INDEX[_key(_alias)] = _column.name


def canonical_header(header: str) -> str | None:
    """The schema column a file's header means, or None for a column the schema does not know."""
    return HEADER_INDEX.get(_key(str(header)))


TEMPLATE = _template()
