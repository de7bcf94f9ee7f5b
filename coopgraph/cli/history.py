"""`coopgraph history` and `coopgraph rollback`: which loads made the data, and going back to one."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from coopgraph.output import machine_json, show


def _short_name(name: str, width: int = 32) -> str:
    return name if len(name) <= width else name[:width - 1] + "…"


def history_command(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """Every load that changed the data (and every rollback): when, which files, the figures before and after."""
    from rich.table import Table

    from coopgraph.cli.common import _store, out
    from coopgraph.loaders import history

    with _store() as store:
        entries = history.entries(store)
    if as_json:
        print(machine_json(entries))
        return
    if not entries:
        out.print("no load recorded yet; `coopgraph load` makes the first")
        return
    wide = out.width >= 140  # all cooperation beside the report's COP only where it fits
    table = Table(title="cargas (history)")
    table.add_column("versión", no_wrap=True)
    table.add_column("cuándo (UTC)")
    table.add_column("acción")
    table.add_column("interacciones", justify="right", no_wrap=True)
    table.add_column("COP del informe", justify="right", no_wrap=True)
    if wide:
        table.add_column("toda la cooperación COP", justify="right", no_wrap=True)
    table.add_column("archivos", overflow="fold", min_width=12)
    last_of_current = max((i for i, e in enumerate(entries) if e["current"]), default=None)
    for i, e in enumerate(entries):
        after = e.get("figures_after") or {}
        files = "; ".join(_short_name(f["name"]) + (f" (+{f['added']} ~{f['changed']} −{f['removed']})" if "added" in f else "")
                          for f in e["files"]) or "—"
        mark = " ◀" if i == last_of_current else ("" if e["kept"] else " ✗")
        cells = [history.short(e["version"]) + mark, e["at"].replace("T", " ")[:16],
                 {"load": "carga", "rollback": "vuelta atrás"}.get(e["action"], e["action"]),
                 show(after.get("interactions"), "count"), show(after.get("report_cop"), "COP")]
        if wide:
            cells.append(show(after.get("all_cooperation_cop"), "COP"))
        table.add_row(*cells, files)
    table.caption = "◀ los datos actuales · ✗ datos ya no guardados (no se puede volver a ellos)"
    out.print(table)


def rollback_command(version: Annotated[Optional[str], typer.Argument(help="A kept data version (12 characters of it are enough; default: the one before the current).")] = None,
                     yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False):
    """Make an earlier kept load's data current again, atomically (as a load does); the log records it."""
    from coopgraph.cli.common import _store, err
    from coopgraph.loaders import history
    from coopgraph.terminal import styled

    with _store() as store:
        if not yes:
            target = history.resolve(store, version) if version else None
            shown = history.short(target) if target else "the previous kept version"
            if not typer.confirm(f"make {shown} the current data (now {history.short(store.version())})?"):
                raise typer.Exit(1)
        entry = history.rollback(store, version)
    after = entry["figures_after"]
    err.print(styled(("rolled back", "green"), f" to {history.short(entry['version'])}: {show(after['interactions'], 'count')} "
                     f"interactions, {show(after['report_cop'], 'COP')} in the report's COP"))
