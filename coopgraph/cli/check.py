"""`coopgraph check`: the report's stated totals against its rows, where the report contradicts
itself (its figures' slips and the reviewed list of contradictions in words), the review of the
curated knowledge, and the provenance audit."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coopgraph.output import machine_json, show
from coopgraph.terminal import styled

ReportOption = Annotated[Optional[Path], typer.Option("--report", help="Parse this report text file instead of the bundled 2024 tables.")]
TablesOption = Annotated[Optional[Path], typer.Option("--tables", help="Read a report's tidy CSVs (as `extract` writes them) from this directory.")]


def check_command(report: ReportOption = None, tables_dir: TablesOption = None,
                  as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """Recompute every total the report states, list where the report contradicts itself, and audit
    that every fact's report line names it (exit 1 when one does not)."""
    from coopgraph.cli.common import out
    from coopgraph.loaders.contradictions import contradictions
    from coopgraph.loaders.pipeline import tables_from
    from coopgraph.loaders.pipeline import audit_tables
    from coopgraph.loaders.reconcile import OK, ROUNDING, SLIP, reconcile
    from coopgraph.loaders.registry import Registry
    from coopgraph.loaders.report_lines import bundled_lines, read_report_lines
    from coopgraph.loaders.review import pdd_computations, review

    tables = tables_from(report, tables_dir)
    registry = Registry.load()
    rows = reconcile(tables, pdd_computations(registry))
    knowledge = review(tables, registry)
    provenance = audit_tables(tables, registry, report)
    said = contradictions(registry.curated, read_report_lines(report) if report else bundled_lines())
    failed = bool(provenance.findings) or any(c.problem for c in said)
    if as_json:
        print(machine_json({"reconciliation": [vars(r) for r in rows], "contradictions": [vars(c) for c in said],
                            "review": vars(knowledge),
                            "provenance": {**vars(provenance), "findings": [vars(f) for f in provenance.findings]}}))
        raise typer.Exit(1 if failed else 0)
    table = Table("Cifra", "Dónde", "Declarada", "Calculada", "Estado", title="Conciliación del informe")
    colour = {OK: "green", ROUNDING: "yellow", SLIP: "bold red"}
    for r in rows:
        table.add_row(r.description, r.where, show(r.stated, r.unit), show(r.computed, r.unit),
                      styled((r.status, colour.get(r.status, "dim"))))
    out.print(table)
    slips = [r for r in rows if r.status == SLIP]
    out.print(styled("\n", (f"{len(slips)} diferencias del informe", "bold"), " (the report's own slips):"))
    for r in slips:
        note = f" — {r.note}" if r.note else ""
        out.print(f"  • {r.description} ({r.where}): declarada {show(r.stated, r.unit)}, "
                  f"calculada {show(r.computed, r.unit)}{note}")
    _print_contradictions(out, said)
    _print_review(out, knowledge)
    _print_provenance(out, provenance)
    if failed:
        raise typer.Exit(1)


def _print_contradictions(out, said) -> None:
    out.print(styled("\n", (f"{len(said)} contradicciones del informe", "bold"),
                     " (data/curated/contradictions.csv), cada una con sus líneas:"))
    for c in said:
        where = ("línea " if len(c.lines) == 1 else "líneas ") + ", ".join(map(str, c.lines))
        out.print(f"  • {c.description} ({where})", highlight=False)
        for q in c.quotes:
            out.print(f"      línea {q['line']}: “{q['text']}”", highlight=False)
        if c.problem:
            out.print(styled(("      ✗ ", "bold red"), f"{c.problem} ({c.curated})"), highlight=False)


def _print_provenance(out, audit) -> None:
    out.print(styled("\n", ("Auditoría de procedencia:", "bold"), f" {audit.checked} hechos con línea del informe "
                     f"que la nombra; {len(audit.findings)} sin respaldo"))
    out.print(f"  nodos por base: {audit.nodes_by_basis}; relaciones por base: {audit.relationships_by_basis}")
    out.print(f"  derivados por método: {audit.derived_by_method}")
    for f in audit.findings:
        out.print(f"  • {f.fact} ({f.locator or 'sin línea'}; {f.curated or 'tablas'}): {f.problem}", highlight=False)


def _print_review(out, knowledge) -> None:
    merges = Table("Nombre en el informe", "Organización", "Tipo", "Razón", title="Fusiones de nombres (data/curated/org_aliases.csv)")
    for m in knowledge.merges:
        merges.add_row(m["alias"], m["into"], m["match"], m["reason"])
    out.print(merges)
    out.print(styled("\n", ("Nombres sin resolver:", "bold"), f" {len(knowledge.unresolved)}"))
    for u in knowledge.unresolved:
        out.print(f"  • {u['label']}: {u['name']}  candidatos: {u.get('candidates') or '—'}")
    out.print(styled(("Organizaciones sin clasificar", "bold"), f" (tipo IATI 90 u 'other'): {len(knowledge.unclassified_organisations)}"))
    for o in knowledge.unclassified_organisations:
        out.print(f"  • {o['name']} ({o['org_id']}): tipo {o['iati_type']}, {o['kind']}")
    out.print(styled(("Aportes sin clasificar:", "bold"), f" {len(knowledge.unclassified_contributions)}"))
    for c in knowledge.unclassified_contributions:
        out.print(f"  • fila {c['row']} {c['entity']} / {c['cooperant']}: falta {c['missing']}")
