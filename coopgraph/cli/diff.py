"""`coopgraph diff FROM TO`: what changed between two years (partners, money, brokers, communities),
or between two loads (two data versions from `coopgraph history`: figures, counts, cooperants)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coopgraph.output import machine_json
from coopgraph.terminal import clean


def diff_command(from_year: Annotated[str, typer.Argument(help="The earlier year, e.g. 2023, or a data version from `coopgraph history`.")],
                 to_year: Annotated[str, typer.Argument(help="The later year, e.g. 2024, or a later data version.")],
                 constant_rates: Annotated[Optional[int], typer.Option("--constant-rates", help="Year whose average rates convert both years' other currencies (default: the later year).")] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
                 markdown: Annotated[bool, typer.Option("--markdown", help="The report as Markdown.")] = False,
                 map_file: Annotated[Optional[Path], typer.Option("--map", help="Also write the change map (new, lost and kept links) to FILE.html.")] = None,
                 lang: Annotated[str, typer.Option(help="es or en (the map).")] = "es"):
    """Partners gained, lost and kept; money change at each year's rates and at constant rates; brokers; communities.
    Given two data versions instead of years: what changed between those two loads."""
    from coopgraph.cli.common import _store, err, out
    from coopgraph.analysis.diff import render_markdown, year_diff

    if not (from_year.isdecimal() and to_year.isdecimal() and len(from_year) == len(to_year) == 4):
        return _loads_diff(from_year, to_year, as_json)
    from_year, to_year = int(from_year), int(to_year)

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


def _loads_diff(older: str, newer: str, as_json: bool) -> None:
    from coopgraph.cli.common import _store, out
    from coopgraph.loaders.history import generation_diff, short

    with _store() as store:
        result = generation_diff(store, older, newer)
    if as_json:
        print(machine_json(result))
        return
    from rich.markdown import Markdown

    out.print(Markdown(clean(_loads_markdown(result, short)), hyperlinks=False))


def _loads_markdown(d: dict, short) -> str:
    from coopgraph.output import show

    a, b = d["from"], d["to"]
    lines = [f"# Entre dos cargas: {short(a['version'])} ({(a['loaded_at'] or '')[:10]}) → "
             f"{short(b['version'])} ({(b['loaded_at'] or '')[:10]})", "",
             "| cifra | antes | después | cambio |", "|---|---:|---:|---:|"]
    words = {"interactions": "interacciones", "report_cop": "COP del informe", "all_cooperation_cop": "toda la cooperación COP"}
    for key, word in words.items():
        unit = "count" if key == "interactions" else "COP"
        cells = [show(v, unit) for v in (a["figures"][key], b["figures"][key], d["change"][key])]
        lines.append(f"| {word} | " + " | ".join(cells) + " |")
    for kind, title in (("nodes", "nodos"), ("relationships", "relaciones")):
        if d[kind]:
            lines += ["", f"**{title} que cambiaron:** " + "; ".join(f"{k} {v['from']} → {v['to']}" for k, v in d[kind].items())]
    for key, title in (("cooperants_added", "cooperantes nuevos"), ("cooperants_removed", "cooperantes que ya no están")):
        if d[key]:
            lines += ["", f"**{title}:** " + "; ".join(d[key])]
    return "\n".join(lines) + "\n"
