"""Parse the yearly cooperation report (text, tab-separated tables) into tidy tables.

The report is the district's "Informe de gestión y ejecución de recursos de cooperación";
its tables and the totals its narrative quotes become the frames declared in tables.py.
Anything that does not look like what a table should hold is an InputError naming the line.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from coopgraph.errors import InputError
from coopgraph.money import parse_cop

TITLE = re.compile(r"INFORME DE GESTI[ÓO]N Y EJECUCI[ÓO]N DE RECURSOS DE COOPERACI[ÓO]N.*?(\d{4})")
SECTION = re.compile(r"^(\d)\.\s+[A-ZÁÉÍÓÚÑ]")  # "2. OBJETIVOS DE …" (body headings, not the index)
SUBSECTION = re.compile(r"^(\d\.\d(?:\.\d)?)\.\s+\S")
MANDATE = re.compile(r"conforme (?:lo establece|a lo establecido en) el (Acuerdo(?: Distrital)? \d+ de \d{4})")


@dataclass
class Line:
    number: int  # 1-based, as an editor shows it
    text: str


class ReportParser:
    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = [Line(i + 1, t.rstrip("\r")) for i, t in enumerate(text.split("\n"))]
        self.year = self._year()
        self.report_id = f"informe-{self.year}"
        self.sources: list[dict] = [
            {"id": self.report_id, "title": self._title(), "kind": "report", "parent": "",
             "year": self.year, "line": 1, "mandate": "", "mandate_line": ""}]
        self.claims: list[dict] = []

    # -- helpers -------------------------------------------------------------------------
    def fail(self, line: Line | None, expected: str, column: str | None = None, value: str | None = None):
        raise InputError.single(self.path, line.number if line else None, column,
                                value if value is not None else (line.text[:80] if line else None), expected)

    def _title(self) -> str:
        for line in self.lines[:20]:
            if TITLE.search(line.text):
                return line.text.strip()
        self.fail(None, "the report title 'INFORME DE GESTIÓN Y EJECUCIÓN DE RECURSOS DE COOPERACIÓN … <año>' "
                        "within the first 20 lines")

    def _year(self) -> int:
        for line in self.lines[:20]:
            match = TITLE.search(line.text)
            if match:
                return int(match.group(1))
        self._title()  # raises with the explanation
        raise AssertionError

    def money(self, line: Line, text: str, column: str) -> Decimal:
        try:
            return parse_cop(text)
        except ValueError:
            self.fail(line, "an amount written the Colombian way, such as $ 1.234.567,89", column, text)

    def integer(self, line: Line, text: str, column: str) -> int:
        if not re.fullmatch(r"\d+", text.strip()):
            self.fail(line, "a whole number", column, text)
        return int(text)

    def add_source(self, sid: str, title: str, kind: str, line: Line) -> str:
        full = f"{self.report_id}/{sid}"
        self.sources.append({"id": full, "title": title, "kind": kind, "parent": self.report_id,
                             "year": self.year, "line": line.number, "mandate": "", "mandate_line": ""})
        return full

    def claim(self, claim_id: str, source: str, line: Line, description: str, stated, unit: str):
        self.claims.append({"claim_id": claim_id, "source": source, "line": line.number,
                            "description": description, "stated": Decimal(stated), "unit": unit})

    def find(self, pattern: str, start: int = 0) -> tuple[Line, re.Match]:
        found = self.find_optional(pattern, start)
        if found is None:
            self.fail(None, f"a line matching {pattern!r}")
        return found

    def find_optional(self, pattern: str, start: int = 0) -> tuple[Line, re.Match] | None:
        regex = re.compile(pattern)
        for line in self.lines[start:]:
            if match := regex.search(line.text):
                return line, match
        return None

    def table_block(self, title_regex: str, what: str) -> tuple[Line, list[Line]]:
        """The lines between a table's title and its 'Fuente:' line."""
        title, _ = self.find(title_regex)
        body = []
        for line in self.lines[title.number:]:
            if line.text.startswith("Fuente:"):
                return title, body
            body.append(line)
        self.fail(title, f"a 'Fuente:' line closing {what}")

    @staticmethod
    def is_blank(line: Line) -> bool:
        return not line.text.strip()

    # -- sections -----------------------------------------------------------------------
    def sections(self) -> dict[str, Line]:
        """Body section headings ('2. OBJETIVOS …'), skipping the index (which has dot leaders)."""
        found = {}
        for line in self.lines:
            m = SECTION.match(line.text)
            if m and "....." not in line.text and "\t" not in line.text:
                number = m.group(1)
                found.setdefault(number, line)
        for number in "123456":
            if number not in found:
                self.fail(None, f"a heading for section {number} ('{number}. TÍTULO')")
        for number, line in sorted(found.items()):
            self.add_source(f"seccion-{number}", line.text.strip(), "section", line)
        for line in self.lines:  # numbered subsections such as "6.1.1. C40 Cities"
            if (m := SUBSECTION.match(line.text)) and "\t" not in line.text:
                self.add_source(f"seccion-{m.group(1)}", line.text.strip(), "section", line)
        return found

    # -- tables -------------------------------------------------------------------------
    def tabla_1(self) -> pd.DataFrame:
        title, body = self.table_block(r"^Tabla 1\.", "Tabla 1")
        source = self.add_source("tabla-1", title.text.strip(), "table", title)
        row = re.compile(r"^(\d{1,2})\.\s+([^\t]+)\t(\d+)\t(\d+)\t(\d+)\t(.+)$")
        total = re.compile(r"^Total general\t(\d+)\t(\d+)\t(\d+)\t(.+)$")
        rows = []
        for line in body:
            if self.is_blank(line) or line.text.startswith(("Objetivos de Desarrollo", "\tcon No monetarios")):
                continue
            if m := row.match(line.text):
                rows.append({"source": source, "line": line.number, "sdg": int(m.group(1)),
                             "name": m.group(2).strip(),
                             "interactions_non_monetary": int(m.group(3)),
                             "interactions_monetary": int(m.group(4)), "interactions": int(m.group(5)),
                             "total_cop": self.money(line, m.group(6), "Monto total de aportes")})
            elif m := total.match(line.text):
                self.claim("tabla-1.non_monetary", source, line, "Tabla 1, Total general: interacciones no monetarias", m.group(1), "count")
                self.claim("tabla-1.monetary", source, line, "Tabla 1, Total general: interacciones con aportes monetarios", m.group(2), "count")
                self.claim("tabla-1.interactions", source, line, "Tabla 1, Total general: total interacciones", m.group(3), "count")
                self.claim("tabla-1.total", source, line, "Tabla 1, Total general: monto total de aportes",
                           self.money(line, m.group(4), "Monto total de aportes"), "COP")
            else:
                self.fail(line, "a Tabla 1 row: 'N. Objetivo<TAB>no monetarias<TAB>monetarias<TAB>total<TAB>$ monto'")
        if not rows:
            self.fail(title, "at least one ODS row in Tabla 1")
        return pd.DataFrame(rows)

    def tabla_2(self) -> pd.DataFrame:
        title, body = self.table_block(r"^Tabla 2\.", "Tabla 2")
        source = self.add_source("tabla-2", title.text.strip(), "table", title)
        row = re.compile(r"^(\d+)\t([^\t]+)\t(\d+)$")
        total = re.compile(r"^TOTAL GENERAL\t\t?(\d+)$")
        rows = []
        for line in body:
            if self.is_blank(line) or line.text.startswith("No.\tENTIDAD COOPERANTE"):
                continue
            if m := row.match(line.text):
                rows.append({"source": source, "line": line.number, "no": int(m.group(1)),
                             "name": m.group(2).strip(), "interactions": int(m.group(3))})
            elif m := total.match(line.text):
                self.claim("tabla-2.interactions", source, line, "Tabla 2, TOTAL GENERAL: interacciones", m.group(1), "count")
            else:
                self.fail(line, "a Tabla 2 row: 'No.<TAB>ENTIDAD COOPERANTE<TAB>No. INTERACCIONES'")
        return pd.DataFrame(rows)

    def tabla_3(self) -> pd.DataFrame:
        title, body = self.table_block(r"^Tabla 3\.", "Tabla 3")
        source = self.add_source("tabla-3", title.text.strip(), "table", title)
        row = re.compile(r"^([^\t]+)\t(\d+)$")
        rows = []
        for line in body:
            if self.is_blank(line) or line.text.startswith("ENTIDAD DISTRITAL PRINCIPAL"):
                continue
            m = row.match(line.text)
            if not m:
                self.fail(line, "a Tabla 3 row: 'ENTIDAD DISTRITAL<TAB>No. INTERACCIONES'")
            if m.group(1).strip() == "TOTAL GENERAL":
                self.claim("tabla-3.interactions", source, line, "Tabla 3, TOTAL GENERAL: interacciones", m.group(2), "count")
            else:
                rows.append({"source": source, "line": line.number, "name": m.group(1).strip(),
                             "interactions": int(m.group(2))})
        return pd.DataFrame(rows)

    def tabla_4(self) -> pd.DataFrame:
        title, body = self.table_block(r"^Tabla 4\.", "Tabla 4")
        source = self.add_source("tabla-4", title.text.strip(), "table", title)
        row = re.compile(r"^([^\t]*)\t([^\t]*)\t(\\?\$\s?[\d.,]+)$")
        rows, action = [], None
        for line in body:
            if self.is_blank(line) or line.text.startswith(("Cifras en Millones", "Tipo de Acción\t")):
                continue
            m = row.match(line.text)
            if not m:
                self.fail(line, "a Tabla 4 row: 'Tipo de Acción<TAB>Tipo de Colaboración<TAB>$ valor'")
            first, second = m.group(1).strip(), m.group(2).strip()
            value = self.money(line, m.group(3), "Valor")
            if first == "Total general":
                self.claim("tabla-4.total", source, line, "Tabla 4, Total general (millones de pesos)", value, "COP_millions")
                continue
            if first:
                action = first
            if action is None:
                self.fail(line, "a Tipo de Acción in the first column before its collaboration rows")
            if second == "Sub Total":
                self.claim(f"tabla-4.subtotal.{_slug(action)}", source, line,
                           f"Tabla 4, Sub Total {action} (millones de pesos)", value, "COP_millions")
            else:
                rows.append({"source": source, "line": line.number, "action_type": action,
                             "collaboration_type": second, "value_millions": value})
        return pd.DataFrame(rows)

    def tabla_5(self) -> pd.DataFrame:
        title, body = self.table_block(r"^Tabla 5\.", "Tabla 5")
        source = self.add_source("tabla-5", title.text.strip(), "table", title)
        columns = ["VALOR APORTE COOPERANTE / ALIADO", "CONTRAPARTIDA DISTRITAL", "VALOR TOTAL"]
        rows = []
        for line in body:
            if self.is_blank(line) or line.text.startswith("SECTOR\tENTIDAD DISTRITAL"):
                continue
            cells = line.text.split("\t")
            if cells[0].strip() == "TOTAL GENERAL":
                amounts = [c for c in cells[1:] if c.strip()]
                if len(amounts) != 3:
                    self.fail(line, "TOTAL GENERAL followed by three amounts")
                for key, column, text in zip(("cooperant", "counterpart", "total"), columns, amounts):
                    self.claim(f"tabla-5.{key}", source, line, f"Tabla 5, TOTAL GENERAL: {column.lower()}",
                               self.money(line, text, column), "COP")
                continue
            if len(cells) != 6 or not all(c.strip() for c in cells[:3]):
                self.fail(line, "a Tabla 5 row of six tab-separated cells: SECTOR, ENTIDAD DISTRITAL, "
                                "ENTIDAD COOPERANTE, three amounts")
            cooperant, counterpart, total = (self.money(line, t, c) for t, c in zip(cells[3:], columns))
            rows.append({"source": source, "line": line.number, "row": len(rows) + 1,
                         "sector": cells[0].strip(), "entity": cells[1].strip(), "cooperant": cells[2].strip(),
                         "cooperant_cop": cooperant, "counterpart_cop": counterpart, "total_cop": total})
        return pd.DataFrame(rows)

    def cideu(self, sections: dict[str, Line]) -> pd.DataFrame:
        header, _ = self.find(r"^Actividad\tInversi[óo]n estimada de CIDEU", sections["6"].number)
        source = self.add_source("seccion-6/cideu", "CIDEU: actividades e inversión estimada de CIDEU (€)",
                                 "table", header)
        row = re.compile(r"^(.+)\t([\d.]+,\d{2})$")
        rows = []
        for line in self.lines[header.number:]:
            if self.is_blank(line):
                continue
            m = row.match(line.text)
            if not m:
                if rows and "\t" not in line.text:
                    break  # the narrative resumes after the table
                self.fail(line, "a CIDEU activity row: 'Actividad<TAB>euros such as 1.980,00'")
            text = html.unescape(re.sub(r"</?p>", "", m.group(1))).strip()
            parts = re.split(r"<i>|</i>", text)
            activity = parts[0].strip()
            participants = " ".join(p.strip() for p in parts[1:] if p.strip())
            amount = self.money(line, m.group(2), "Inversión estimada de CIDEU (€)")
            rows.append({"source": source, "line": line.number, "row": len(rows) + 1,
                         "activity": activity, "participants": participants, "amount_eur": amount})
        if not rows:
            self.fail(header, "at least one CIDEU activity row")
        return pd.DataFrame(rows)

    # -- narrative ----------------------------------------------------------------------
    def narrative(self, sections: dict[str, Line]):
        sid = lambda n: f"{self.report_id}/seccion-{n}"  # noqa: E731
        start = lambda n: sections[n].number  # noqa: E731
        money = r"\\?\$\s?([\d.]+,\d{2}|[\d.]+)"

        line, m = self.find(rf"se realizaron (\d+) interacciones, que aportaron un total de {money}", start("2"))
        self.claim("seccion-2.interactions", sid(2), line, "Sección 2: interacciones del año", m.group(1), "count")
        self.claim("seccion-2.total", sid(2), line, "Sección 2: total de recursos", self.money(line, m.group(2), "texto"), "COP")

        line, m = self.find(r"se realizaron (\d+) interacciones, distribuidas", start("3"))
        self.claim("seccion-3.interactions", sid(3), line, "Sección 3: interacciones distribuidas entre entidades", m.group(1), "count")

        line, m = self.find(rf"alcanzaron una suma de {money}, con una contrapartida.*? de {money}, para un total de recursos de {money}", start("4"))
        for key, group, text in (("cooperant", 1, "recursos de cooperación recibidos"),
                                 ("counterpart", 2, "contrapartida de las entidades distritales"),
                                 ("total", 3, "total de recursos")):
            self.claim(f"seccion-4.{key}", sid(4), line, f"Sección 4: {text}", self.money(line, m.group(group), "texto"), "COP")

        line, m = self.find(rf"movilizó recursos técnicos y financieros por {money} millones", start("5"))
        self.claim("seccion-5.total_millions", sid(5), line, "Sección 5: recursos movilizados (millones de pesos)",
                   self.money(line, m.group(1), "texto"), "COP_millions")
        for number in range(1, 6):
            share = self.find_optional(rf"(?:el )?(\d+,\d+)% de los (?:fondos monetizados|recursos) se destinaron al Objetivo {number}", start("5"))
            if share:
                line, m = share
                self.claim(f"seccion-5.objective-{number}.share", sid(5), line,
                           f"Sección 5: participación del Objetivo {number} del PDD (%)",
                           Decimal(m.group(1).replace(",", ".")), "percent")
                line, m = self.find(r"Se han gestionado (\d+) interacciones", line.number - 1)
                self.claim(f"seccion-5.objective-{number}.interactions", sid(5), line,
                           f"Sección 5: interacciones del Objetivo {number} del PDD", m.group(1), "count")

        line, m = self.find(r"participaron en (\d+) proyectos de cooperación con la red de ciudades española CIDEU.*?por un valor total de ([\d.]+) euros", start("6"))
        self.claim("seccion-6.cideu.projects", f"{self.report_id}/seccion-6", line,
                   "Sección 6: proyectos con CIDEU", m.group(1), "count")
        self.claim("seccion-6.cideu.eur", f"{self.report_id}/seccion-6", line,
                   "Sección 6: valor total de los proyectos con CIDEU (€)", self.money(line, m.group(2), "texto"), "EUR")

    def mandate(self, sections: dict[str, Line]) -> None:
        """The act the introduction says the report is presented under ('conforme lo establece el
        Acuerdo 438 de 2010'), on the report's row; left empty when the introduction names none."""
        for line in self.lines[sections["1"].number - 1:sections["2"].number - 1]:
            if match := MANDATE.search(line.text):
                self.sources[0].update(mandate=match.group(1), mandate_line=str(line.number))
                return

    def parse(self) -> dict[str, pd.DataFrame]:
        sections = self.sections()
        self.mandate(sections)
        tables = {"sdg": self.tabla_1(), "cooperants": self.tabla_2(), "entities": self.tabla_3(),
                  "collaboration": self.tabla_4(), "contributions": self.tabla_5(),
                  "cideu": self.cideu(sections)}
        self.narrative(sections)
        tables["sources"] = pd.DataFrame(self.sources)
        tables["claims"] = pd.DataFrame(self.claims)
        return tables


def _slug(text: str) -> str:
    from unidecode import unidecode
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")


def parse_report(path: Path) -> dict[str, pd.DataFrame]:
    """Parse a report file into the frames declared in loaders.tables.TABLES."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError.single(path, None, None, None, f"a readable file ({exc.strerror})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(path, line, None, None, "UTF-8 text (the report as text, not a binary file)")
    if "\x00" in text:
        raise InputError.single(path, text[: text.index("\x00")].count("\n") + 1, None, None,
                                "text without NUL bytes (the report as text, not a binary file)")
    return ReportParser(path, text).parse()
