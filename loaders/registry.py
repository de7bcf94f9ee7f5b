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

from coopgraph.graph.batch import GraphBatch
from coopgraph.loaders.curated import CURATED_DIR, Curated, read_curated, sources_of
from coopgraph.loaders.names import fold, slug
from coopgraph.money import to_cents

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
        if curated is not None:
            self._index(curated)

    @classmethod
    def load(cls) -> "Registry":
        """The reviewed registry when data/curated exists, else the name-folding fallback."""
        return cls(read_curated()) if CURATED_DIR.exists() else cls()

    def _index(self, c: Curated) -> None:
        for row in c.aliases.itertuples():
            self._orgs[fold(row.alias)] = row.org_id
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

    def cooperant(self, batch: GraphBatch, name: str, *, source: str, locator: str) -> str:
        org = self.org_id(name)
        if org is None:
            self.unresolved.setdefault("Cooperant", set()).add(name)
            return batch.add_node("Cooperant", {"id": slug(name), "name": name, "review": True},
                                  source=source, locator=locator)
        return batch.add_node("Cooperant", {"id": org}, source=source, locator=locator)

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
        batch.add_relationship("SERVES", "Contribution", contribution_id, "PDDObjective",
                               f"pdd-2024-obj-{int(row['pdd_objective'])}", {"basis": row["reason"]},
                               source=sources_of(row["source"]),
                               locator=self.curated.locator("contribution_objectives.csv", int(row["Index"])))

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
            batch.add_node("Source", {"id": sid, "title": title, "kind": "curated"}, source=sid)
        iati = {int(r.code): r.name_es for r in c.iati_types.itertuples()}

        for i, r in c.sectors.iterrows():
            batch.add_node("Sector", {"id": r.sector_id, "name": r["name"], "name_en": r.get("name_en") or None},
                           source=sources_of(r.source), locator=c.locator("sectors.csv", i))
        for i, r in c.entities.iterrows():
            at, src = c.locator("district_entities.csv", i), sources_of(r.source)
            batch.add_node("DistrictEntity", {"id": r.entity_id, "name": r["name"], "sector_id": r.sector_id,
                                              "acronyms": _split(r.acronyms), "aliases": _split(r.aliases),
                                              "parent_id": r.get("parent_id") or None}, source=src, locator=at)
            batch.add_relationship("BELONGS_TO", "DistrictEntity", r.entity_id, "Sector", r.sector_id, source=src, locator=at)
        for i, r in c.entities.iterrows():
            if r.get("parent_id"):
                batch.add_relationship("PART_OF_ENTITY", "DistrictEntity", r.entity_id, "DistrictEntity", r.parent_id,
                                       source=sources_of(r.source), locator=c.locator("district_entities.csv", i))

        aliases: dict[str, list[str]] = {}
        for r in c.aliases.itertuples():
            aliases.setdefault(r.org_id, []).append(r.alias)
        for i, r in c.organisations.iterrows():
            batch.add_node("Cooperant", {
                "id": r.org_id, "name": r["name"], "acronym": r.get("acronym") or None,
                "aliases": sorted(set(aliases.get(r.org_id, [])) - {r["name"]}),
                "iati_type": int(r.iati_type), "iati_type_name": iati.get(int(r.iati_type)),
                "kind": r.kind, "country": r.get("country") or None, "review": False,
            }, source=sources_of(r.source), locator=c.locator("organisations.csv", i))

        for i, r in c.sdgs.iterrows():
            batch.add_node("SDG", {"id": f"ods-{int(r.number)}", "number": int(r.number), "name": r.name_es,
                                   "name_en": r.name_en, "headline": r.get("headline_es") or None,
                                   "description": r.get("description_es") or None},
                           source=sources_of(r.source), locator=c.locator("sdg.csv", i))
        self._add_plan(batch, c)
        self._add_networks(batch, c)
        self._add_engagements(batch, c)

    def _add_plan(self, batch: GraphBatch, c: Curated) -> None:
        at = "data/curated/pdd.yaml"
        for o in c.pdd.get("objectives", []):
            oid = f"pdd-2024-obj-{o['number']}"
            batch.add_node("PDDObjective", {"id": oid, "number": int(o["number"]), "name": o["name"],
                                            "name_en": o.get("name_en")}, source=sources_of(o["source"]), locator=at)
            for number in o.get("sdgs", []):
                batch.add_relationship("ADVANCES", "PDDObjective", oid, "SDG", f"ods-{number}",
                                       {"basis": "Sección 2: el objetivo estratégico aporta a este ODS"},
                                       source="informe-2024/seccion-2", locator=at)
        for p in c.pdd.get("programs", []):
            pid = f"pdd-2024-prog-{p['code']}" if p.get("code") else f"pdd-2024-prog-{slug(p['name'])}"
            batch.add_node("PDDProgram", {"id": pid, "code": p.get("code") or None, "name": p["name"],
                                          "note": p.get("note")}, source=sources_of(p["source"]), locator=at)
            if p.get("objective"):
                batch.add_relationship("IN_OBJECTIVE", "PDDProgram", pid, "PDDObjective",
                                       f"pdd-2024-obj-{p['objective']}", source=sources_of(p["source"]), locator=at)

    def _add_networks(self, batch: GraphBatch, c: Curated) -> None:
        at = "data/curated/networks.yaml"
        for n in c.networks:
            m = n.get("membership") or {}
            roles = [" — ".join(x for x in (r.get("role"), r.get("holder")) if x)
                     + (f" ({r.get('from') or '…'}–{r.get('to') or '…'})" if r.get("from") or r.get("to") else "")
                     for r in m.get("roles") or []]
            src = sources_of(n["source"])
            batch.add_node("CityNetwork", {
                "id": n["network_id"], "name": n["name"], "acronym": n.get("acronym"), "kind": n.get("kind"),
                "founded": n.get("founded"), "members_desc": n.get("members_desc"),
                "member_since": _text(m.get("since")), "membership_act": m.get("act"),
                "membership_act_date": _text(m.get("act_date")), "roles": roles,
            }, source=src, locator=at)
            msrc = sources_of(m.get("source") or n["source"])
            if n.get("org_id"):
                batch.add_relationship("SAME_AS", "CityNetwork", n["network_id"], "Cooperant", n["org_id"], source=src, locator=at)
            if m.get("fee_paid_by"):
                batch.add_relationship("FEE_PAID_BY", "CityNetwork", n["network_id"], "DistrictEntity", m["fee_paid_by"],
                                       source=msrc, locator=at)
        for n in c.networks:
            if n.get("parent_network_id"):
                batch.add_relationship("SECTION_OF", "CityNetwork", n["network_id"], "CityNetwork", n["parent_network_id"],
                                       source=sources_of(n["source"]), locator=at)

    def _add_engagements(self, batch: GraphBatch, c: Curated) -> None:
        at = "data/curated/engagements.yaml"
        for e in c.engagements:
            eid, src = e["engagement_id"], sources_of(e["source"])
            amount = e.get("amount")
            batch.add_node("Engagement", {
                "id": eid, "name": e["name"], "kind": e.get("kind"), "start_date": _text(e.get("start")),
                "end_date": _text(e.get("end")), "currency": e.get("currency") if amount else None,
                "amount_cents": to_cents(Decimal(str(amount))) if amount else None,
                "amount_note": e.get("amount_note"), "description": e.get("description"),
                "counted_in": e.get("counted_in"),
            }, source=src, locator=at)
            if e.get("network_id"):
                batch.add_relationship("UNDER_NETWORK", "Engagement", eid, "CityNetwork", e["network_id"], source=src, locator=at)
            for entity in e.get("district_entities") or []:
                batch.add_relationship("TOOK_PART_IN", "DistrictEntity", entity, "Engagement", eid, source=src, locator=at)
            for org in e.get("organisations") or []:
                batch.add_relationship("TOOK_PART_IN", "Cooperant", org, "Engagement", eid, source=src, locator=at)
            place = e.get("place") or {}
            if place.get("city"):
                pid = slug(f"{place['city']} {place.get('country') or ''}")
                batch.add_node("Place", {"id": pid, "name": place["city"], "country": place.get("country")},
                               source=src, locator=at)
                batch.add_relationship("HELD_IN", "Engagement", eid, "Place", pid, source=src, locator=at)
            for person in e.get("people") or []:
                pid = slug(person["name"])
                batch.add_node("Person", {"id": pid, "name": person["name"]}, source=src, locator=at)
                batch.add_relationship("TOOK_PART_IN", "Person", pid, "Engagement", eid,
                                       {"role": person.get("role")}, source=src, locator=at)
                if person.get("entity_id"):
                    batch.add_relationship("WORKS_FOR", "Person", pid, "DistrictEntity", person["entity_id"],
                                           {"role": person.get("role")}, source=src, locator=at)
                elif person.get("org_id"):
                    batch.add_relationship("WORKS_FOR", "Person", pid, "Cooperant", person["org_id"],
                                           {"role": person.get("role")}, source=src, locator=at)



def _split(cell) -> list[str]:
    return [x.strip() for x in str(cell or "").split("|") if x.strip()]


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)
