"""`coopgraph prospect`: who to approach next for a target, and why (registered by coopgraph.cli)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from coopgraph.terminal import SafeConsole, clean
from rich.markdown import Markdown
from rich.table import Table

from coopgraph.output import machine_json
from coopgraph.settings import get_settings

out = SafeConsole()
err = SafeConsole(stderr=True, soft_wrap=True)


def prospect(target: Annotated[Optional[str], typer.Option("--for", help="entity:sda, sector:ambiente, sdg:13, pdd-objective:4 or network:c40.")] = None,
             top: Annotated[int, typer.Option("--top", min=1, max=500, help="How many prospects.")] = 10,
             as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output, with every fact's source.")] = False,
             markdown: Annotated[bool, typer.Option("--markdown", help="The prospects as Markdown.")] = False,
             year: Annotated[Optional[str], typer.Option("--year", help="Only this year (2024) or range (2023-2024).")] = None,
             lang: Annotated[str, typer.Option("--lang", help="es or en")] = "es",
             map_file: Annotated[Optional[Path], typer.Option("--map", help="Also write the prospect map to FILE.html (works offline).")] = None,
             list_targets: Annotated[bool, typer.Option("--targets", help="List the valid target ids and stop.")] = False):
    """Cooperants not yet engaged with a target, ranked by link prediction, each with its evidence and sources."""
    from coopgraph.analysis.prospects import prospects, render_markdown, targets
    from coopgraph.graph.store import open_store

    if not list_targets and not target:
        raise typer.BadParameter("give --for KIND:ID (e.g. --for entity:sda), or --targets to list the ids")
    with open_store(get_settings()) as store:
        if list_targets:
            found = targets(store)
            if as_json:
                print(machine_json(found))
                return
            table = Table("id", "nombre", title="Objetivos de prospección")
            for t in found:
                table.add_row(t["id"], t["name"])
            out.print(table)
            return
        from coopgraph.cli.common import _years  # the CLI's one year parser (cli.py imports this module at its end)

        result = prospects(store, target, top=top, lang=lang, **_years(year))
        if map_file is not None:
            from coopgraph.viz.prospect_map import prospect_map_html

            html = prospect_map_html(store, target, top=top, lang=lang)
            map_file.write_text(html, encoding="utf-8")
            err.print(f"wrote the prospect map to {map_file} ({len(html) / 1e6:.1f} MB, works offline)")
    if as_json:
        print(machine_json(result))
    elif markdown:
        print(clean(render_markdown(result, lang)))
    else:
        out.print(Markdown(clean(render_markdown(result, lang)), hyperlinks=False))
