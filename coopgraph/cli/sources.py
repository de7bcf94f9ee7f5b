"""`coopgraph sources FACT`: where a fact comes from, quoted from the report.

Also `coopgraph sources --bundle-lines --report FILE`: rewrite data/report-2024/lines.csv, the
bundled copy of every report line a fact cites, from the report text.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from coopgraph.terminal import SafeConsole, styled

from coopgraph.errors import BadRequest
from coopgraph.graph.model import Basis
from coopgraph.output import machine_json


class BadOption(BadRequest):
    """An option names something that does not exist."""

    exit_code = 2

out = SafeConsole()
err = SafeConsole(stderr=True, soft_wrap=True)


def sources(fact: Annotated[Optional[str], typer.Argument(help="A node id: bid, diana-duran, breathe-cities-bogota, c40…")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
            bundle_lines: Annotated[bool, typer.Option("--bundle-lines", help="Rewrite the bundled copy of the cited report lines (needs --report).")] = False,
            report: Annotated[Optional[Path], typer.Option("--report", help="The report text file, for --bundle-lines.")] = None):
    """Where a fact comes from: the report lines that state it (quoted), the curated file and line, and its basis."""
    if bundle_lines:
        _bundle(report)
        return
    if not fact:
        raise BadOption("give a FACT id (or --bundle-lines --report FILE)")
    from coopgraph.analysis.provenance import fact_sources
    from coopgraph.graph.store import open_store
    from coopgraph.settings import get_settings

    with open_store(get_settings()) as store:
        data = fact_sources(store, fact)
    if as_json:
        print(machine_json(data))
        return
    out.print(styled((data["name"], "bold"), f" ({data['label']} {data['id']}) — {data['basis']}"))
    for s in data["sources"]:
        about = f"mandato: {s['mandate']} — " if s.get("about") == "mandate" else ""
        _print_provenance(f"{about}{s['source']} {s['locator']}".strip(), s)
    for r in data["relationships"]:
        arrow = "→" if r["direction"] == "out" else "←"
        role = f" ({r['role']})" if r.get("role") else ""
        _print_provenance(f"{r['type']} {arrow} {r['other_name']}{role}", r)


def _print_provenance(title: str, p: dict) -> None:
    basis = p["basis"] + (f": {p['method']}" if p.get("method") else "")
    out.print(styled(f"\n• {title}  ", (f"[{basis}]", "dim")))
    for q in p["quotes"]:
        out.print(f"    línea {q['line']}: “{q['text']}”")
    if p.get("reference"):
        out.print(f"    referencia: {p['reference']}")
    if p.get("curated"):
        out.print(styled(("    " + p["curated"], "dim")))


def _bundle(report: Path | None) -> None:
    from coopgraph.loaders.pipeline import build_batch, bundled_tables
    from coopgraph.loaders.provenance_audit import cited_lines
    from coopgraph.loaders.registry import Registry
    from coopgraph.loaders.report_lines import LINES_FILE, read_report_lines, write_lines

    if report is None:
        raise BadOption("--bundle-lines needs --report FILE (the report text)")
    registry = Registry.load()
    batch = build_batch(bundled_tables(), registry)
    written = write_lines(read_report_lines(report), cited_lines(batch, registry.curated))
    err.print(f"wrote {written} cited lines to {LINES_FILE}")


def export_facts(output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv, FILE.xlsx or FILE.json")],
                 basis: Annotated[Optional[Basis], typer.Option("--basis", help="Only stated, derived or outside facts.")] = None,
                 rel_type: Annotated[Optional[str], typer.Option("--type", help="Only one relationship type, e.g. ADVANCES.")] = None,
                 semicolon: Annotated[bool, typer.Option("--semicolon", help="CSV with ';' between cells (spreadsheets set to Spanish).")] = False):
    """Write every fact (relationship) with its provenance — source, report lines, curated file and line, basis, method, reference."""
    from coopgraph.analysis.provenance import FACT_COLUMNS, facts
    from coopgraph.graph.store import open_store
    from coopgraph.settings import get_settings

    with open_store(get_settings()) as store:
        if rel_type and rel_type not in store.model.relationships:
            raise BadOption(f"--type is one of {', '.join(sorted(store.model.relationships))}, not {rel_type!r}")
        rows = facts(store, basis=basis.value if basis else None, rel_type=rel_type)
    if output.suffix.lower() == ".json":
        output.write_text(machine_json(rows), encoding="utf-8")
    else:  # names come from loaded files: the one spreadsheet writer escapes formulas
        from coopgraph import spreadsheets

        table = spreadsheets.Table(list(FACT_COLUMNS), ([row.get(c) for c in FACT_COLUMNS] for row in rows), title="hechos")
        spreadsheets.write(output, [table], semicolon=semicolon)
    err.print(f"wrote {len(rows)} facts to {output}")
