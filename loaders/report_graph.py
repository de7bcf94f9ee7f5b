"""Turn the report's tidy tables into a graph batch: the 2024 cooperation graph.

Names resolve through the registry (loaders.registry); every node and relationship
points at the table, and line, it was read from.
"""
from __future__ import annotations

import pandas as pd

from coopgraph.graph.batch import DERIVED, GraphBatch
from coopgraph.loaders.report_lines import locator_of
from coopgraph.loaders.names import slug
from coopgraph.loaders.registry import Registry
from coopgraph.loaders.sdg_inference import infer_sdgs
from coopgraph.money import to_cents

CURRENCY = "COP"


def report_batch(tables: dict[str, pd.DataFrame], registry: Registry) -> GraphBatch:
    batch = GraphBatch()
    sources = tables["sources"]
    year = int(sources.iloc[0]["year"])
    for src in sources.itertuples(index=False):
        batch.add_node("Source", source_properties(src), source=src.id)
        if src.parent:
            batch.add_relationship("PART_OF", "Source", src.id, "Source", src.parent, source=src.id,
                                   locator=f"line {src.line}")
    registry.add_reference_nodes(batch)

    for row in tables["sdg"].itertuples(index=False):
        at = f"line {row.line}"
        sdg = registry.sdg(batch, row.sdg, row.name, source=row.source, locator=at)
        batch.add_relationship("REPORTED", "SDG", sdg, "Source", row.source, {
            "year": year, "reported_name": row.name, "interactions": int(row.interactions),
            "interactions_monetary": int(row.interactions_monetary),
            "interactions_non_monetary": int(row.interactions_non_monetary),
            "total_cents": to_cents(row.total_cop)}, source=row.source, locator=at)

        if row.interactions_non_monetary:
            # The report knows its non-monetary interactions only as a count per ODS: one record says so.
            tally = batch.add_node("Contribution", {
                "id": f"{row.source}#ods-{row.sdg}-no-monetarias", "year": year, "monetary": False,
                "interactions": int(row.interactions_non_monetary), "currency": CURRENCY,
                "cooperant_cents": 0, "counterpart_cents": 0, "total_cents": 0,
                "description": f"Interacciones no monetarias del ODS {row.sdg} (Tabla 1)"},
                source=row.source, locator=at)
            batch.add_relationship("ADVANCES", "Contribution", tally, "SDG", sdg,
                                   {"reason": "Tabla 1: interacciones no monetarias del ODS"}, source=row.source, locator=at)

    for row in tables["cooperants"].itertuples(index=False):
        at = f"line {row.line}"
        org = registry.cooperant(batch, row.name, source=row.source, locator=at)
        batch.add_relationship("REPORTED", "Cooperant", org, "Source", row.source, {
            "year": year, "reported_name": row.name, "interactions": int(row.interactions)},
            source=row.source, locator=at, **registry.merged(row.name, row.source))

    for row in tables["entities"].itertuples(index=False):
        at = f"line {row.line}"
        entity = registry.entity(batch, row.name, source=row.source, locator=at)
        batch.add_relationship("REPORTED", "DistrictEntity", entity, "Source", row.source, {
            "year": year, "reported_name": row.name, "interactions": int(row.interactions)},
            source=row.source, locator=at)

    named_at: dict[str, int] = {}  # Tabla 4 writes an action type on the first row of its group only
    for row in tables["collaboration"].itertuples(index=False):
        at = f"line {row.line}"
        action = batch.add_node("ActionType", {"id": slug(row.action_type), "name": row.action_type},
                                source=row.source, locator=f"line {named_at.setdefault(row.action_type, row.line)}")
        kind = batch.add_node("CollaborationType", {"id": slug(row.collaboration_type),
                                                    "name": row.collaboration_type},
                              source=row.source, locator=at)
        batch.add_relationship("VALUED", "ActionType", action, "CollaborationType", kind, {
            "year": year, "value_millions": int(row.value_millions)}, source=row.source, locator=at)

    sdg_of = _sdgs_by_row(tables)
    for row in tables["contributions"].itertuples(index=False):
        at = f"line {row.line}"
        sector = registry.sector(batch, row.sector, source=row.source, locator=at)
        entity = registry.entity(batch, row.entity, source=row.source, locator=at, sector_id=sector)
        org = registry.cooperant(batch, row.cooperant, source=row.source, locator=at)
        contribution = batch.add_node("Contribution", {
            "id": f"{row.source}#{row.row}", "year": year, "monetary": True, "interactions": 1, "currency": CURRENCY,
            "cooperant_cents": to_cents(row.cooperant_cop), "counterpart_cents": to_cents(row.counterpart_cop),
            "total_cents": to_cents(row.total_cop), "sector_id": sector}, source=row.source, locator=at)
        batch.add_relationship("PROVIDED", "Cooperant", org, "Contribution", contribution, source=row.source, locator=at,
                               **registry.merged(row.cooperant, row.source))
        batch.add_relationship("RECEIVED", "DistrictEntity", entity, "Contribution", contribution, source=row.source, locator=at)
        batch.add_relationship("IN_SECTOR", "Contribution", contribution, "Sector", sector, source=row.source, locator=at)
        registry.link_contribution(batch, contribution, entity=entity, cooperant=org)
        inferred = sdg_of.get(row.row)
        if inferred is not None and inferred["sdg"] is not None:
            # Tabla 5 does not give a row's ODS: it is the only one Tabla 1's counts and amounts allow
            sdg_row = tables["sdg"][tables["sdg"].sdg.astype(int) == int(inferred["sdg"])].iloc[0]
            batch.add_relationship("ADVANCES", "Contribution", contribution, "SDG", f"ods-{inferred['sdg']}",
                                   {"reason": inferred["reason"]}, source=[sdg_row.source, row.source],
                                   locator=locator_of([row.line, sdg_row.line]),
                                   basis=DERIVED, method="unique-assignment:tabla-1")
    return batch


def source_properties(src) -> dict:
    """A Source node from a sources.csv row; a report's row also names the act it is presented under."""
    mandate = getattr(src, "mandate", "") or None
    line = getattr(src, "mandate_line", "") or None
    return {"id": src.id, "title": src.title, "kind": src.kind, "parent": src.parent or None, "year": int(src.year),
            "mandate": mandate, "mandate_locator": f"line {int(line)}" if mandate and line else None}


def _sdgs_by_row(tables: dict[str, pd.DataFrame]) -> dict[int, dict]:
    """Each contribution's ODS where Tabla 1's counts and amounts determine it (see sdg_inference)."""
    if tables["sdg"].empty or tables["contributions"].empty:
        return {}
    inferred = infer_sdgs(tables["sdg"], tables["contributions"])
    return {int(r["row"]): r for r in inferred.to_dict("records")}
