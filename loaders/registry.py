"""Who is who: resolves the names tables use to canonical nodes.

With the reviewed data of data/curated (the default), every organisation, entity, sector, ODS,
plan objective, network and engagement is a node with its sources, and table names resolve
through aliases (accents and punctuation folded). A name the reviewed data does not know
becomes a node flagged `review`, with fuzzy candidates for `coopgraph check`.
Without curated data, every name is its own node keyed by its folded spelling.
"""
from __future__ import annotations

from decimal import Decimal

from rapidfuzz import fuzz, process

from pathlib import Path

import coopgraph.data
from coopgraph.graph.batch import DERIVED, OUTSIDE, STATED, GraphBatch
from coopgraph.graph.model import model
from coopgraph.loaders.curated import CURATED_DIR, Curated, item_id, items_with_lines, read_curated, sources_of
from coopgraph.loaders.names import fold, slug
from coopgraph.loaders.provenance_audit import node_terms
from coopgraph.loaders.report_lines import bundled_lines, holds, locator_of, split_lines
from coopgraph.loaders.tables import read_table
from coopgraph.money import to_cents

BUNDLED_REPORT = Path(coopgraph.data.__file__).parent / "report-2024"
MERGE_METHOD = "merge:org-aliases"
SECTION_5 = 721  # first line of section 5 in the 2024 report (data/report-2024/sources.csv)

CURATED_SOURCES = {
    "curated/public-knowledge": "Conocimiento público revisado (tipos, países, sectores)",
    "curated/iati-codelist": "IATI OrganisationType codelist",
}


class Registry:
    def __init__(self, curated: Curated | None = None):
        self.curated = curated
        self.unresolved: dict[str, set[str]] = {}  # label -> names not found in reviewed data
        self._orgs: dict[str, str] = {}       # folded alias -> org_id
        self._entities: dict[str, str] = {}   # folded name, alias or acronym -> entity_id
        self._sectors: dict[str, str] = {}    # folded name -> sector_id
        self._objectives: dict[str, dict] = {}  # contribution id -> curated row
        self._entity_sector: dict[str, str] = {}  # entity_id -> sector_id
        self._networks: dict[str, str] = {}   # folded name, acronym or cooperant alias -> network_id
        self._programs: dict[str, str] = {}   # program code -> PDDProgram id
        self._org_rows: dict[str, dict] = {}
        self._entity_rows: dict = {}
        self._alias_pairs: list[tuple[str, str]] = []
        self._merges: dict[tuple[str, str], str] = {}  # (folded alias, table Source) -> the alias row deciding it
        if curated is not None:
            self._index(curated)

    @classmethod
    def load(cls) -> "Registry":
        """The reviewed registry when data/curated exists, else the name-folding fallback."""
        return cls(read_curated()) if CURATED_DIR.exists() else cls()

    def _index(self, c: Curated) -> None:
        self._org_rows = {r["org_id"]: r for r in c.organisations.to_dict("records")}
        self._entity_rows = {r["entity_id"]: r for r in c.entities.to_dict("records")}
        self._alias_pairs = list(zip(c.aliases.alias, c.aliases.org_id))
        for row in c.aliases.itertuples():
            self._orgs[fold(row.alias)] = row.org_id
        for i, row in c.aliases.iterrows():
            if row.match == "merge":
                for source in sources_of(row.source):
                    self._merges.setdefault((fold(row.alias), source), c.locator("org_aliases.csv", i))
        for row in c.organisations.itertuples():
            self._orgs.setdefault(fold(row.name), row.org_id)
        for row in c.organisations.itertuples():
            self._orgs.setdefault(fold(row.org_id), row.org_id)
        for row in c.entities.itertuples():  # the id's own spelling too (metro-bogota: METRO BOGOTA)
            for name in [row.name, *_split(row.aliases), *_split(row.acronyms), row.entity_id]:
                self._entities.setdefault(fold(name), row.entity_id)
        for row in c.sectors.itertuples():
            self._sectors[fold(row.name)] = row.sector_id
        for row in c.contribution_objectives.itertuples():
            self._objectives[f"informe-2024/tabla-5#{row.row}"] = row._asdict()
        self._entity_sector = dict(zip(c.entities.entity_id, c.entities.sector_id))
        for n in c.networks:
            for name in (n["network_id"], n["name"], n.get("acronym")):
                if name:
                    self._networks.setdefault(fold(name), n["network_id"])
        for n in c.networks:  # a network also named by its cooperant aliases (C40 GRUPO DE LIDERAZGO…)
            for alias in c.aliases[c.aliases.org_id == n.get("org_id")].alias if n.get("org_id") else []:
                self._networks.setdefault(fold(alias), n["network_id"])
        for p in c.pdd.get("programs", []):
            if p.get("code"):
                self._programs[str(p["code"])] = f"pdd-2024-prog-{p['code']}"

    # -- resolution used by the table loaders -------------------------------------------------
    def org_id(self, name: str) -> str | None:
        return self._orgs.get(fold(name))

    def entity_id(self, name: str) -> str | None:
        return self._entities.get(fold(name))

    def sector_id(self, name: str) -> str | None:
        return self._sectors.get(fold(name))

    def entity_sector(self, entity_id: str) -> str | None:
        return self._entity_sector.get(entity_id)

    def network_id(self, name: str) -> str | None:
        return self._networks.get(fold(name))

    def program_id(self, code: str) -> str | None:
        return self._programs.get(str(code).strip())

    def merged(self, name: str, source: str) -> dict:
        """The provenance of what a table row says under another name of an organisation (a `merge`
        row of org_aliases.csv: Tabla 5's MINISTERIO DE CULTURA DE CHILE is MINCAP): the row states
        the figure, coopgraph decides whose it is. {} when the row uses the organisation's own name."""
        where = self._merges.get((fold(name), source))
        return {} if where is None else {"basis": DERIVED, "method": MERGE_METHOD, "curated": where}

    def cooperant(self, batch: GraphBatch, name: str, *, source: str, locator: str) -> str:
        org = self.org_id(name)
        if org is None:
            self.unresolved.setdefault("Cooperant", set()).add(name)
            return batch.add_node("Cooperant", {"id": slug(name), "name": name, "review": True},
                                  source=source, locator=locator)
        return batch.add_node("Cooperant", {"id": org}, source=source, locator=locator, **self.merged(name, source))

    def entity(self, batch: GraphBatch, name: str, *, source: str, locator: str, sector_id: str | None = None) -> str:
        entity = self.entity_id(name)
        if entity is None:
            self.unresolved.setdefault("DistrictEntity", set()).add(name)
            entity = batch.add_node("DistrictEntity", {"id": slug(name), "name": name, "sector_id": sector_id},
                                    source=source, locator=locator)
            if sector_id:
                batch.add_relationship("BELONGS_TO", "DistrictEntity", entity, "Sector", sector_id,
                                       source=source, locator=locator)
            return entity
        return batch.add_node("DistrictEntity", {"id": entity}, source=source, locator=locator)

    def sector(self, batch: GraphBatch, name: str, *, source: str, locator: str) -> str:
        sector = self._sectors.get(fold(name))
        if sector is None:
            if self.curated is not None:
                self.unresolved.setdefault("Sector", set()).add(name)
            return batch.add_node("Sector", {"id": slug(name), "name": name}, source=source, locator=locator)
        return batch.add_node("Sector", {"id": sector}, source=source, locator=locator)

    def sdg(self, batch: GraphBatch, number: int, name: str, *, source: str, locator: str) -> str:
        return batch.add_node("SDG", {"id": f"ods-{number}", "number": int(number), "name": name},
                              source=source, locator=locator)

    def link_contribution(self, batch: GraphBatch, contribution_id: str, *, entity: str, cooperant: str) -> None:
        """The PDD objective section 5 assigns to a contribution, checked against the row it names."""
        row = self._objectives.get(contribution_id)
        if row is None:
            self.unresolved.setdefault("Contribution→PDDObjective", set()).add(contribution_id)
            return
        if self.entity_id(row["entity"]) != entity or self.org_id(row["cooperant"]) != cooperant:
            self.unresolved.setdefault("Contribution→PDDObjective", set()).add(
                f"{contribution_id} (curated row names {row['entity']} / {row['cooperant']})")
            return
        # section 5 states each objective's allies, count and share; the row-by-row split is derived
        batch.add_relationship("SERVES", "Contribution", contribution_id, "PDDObjective",
                               f"pdd-2024-obj-{int(row['pdd_objective'])}", {"reason": row["reason"]},
                               source=sources_of(row["source"]),
                               locator=locator_of(self.objective_lines(row["pdd_objective"])),
                               basis=DERIVED, method="share-assignment:seccion-5",
                               curated=self.curated.locator("contribution_objectives.csv", int(row["Index"])))

    def candidates(self, name: str, limit: int = 3) -> list[tuple[str, float]]:
        """Reviewed organisations whose names look like `name`, best first (for review)."""
        if self.curated is None:
            return []
        names = dict(zip(self.curated.organisations.org_id, self.curated.organisations.name.map(fold)))
        found = process.extract(fold(name), names, scorer=fuzz.token_set_ratio, limit=limit)
        return [(org, round(score, 1)) for _, score, org in found]

    # -- the reviewed knowledge as nodes ---------------------------------------------------
    def add_reference_nodes(self, batch: GraphBatch) -> None:
        c = self.curated
        if c is None:
            return
        for sid, title in CURATED_SOURCES.items():
            batch.add_node("Source", {"id": sid, "title": title, "kind": "curated"}, source=sid,
                           basis=OUTSIDE, reference=self._outside_reference(sid))
        iati = {int(r.code): r.name_es for r in c.iati_types.itertuples()}
        cite = Citer(self, _source_starts(), batch)

        for i, r in c.sectors.iterrows():
            cite.node("Sector", {"id": r.sector_id, "name": r["name"], "name_en": r.get("name_en") or None},
                      r, c.locator("sectors.csv", i))
        for i, r in c.entities.iterrows():
            at = c.locator("district_entities.csv", i)
            cite.node("DistrictEntity", {"id": r.entity_id, "name": r["name"], "sector_id": r.sector_id,
                                         "acronyms": _split(r.acronyms),
                                         "aliases": _split(r.aliases) + _split(r.get("mentions")),
                                         "parent_id": r.get("parent_id") or None}, r, at)
            # the sector is stated where Tabla 5 lists the entity under it or section 6 names its sector
            # (lines 937, 939), else public knowledge
            sector_lines = split_lines(r.get("sector_lines"))
            if sector_lines:
                stating = list(dict.fromkeys(_owner(n, list(cite.starts), cite.starts) for n in sorted(sector_lines)))
                batch.add_relationship("BELONGS_TO", "DistrictEntity", r.entity_id, "Sector", r.sector_id,
                                       source=stating, locator=locator_of(sector_lines), curated=at)
            else:
                batch.add_relationship("BELONGS_TO", "DistrictEntity", r.entity_id, "Sector", r.sector_id,
                                       source="curated/public-knowledge", basis=OUTSIDE, curated=at,
                                       reference=r.get("notes") or self._outside_reference("curated/public-knowledge"))
        for i, r in c.entities.iterrows():
            if r.get("parent_id"):
                cite.relationship("PART_OF_ENTITY", "DistrictEntity", r.entity_id, "DistrictEntity", r.parent_id,
                                  r, c.locator("district_entities.csv", i))

        aliases: dict[str, list[str]] = {}
        for r in c.aliases.itertuples():
            aliases.setdefault(r.org_id, []).append(r.alias)
        for i, r in c.organisations.iterrows():
            cite.node("Cooperant", {
                "id": r.org_id, "name": r["name"], "acronym": r.get("acronym") or None,
                "aliases": sorted(set(aliases.get(r.org_id, [])) - {r["name"]}) + _split(r.get("mentions")),
                "iati_type": int(r.iati_type), "iati_type_name": iati.get(int(r.iati_type)),
                "kind": r.kind, "country": r.get("country") or None, "review": False,
            }, r, c.locator("organisations.csv", i))

        for i, r in c.sdgs.iterrows():
            cite.node("SDG", {"id": f"ods-{int(r.number)}", "number": int(r.number), "name": r.name_es,
                              "name_en": r.name_en, "headline": r.get("headline_es") or None,
                              "description": r.get("description_es") or None}, r, c.locator("sdg.csv", i))
        self._add_plan(batch, c, cite)
        self._add_networks(batch, c, cite)
        self._add_engagements(batch, c, cite)

    def _outside_reference(self, source: str) -> str:
        return model().provenance.outside_sources.get(source, "")

    def terms(self, label: str, key: str) -> list[str]:
        """The names a node goes by, to find it in a report line."""
        c = self.curated
        if label == "Cooperant":
            row = self._org_rows.get(key)
            names = [] if row is None else [row["name"], row.get("acronym"), *_split(row.get("mentions"))]
            return names + [a for a, o in self._alias_pairs if o == key]
        if label == "DistrictEntity":
            row = self._entity_rows.get(key)
            return [] if row is None else [row["name"], *_split(row["acronyms"]), *_split(row["aliases"]),
                                           *_split(row.get("mentions"))]
        if label == "CityNetwork":
            n = next((n for n in c.networks if n["network_id"] == key), None)
            names = [] if n is None else [n["name"], n.get("acronym"), *(n.get("mentions") or [])]
            return names + (self.terms("Cooperant", n["org_id"]) if n and n.get("org_id") else [])
        if label == "SDG":
            return [f"ODS {key.split('-')[-1]}"]
        return [key]

    def _add_plan(self, batch: GraphBatch, c: Curated, cite: "Citer") -> None:
        for o in c.pdd.get("objectives", []):
            oid, at = f"pdd-2024-obj-{o['number']}", c.at("pdd.yaml", o)
            cite.node("PDDObjective", {"id": oid, "number": int(o["number"]), "name": o["name"],
                                       "name_en": o.get("name_en")}, o, at)
            for number, line in items_with_lines(o, "sdgs"):
                cite.relationship("ADVANCES", "PDDObjective", oid, "SDG", f"ods-{number}", o,
                                  f"data/curated/pdd.yaml line {line}",
                                  {"reason": "Sección 2: el objetivo estratégico aporta a este ODS"},
                                  terms=[f"ODS {number}"], sources=["informe-2024/seccion-2"])
        objectives = {o["number"]: o for o in c.pdd.get("objectives", [])}
        for p in c.pdd.get("programs", []):
            pid = f"pdd-2024-prog-{p['code']}" if p.get("code") else f"pdd-2024-prog-{slug(p['name'])}"
            at = c.at("pdd.yaml", p)
            cite.node("PDDProgram", {"id": pid, "code": p.get("code") or None, "name": p["name"],
                                     "note": p.get("note")}, p, at)
            if p.get("objective"):  # the code's first number is the objective: derived, not stated
                cite.relationship("IN_OBJECTIVE", "PDDProgram", pid, "PDDObjective", f"pdd-2024-obj-{p['objective']}",
                                  p, at, basis=DERIVED, method="program-code:seccion-5", terms=[p.get("code")])
        self._objective_lines = {n: [line for line in split_lines(o.get("report_lines")) if line >= SECTION_5]
                                 for n, o in objectives.items()}

    def _add_networks(self, batch: GraphBatch, c: Curated, cite: "Citer") -> None:
        for n in c.networks:
            m = n.get("membership") or {}
            roles = [" — ".join(x for x in (r.get("role"), r.get("holder")) if x)
                     + (f" ({r.get('from') or '…'}–{r.get('to') or '…'})" if r.get("from") or r.get("to") else "")
                     for r in m.get("roles") or [] if not r.get("org_id")]  # Bogotá's roles; another city's below
            at = c.at("networks.yaml", n)
            nid = n["network_id"]
            cite.node("CityNetwork", {
                "id": nid, "name": n["name"], "acronym": n.get("acronym"), "kind": n.get("kind"),
                "founded": n.get("founded"), "members_desc": n.get("members_desc"),
                "member_since": _text(m.get("since")), "membership_act": m.get("act"),
                "membership_act_date": _text(m.get("act_date")), "roles": roles,
                "aliases": list(n.get("mentions") or []),
            }, n, at)
            if n.get("org_id"):
                cite.relationship("SAME_AS", "CityNetwork", nid, "Cooperant", n["org_id"], n, at,
                                  basis=DERIVED, method="identity:org-aliases")
            if m.get("fee_paid_by"):
                cite.relationship("FEE_PAID_BY", "CityNetwork", nid, "DistrictEntity", m["fee_paid_by"], m,
                                  c.at("networks.yaml", m))
            for entity, line in items_with_lines(m, "joined_by"):
                cite.relationship("MEMBER_OF", "DistrictEntity", item_id(entity), "CityNetwork", nid,
                                  entity if isinstance(entity, dict) else m, f"data/curated/networks.yaml line {line}",
                                  {"since": _text(m.get("since"))})
            for r in m.get("roles") or []:
                if r.get("org_id"):
                    cite.relationship("HOLDS_ROLE", "Cooperant", r["org_id"], "CityNetwork", nid, r,
                                      c.at("networks.yaml", r), {"role": r.get("role"), "start_date": _text(r.get("from")),
                                                                 "end_date": _text(r.get("to"))})
        for n in c.networks:
            if n.get("parent_network_id"):  # stated by the item's lines unless it says otherwise
                cite.relationship("SECTION_OF", "CityNetwork", n["network_id"], "CityNetwork", n["parent_network_id"],
                                  n, c.at("networks.yaml", n), basis=n.get("parent_network_basis") or STATED,
                                  reference=n.get("parent_network_reference"))

    def _add_engagements(self, batch: GraphBatch, c: Curated, cite: "Citer") -> None:
        for e in c.engagements:
            eid, at = e["engagement_id"], c.at("engagements.yaml", e)
            amount = e.get("amount")
            cite.node("Engagement", {
                "id": eid, "name": e["name"], "kind": e.get("kind"), "start_date": _text(e.get("start")),
                "end_date": _text(e.get("end")), "currency": e.get("currency") if amount else None,
                "amount_cents": to_cents(Decimal(str(amount))) if amount else None,
                "amount_note": e.get("amount_note"), "description": e.get("description"),
                "counted_in": e.get("counted_in"),
                "aliases": list(e.get("mentions") or []),
            }, e, at, terms=[e["name"], *(e.get("mentions") or [])])
            with_rows = self._with_contribution_rows(e)
            if e.get("network_id"):
                cite.relationship("UNDER_NETWORK", "Engagement", eid, "CityNetwork", e["network_id"], e, at)
            for key, label in (("district_entities", "DistrictEntity"), ("organisations", "Cooperant")):
                for one, line in items_with_lines(e, key):
                    extra = one if isinstance(one, dict) else {}
                    cite.relationship("TOOK_PART_IN", label, item_id(one), "Engagement", eid, {**with_rows, **extra},
                                      f"data/curated/engagements.yaml line {line}", {"role": extra.get("role")},
                                      basis=extra.get("basis") or STATED, method=extra.get("method"),
                                      reference=extra.get("reference"))
            place = e.get("place") or {}
            if place.get("city"):
                pid = slug(f"{place['city']} {place.get('country') or ''}")
                names = [place["city"], *(place.get("mentions") or [])]
                where = {**e, **{k: v for k, v in place.items() if k not in ("basis", "method")}}
                if not place.get("basis"):  # a derived place says nothing about the place itself
                    cite.node("Place", {"id": pid, "name": place["city"], "country": place.get("country"),
                                        "aliases": list(place.get("mentions") or [])}, where,
                              c.at("engagements.yaml", place), terms=names)
                cite.relationship("HELD_IN", "Engagement", eid, "Place", pid, where, c.at("engagements.yaml", place),
                                  terms=names, basis=place.get("basis") or STATED, method=place.get("method"))
            for person in e.get("people") or []:
                pid, pat = slug(person["name"]), c.at("engagements.yaml", person)
                where = {**e, **person}
                names = [person["name"], *(person.get("mentions") or [])]
                cite.node("Person", {"id": pid, "name": person["name"], "aliases": list(person.get("mentions") or [])},
                          where, pat, terms=names)
                if person.get("took_part", True):  # false: named with the engagement (who designated) but not in it
                    cite.relationship("TOOK_PART_IN", "Person", pid, "Engagement", eid, where, pat,
                                      {"role": person.get("role")}, terms=names)
                for field, label in (("entity_id", "DistrictEntity"), ("org_id", "Cooperant")):
                    if person.get(field):
                        self._works_for(cite, person, pid, label, person[field], where, pat, names)
                        break

    def _works_for(self, cite: "Citer", person: dict, pid: str, label: str, key: str, where: dict, at: str,
                   names: list[str]) -> None:
        """A person's post: `job` when it is not the part played in the engagement (null: the line gives
        only the organisation); `works_for` gives the link its own lines and basis (a derived one may
        cite the line that names the organisation rather than the person)."""
        works = person.get("works_for") or {}
        role = person.get("job", person.get("role"))
        if not works:
            cite.relationship("WORKS_FOR", "Person", pid, label, key, where, at, {"role": role}, terms=names)
            return
        basis = works.get("basis") or STATED
        terms = names + (self.terms(label, key) if basis == DERIVED else [])
        cite.relationship("WORKS_FOR", "Person", pid, label, key, {**where, **works},
                          self.curated.at("engagements.yaml", works), {"role": role}, basis=basis,
                          method=works.get("method"), reference=works.get("reference"), terms=terms)

    def _with_contribution_rows(self, e: dict) -> dict:
        """An engagement whose participants Tabla 5 also states (`related_contribution_rows`) cites
        those rows' lines too, so a participant the narrative leaves unnamed points at its row."""
        rows = e.get("related_contribution_rows") or []
        if not rows:
            return e
        if not hasattr(self, "_tabla5_lines"):
            frame = read_table("contributions", BUNDLED_REPORT)
            self._tabla5_lines = dict(zip(frame.row.astype(int), frame.line.astype(int)))
        lines = split_lines(e.get("report_lines")) + [self._tabla5_lines[int(r)] for r in rows if int(r) in self._tabla5_lines]
        return {**e, "report_lines": lines, "source": "|".join([*sources_of(e["source"]), "informe-2024/tabla-5"])}

    def objective_lines(self, number: int) -> list[int]:
        """The section 5 line(s) that state an objective's allies, count and share."""
        return getattr(self, "_objective_lines", {}).get(int(number), [])


class Citer:
    """Writes curated facts with their provenance: the report lines that state them (the item's
    `report_lines`, narrowed to the lines that name the fact), the curated file and line, the basis."""

    def __init__(self, registry: Registry, starts: dict[str, int], batch: GraphBatch):
        self.registry = registry
        self.starts = starts  # report Source id -> first line
        self.batch = batch

    def node(self, label: str, props: dict, item, curated_at: str, *, terms=None) -> str:
        key = props[model().node(label).key]
        terms = terms or node_terms(label, props) + self.registry.terms(label, key)
        for source, lines, basis, reference in self._cited(item, terms):
            self.batch.add_node(label, props, source=source, locator=locator_of(lines), basis=basis,
                           reference=reference, curated=curated_at)
        return key

    def relationship(self, rel_type, from_label, from_id, to_label, to_id, item, curated_at, properties=None, *,
                     basis=STATED, method=None, reference=None, terms=None, sources=None) -> None:
        if terms is None:  # the endpoint the line must name: the one that is not the item itself
            terms = self.registry.terms(to_label, to_id) if to_label not in ("Engagement",) else []
            terms = terms or self.registry.terms(from_label, from_id)
        if basis == OUTSIDE or _only_outside(item):  # knowledge from outside the report cites no line
            reference = reference or item.get("reference") or self.registry._outside_reference("curated/public-knowledge")
            self.batch.add_relationship(rel_type, from_label, from_id, to_label, to_id,
                                        {k: v for k, v in (properties or {}).items() if v is not None},
                                        source="curated/public-knowledge", basis=OUTSIDE, reference=reference,
                                        curated=curated_at)
            return
        cited = [c for c in self._cited(item, terms) if c[2] == STATED and (not sources or c[0] in sources)]
        lines = sorted({n for _, found, _, _ in cited for n in found})
        source = [c[0] for c in cited] or sources_of(item.get("source", ""))
        self.batch.add_relationship(rel_type, from_label, from_id, to_label, to_id,
                                    {k: v for k, v in (properties or {}).items() if v is not None},
                                    source=source, locator=locator_of(lines), basis=basis, method=method,
                                    reference=reference, curated=curated_at)

    def _cited(self, item, terms) -> list[tuple[str, list[int], str, str | None]]:
        """(source, lines, basis, reference) per source the item lists: report sources get the item's
        lines that fall in them (narrowed to those naming a term), curated sources an outside reference."""
        item = item if isinstance(item, dict) else item.to_dict()
        lines = split_lines(item.get("report_lines"))
        text = bundled_lines()
        naming = [n for n in lines if n in text and holds(text[n], terms)]
        chosen = naming or lines
        out = []
        report = [s for s in sources_of(item.get("source", "")) if s in self.starts]
        for source in sources_of(item.get("source", "")):
            if source in self.starts:
                mine = [n for n in chosen if _owner(n, report, self.starts) == source]
                if mine or not chosen:
                    out.append((source, mine, STATED, None))
            else:
                reference = item.get("reference") or item.get("notes") or self.registry._outside_reference(source)
                out.append((source, [], OUTSIDE, reference))
        return out


def _owner(line: int, sources: list[str], starts: dict[str, int]) -> str | None:
    """Of the sources an item lists, the one a line falls in: the latest to start at or before it."""
    before = [s for s in sources if starts[s] <= line]
    return max(before, key=lambda s: starts[s]) if before else (sources[0] if sources else None)


def _only_outside(item) -> bool:
    return all(not s.startswith("informe-") for s in sources_of(item.get("source", "")))


def _source_starts() -> dict[str, int]:
    frame = read_table("sources", BUNDLED_REPORT)
    return dict(zip(frame.id, frame.line.astype(int)))


def _split(cell) -> list[str]:
    return [x.strip() for x in str(cell or "").split("|") if x.strip()]


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)
