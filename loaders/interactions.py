"""Validate an interaction export (see interaction_schema) and turn it into graph rows.

The whole file is checked before anything is written; every problem names the file, line,
column, the value and what was expected. Checks are vectorised with pandas so a million rows
validate in seconds.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopgraph.errors import Problem
from coopgraph.loaders.interaction_schema import BY_NAME, COLUMNS, canonical_header
from coopgraph.loaders.names import fold, lookalike, slug
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.tabular import RawTable
from coopgraph.settings import get_settings
from coopgraph.money import parse_amount

ACTION_TYPES = ("Cooperación Col-Col", "Cooperación Internacional", "Diplomacia de Ciudad y Posicionamiento", "Misión")
COLLABORATION_TYPES = ("Alianzas", "Asistencia técnica", "Buenas prácticas intercambio de conocimiento",
                       "Convenio de Cooperación", "Curso capacitación", "Donación", "Evento campaña", "Premio")
TRUE = {"SI", "S", "YES", "Y", "TRUE", "VERDADERO", "1", "X"}
FALSE = {"NO", "N", "FALSE", "FALSO", "0"}
MAX_LISTED = 10_000  # problems kept in detail; more are counted
PLAN_YEARS = range(2024, 2028)  # objectives 1-5 are those of the PDD 2024-2027 "Bogotá Camina Segura"


@dataclass
class Validated:
    rows: pd.DataFrame                 # typed, resolved, one per valid row
    problems: list[Problem]
    bad: pd.Series                     # bool per raw row: has at least one problem
    reasons: pd.Series                 # text per raw row: why it was rejected
    unknown_columns: list[str] = field(default_factory=list)
    new_cooperants: dict[str, str] = field(default_factory=dict)   # name -> id, flagged for review
    new_entities: dict[str, str] = field(default_factory=dict)
    problem_count: int = 0

    @classmethod
    def nothing(cls) -> "Validated":
        """What a file already loaded byte for byte yields: no rows to write, no problems."""
        return cls(pd.DataFrame(), [], pd.Series(dtype=bool), pd.Series(dtype=object))


class _Checker:
    def __init__(self, raw: RawTable):
        self.raw = raw
        self.lines = raw.line_numbers()
        self.problems: list[Problem] = []
        self.count = 0
        self.bad = pd.Series(False, index=raw.frame.index)
        self.reasons = pd.Series("", index=raw.frame.index, dtype=object)

    def flag(self, mask: pd.Series, column: str | None, values: pd.Series | None, expected: str) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        self.bad |= mask
        self.reasons[mask] = self.reasons[mask] + f"{column or 'fila'}: se esperaba {expected}; "
        self.count += int(mask.sum())
        for index in mask[mask].index[: max(0, MAX_LISTED - len(self.problems))]:
            value = None if values is None else str(values[index])
            self.problems.append(Problem(str(self.raw.path), int(self.lines[index]), column, value, expected))


class _Column:
    """A file column as its distinct (stripped) values and, per row, which one it holds.

    Exports repeat a few thousand names and codes over a million rows: checks run on the
    distinct values only and are spread back to the rows, which keeps validation fast.
    """

    def __init__(self, series: pd.Series | None, rows: int):
        if series is None:
            self.codes, self.uniques = np.zeros(rows, dtype="int64"), pd.Series([""], dtype=object)
        else:
            codes, uniques = pd.factorize(series, use_na_sentinel=False)
            self.codes, self.uniques = codes, pd.Series(uniques, dtype=object).astype(str).str.strip()

    def map(self, check):
        """`check` takes the distinct values (a Series) and returns one Series, or a tuple of them."""
        result = check(self.uniques)
        return tuple(self._spread(r) for r in result) if isinstance(result, tuple) else self._spread(result)

    def _spread(self, result) -> pd.Series:
        values = np.asarray(result)
        return pd.Series(values[self.codes])

    def __getitem__(self, row: int) -> str:
        return self.uniques.iat[self.codes[row]]

    def given(self) -> pd.Series:
        return self.map(lambda u: u != "").astype(bool)


def _number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Digits of a whole number, or NaN; and the mask of non-empty cells that are not one."""
    text = series.str.strip()
    good = text.str.fullmatch(r"[0-9]{1,9}")
    value = pd.to_numeric(text.where(good), errors="coerce")
    return value, (text != "") & ~good


# '13', 'ODS 13', '13. Acción por el clima', '13 - Acción', 'Objetivo 2'; never '13,14', '13a' or '13.5'
# (a list, a typo and a target would each lose something if read as their first number)
_LEADING_NUMBER = r"^(?:ODS|OBJETIVO|OBJ\.?)?\s*([0-9]{1,2})(?:\.?$|\s*[.:\-–]?\s+[^\d\s].*$)"


def _leading_number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The number a cell names, and the mask of non-empty cells that name none (or more than one)."""
    text = series.str.strip()
    found = text.str.extract(_LEADING_NUMBER, flags=2)[0]  # 2 = re.IGNORECASE
    return pd.to_numeric(found, errors="coerce"), (text != "") & found.isna()


def _money_cents(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Exact centavos of each distinct cell (see coopgraph.money.parse_amount); empty is 0.

    Returns (cents as int64, what is wrong with each bad cell or "", negative mask).
    """
    cents, wrong = [], []
    for text in series:
        try:
            value = parse_amount(text) if text.strip() else 0
            cents.append(value)
            wrong.append("")
        except ValueError as exc:
            cents.append(0)
            wrong.append(str(exc))
    cents = pd.Series(cents, index=series.index, dtype="int64")
    return cents.clip(lower=0), pd.Series(wrong, index=series.index, dtype=object), cents < 0


def known_currencies() -> set[str]:
    """ISO 4217 codes (CLDR's list, through babel: it holds every currency the ECB and the TRM rate)."""
    from babel.numbers import list_currencies

    return set(list_currencies()) | {"COP", "USD"}


def validate(raw: RawTable, registry: Registry) -> Validated:
    check = _Checker(raw)
    path = str(raw.path)
    columns: dict[str, str] = {}  # canonical -> file header
    unknown = []
    for header in raw.frame.columns:
        name = canonical_header(header)
        if name is None:
            unknown.append(str(header))
        elif name in columns:
            check.problems.append(Problem(path, 1, str(header), None, f"one column for {name}, but {columns[name]!r} is also it"))
            check.count += 1
        else:
            columns[name] = header
    missing = [c.name for c in COLUMNS if c.required and c.name not in columns]
    for name in missing:
        check.problems.append(Problem(path, 1, name, None, f"a column {name!r} ({BY_NAME[name].english}) in the header"))
        check.count += 1
    empty_frame = raw.frame.empty
    if empty_frame:
        check.problems.append(Problem(path, 2, None, None, "at least one interaction below the header"))
        check.count += 1
    if missing or empty_frame or check.problems:
        return Validated(pd.DataFrame(), check.problems, check.bad, check.reasons, unknown, problem_count=check.count)

    frame = raw.frame.reset_index(drop=True)
    cell = {name: _Column(frame[columns[name]] if name in columns else None, len(frame)) for name in BY_NAME}
    out = pd.DataFrame(index=frame.index)
    out["line"] = check.lines

    year, bad = cell["año"].map(_number)
    year = year.astype(float)
    check.flag(bad.astype(bool) | year.isna() | (year < 1990) | (year > 2100), "año", cell["año"], "a year such as 2024")
    out["year"] = year.fillna(0).astype("int64")

    count, bad = cell["cantidad"].map(_number)
    count = count.astype(float)
    check.flag(bad.astype(bool) | (count == 0), "cantidad", cell["cantidad"], "a whole number of interactions, 1 or more")
    most = get_settings().load_max_interactions_per_row
    check.flag(count > most, "cantidad", cell["cantidad"],
               f"at most {most:,} interactions in one row (COOPGRAPH_LOAD_MAX_INTERACTIONS_PER_ROW); check the number")
    out["interactions"] = count.fillna(1).astype("int64")

    amounts = {}
    for name in ("aporte_cooperante", "contrapartida_distrital", "valor_total"):
        cents, wrong, negative = cell[name].map(_money_cents)
        for reason in wrong[wrong != ""].unique():
            check.flag(wrong == reason, name, cell[name], reason)
        check.flag(negative.astype(bool), name, cell[name], "an amount of 0 or more")
        amounts[name] = cents.astype("int64")
    out["cooperant_cents"] = amounts["aporte_cooperante"]
    out["counterpart_cents"] = amounts["contrapartida_distrital"]
    out["total_cents"] = out.cooperant_cents + out.counterpart_cents
    check.flag(cell["valor_total"].given() & (amounts["valor_total"] != out.total_cents), "valor_total",
               cell["valor_total"], "aporte_cooperante + contrapartida_distrital")

    flag = cell["monetario"].map(lambda u: u.map(fold))
    check.flag(~flag.isin(TRUE | FALSE | {""}), "monetario", cell["monetario"], "Sí or No")
    out["monetary"] = np.where(flag == "", out.total_cents > 0, flag.isin(TRUE))
    check.flag(out.monetary & (out.total_cents == 0) & (flag != ""), "aporte_cooperante", cell["aporte_cooperante"],
               "an amount above 0 for a monetary interaction (or monetario = No)")

    known = known_currencies()
    currency, good = cell["moneda"].map(lambda u: (u.str.strip().str.upper().replace("", "COP"),
                                                    u.str.strip().str.upper().replace("", "COP").isin(known)))
    check.flag(~good.astype(bool), "moneda", cell["moneda"],
               "an ISO 4217 currency code such as COP, USD or EUR (an unknown code would drop the money from every total)")
    out["currency"] = currency

    sdg, bad = cell["ods"].map(_leading_number)
    sdg = sdg.astype(float)
    check.flag(bad.astype(bool) | ((sdg < 1) | (sdg > 17)), "ods", cell["ods"],
               "an ODS number from 1 to 17, one per row (a row with two ODS is two rows; a target such as 13.5 is written 13)")
    out["sdg"] = sdg.where((sdg >= 1) & (sdg <= 17))

    objective, bad = cell["objetivo_pdd"].map(_leading_number)
    objective = objective.astype(float)
    check.flag(bad.astype(bool) | ((objective < 1) | (objective > 5)), "objetivo_pdd", cell["objetivo_pdd"],
               "a PDD objective from 1 to 5, a whole number")
    check.flag(objective.notna() & ~out.year.isin(PLAN_YEARS), "objetivo_pdd", cell["objetivo_pdd"],
               "no PDD objective outside 2024-2027: coopgraph knows the objectives of Bogotá Camina Segura only")
    out["objective"] = objective.where((objective >= 1) & (objective <= 5))

    out["description"] = cell["descripcion"].map(lambda u: u.replace("", None))
    single = out.interactions == 1
    for name, label in (("entidad_distrital", "a district entity"), ("cooperante", "a cooperant")):
        check.flag(single & ~cell[name].given(), name, cell[name], f"{label} (required when cantidad is 1)")

    for name in ("entidad_distrital", "cooperante"):  # '!!!' or '★★★' would all become the id ""
        nameless = cell[name].map(lambda u: u.map(lambda v: bool(v) and not fold(v)))
        check.flag(nameless.astype(bool), name, cell[name], "a name with letters or digits")
    for name in ("entidad_distrital", "cooperante"):  # a look-alike would load as a new organisation
        why = cell[name].map(lambda u: u.map(lambda v: _imitation(v, registry) if v else ""))
        for reason in [r for r in why.unique() if r]:
            check.flag(why == reason, name, cell[name], reason)
    new_entities, new_cooperants = {}, {}
    out["entity_id"] = cell["entidad_distrital"].map(lambda u: _resolve(u, registry.entity_id, new_entities))
    out["org_id"] = cell["cooperante"].map(lambda u: _resolve(u, registry.org_id, new_cooperants))

    sector_given = cell["sector"].map(lambda u: _resolve(u, registry.sector_id, None))
    check.flag(cell["sector"].given() & sector_given.isna(), "sector", cell["sector"], "a sector of the district administration")
    entity_sector = {e: registry.entity_sector(e) for e in out.entity_id.dropna().unique()}
    out["sector_id"] = sector_given.fillna(out.entity_id.map(entity_sector))

    vocab_checks = (("tipo_accion", ACTION_TYPES, "action_id"), ("tipo_colaboracion", COLLABORATION_TYPES, "collaboration_id"))
    for name, vocabulary, target in vocab_checks:
        known = {fold(v): slug(v) for v in vocabulary}
        resolved = cell[name].map(lambda u: u.map(lambda v: known.get(fold(v)) if v else None))
        check.flag(cell[name].given() & resolved.isna(), name, cell[name], "one of: " + ", ".join(vocabulary))
        out[target] = resolved

    program = cell["programa_pdd"].map(lambda u: _resolve(u, registry.program_id, None))
    check.flag(cell["programa_pdd"].given() & program.isna(), "programa_pdd", cell["programa_pdd"],
               "the code of a PDD program, such as 3.22")
    out["program_id"] = program
    network = cell["red_ciudades"].map(lambda u: _resolve(u, registry.network_id, None))
    check.flag(cell["red_ciudades"].given() & network.isna(), "red_ciudades", cell["red_ciudades"],
               "a city network coopgraph knows (C40, UCCI, CGLU, Metrópolis, CIDEU, ICLEI…)")
    out["network_id"] = network

    ids = cell["id_interaccion"].map(lambda u: u)
    with_id = ids != ""
    if (~with_id).any():
        plain = frame[~with_id.values]
        check.flag(pd.Series(plain.duplicated(keep="first"), index=plain.index).reindex(frame.index, fill_value=False),
                   None, None, "a row that does not repeat an earlier one (use cantidad for several identical interactions)")
    out["id"] = ids.where(with_id, None)
    if unknown:  # kept, not dropped: a JSON text of the columns the schema does not know
        extra = frame[unknown].astype(str)
        texts = pd.Series([json.dumps({k: v for k, v in zip(unknown, values) if v}, ensure_ascii=False)
                           for values in extra.itertuples(index=False)], index=out.index)
        out["extra"] = texts.where(texts != "{}", None)
    else:
        out["extra"] = None
    # A row without id_interaccion is identified by its facts, so the same row in another file is
    # the same interaction (a file cannot repeat one: see the check above).
    out.loc[~with_id.values, "id"] = _fact_ids(out[~with_id.values])
    check.flag(with_id & ids.duplicated(keep="first"), "id_interaccion", cell["id_interaccion"], "each id_interaccion once")
    check.flag((~with_id & out["id"].duplicated(keep="first") & ~check.bad).astype(bool), None, None,
               "a row that does not state the same facts as an earlier one")
    rows = out[~check.bad]
    used = set(rows.entity_id.dropna()) | set(rows.org_id.dropna())
    return Validated(rows, check.problems, check.bad, check.reasons, unknown,
                     {k: v for k, v in new_cooperants.items() if v in used},
                     {k: v for k, v in new_entities.items() if v in used}, check.count)


def _imitation(name: str, registry: Registry) -> str:
    """"" for an honest name; else what is expected, naming the organisation it reads like."""
    why = lookalike(name)
    if why is None:
        return ""
    near = registry.candidates(name.translate(_HOMOGLYPHS), limit=1)
    like = f" and reads like the known organisation {near[0][0]!r}" if near and near[0][1] >= 85 else ""
    return f"a name in one script without invisible characters; {why}{like} (retype it)"


# Cyrillic and Greek capitals that look like Latin ones, to find what a look-alike name imitates
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТУХІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEKMHOPCTYXIJSABEZHIKMNOPTYX")


def _resolve(names: pd.Series, lookup, new: dict | None) -> pd.Series:
    """Look each distinct name up once; unknown names get a slug id recorded in `new` (or None)."""
    out = []
    for name in names:
        found = lookup(name) if name else None
        if found is None and name and new is not None:
            found = new.setdefault(name, slug(name))
        out.append(found)
    return pd.Series(out, dtype=object)


FACT_COLUMNS = ("year", "interactions", "monetary", "currency", "cooperant_cents", "counterpart_cents", "sector_id",
                "entity_id", "org_id", "action_id", "collaboration_id", "sdg", "objective", "program_id", "network_id",
                "description", "extra")


def _fact_ids(rows: pd.DataFrame) -> pd.Series:
    """'interaccion/<hash of the row's parsed facts>': the same facts give the same id in any file."""
    def one(values) -> str:
        text = json.dumps([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values],
                          ensure_ascii=False, default=str)
        return "interaccion/" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    return pd.Series([one(values) for values in rows[list(FACT_COLUMNS)].itertuples(index=False)],
                     index=rows.index, dtype=object)
