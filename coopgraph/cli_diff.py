"""`coopgraph diff FROM TO`: what changed between two years (partners, money, brokers, communities)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coopgraph.output import machine_json
from coopgraph.terminal import clean


def diff_command(from_year: Annotated[int, typer.Argument(help="The earlier year, e.g. 2023.")],
                 to_year: Annotated[int, typer.Argument(help="The later year, e.g. 2024.")],
                 constant_rates: Annotated[Optional[int], typer.Option("--constant-rates", help="Year whose average rates convert both years' other currencies (default: the later year).")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
                 markdown: Annotated[bool, typer.Option("--markdown", help="The report as Markdown.")] = False,
                 map_file: Annotated[Optional[Path], typer.Option("--map", help="Also write the change map (new, lost and kept links) to FILE.html.")] = None,
                 lang: Annotated[str, typer.Option(help="es or en (the map).")] = "es"):
    """Partners gained, lost and kept; money change at each year's rates and at constant rates; brokers; communities."""
    from coopgraph.cli import _store, err, out
    from coopgraph.graph.diff import render_markdown, year_diff

    with err.status("comparing"), _store() as store:
        result = year_diff(store, from_year, to_year, constant_year=constant_rates)
        if map_file:
            from coopgraph.viz.diff_map import diff_map_html

            map_file.write_text(diff_map_html(store, from_year, to_year, lang=lang, diff=result), encoding="utf-8")
            err.print(f"wrote the {from_year}→{to_year} change map to {map_file}")
    if as_json:
        print(machine_json(result))
    elif markdown:
        print(clean(render_markdown(result)))
    else:
        from rich.markdown import Markdown

        out.print(Markdown(clean(render_markdown(result)), hyperlinks=False))
