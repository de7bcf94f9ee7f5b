"""The `coopgraph` command line."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from coopgraph.terminal import clean, styled
from rich.table import Table

from coopgraph.errors import CoopgraphError
from coopgraph.output import machine_json, show
from coopgraph.settings import get_settings

app = typer.Typer(help="coopgraph: the graph of a city's international cooperation.",
                  no_args_is_help=True, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})

from coopgraph.cli.common import (ReportOption, SemicolonOption, TablesOption, YearOption, _check_years,  # noqa: F401
                                  _store, _years, err, out)


def _print_version(value: bool) -> None:
    if value:
        from coopgraph import __version__

        out.print(f"coopgraph {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """coopgraph: the graph of a city's international cooperation."""


@app.command()
def load(files: Annotated[Optional[list[Path]], typer.Argument(help="Interaction exports (.csv or .xlsx) to load.")] = None,
         report: ReportOption = None, tables_dir: TablesOption = None,
         rejects: Annotated[Optional[Path], typer.Option("--rejects", help="Load the good rows and write the bad ones, with their reasons, to this CSV.")] = None,
         rate_policy: Annotated[str, typer.Option("--rate-policy", help="Rate for amounts not in COP: date, period-average or period-end (docs/money.md).")] = "date"):
    """Load interaction exports (FILES), or the bundled 2024 report data (or --report / --tables); loading twice changes nothing."""
    from coopgraph.loaders.pipeline import load as run_load, load_files, tables_from

    _yield_cpu(get_settings().load_nice)
    started = time.perf_counter()
    if files:
        from coopgraph.progress import phases

        with phases(err) as step, _store() as store:
            step("reading files")
            loads = load_files(store, files, rejects=rejects, progress=step,
                               rate_policy=rate_policy)
        for item in loads:
            v = item.validated
            state = "unchanged, nothing written" if item.unchanged else f"{len(v.rows)} rows loaded"
            if item.plan is not None:
                p = item.plan
                state += f" ({p.inserted} new, {p.updated} updated, {p.unchanged} already held, {p.dropped} no longer stated)"
                if p.conflicts:
                    state += (f"; {len(p.conflicts)} rows change what another source states (the file's values kept): "
                              + "; ".join(p.conflicts[:5]) + (" …" if len(p.conflicts) > 5 else ""))
            err.print(styled((str(item.path), "green"), f": {state}"
                      + (f"; {int(v.bad.sum())} rows rejected to {rejects}" if rejects and v.bad.any() else "")
                      + (f"; new names flagged for review: {len(v.new_cooperants)} cooperants, {len(v.new_entities)} entities"
                         if v.new_cooperants or v.new_entities else "")
                      + (f"; extra columns kept as `extra`: {', '.join(v.unknown_columns)}" if v.unknown_columns else "")))
        err.print(f"done in {time.perf_counter() - started:.2f} s")
        return
    from coopgraph.progress import phases

    with phases(err) as step:
        step("reading tables")
        tables = tables_from(report, tables_dir)
        with _store() as store:
            batch = run_load(store, tables, progress=step, rate_policy=rate_policy)
    counts = batch.counts()
    err.print(styled(("loaded", "green"), f" {sum(counts[l] for l in batch.nodes)} nodes, "
              f"{sum(counts[t] for t in batch.relationships)} relationships from "
              f"{report or tables_dir or 'the bundled 2024 report tables'} in {time.perf_counter() - started:.2f} s"))


@app.command()
def extract(report: Annotated[Path, typer.Option("--report", help="Report text file to parse.")],
            out_dir: Annotated[Path, typer.Option("--out", help="Directory for the tidy CSVs.")]):
    """Parse a report into the tidy CSVs coopgraph bundles under data/ (one file per table)."""
    from coopgraph.loaders.report import parse_report
    from coopgraph.loaders.tables import write_tables

    for path in write_tables(parse_report(report), out_dir):
        err.print(f"wrote {path}")


@app.command()
def summary(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
            year: YearOption = None):
    """Headline figures: interactions, contributions, COP totals, by sector and by ODS."""
    from coopgraph.analysis.summary import summary as compute

    with _store() as store:
        _check_years(store, year)
        data = compute(store, **_years(year))
        from coopgraph.loaders.history import stamp

        data.update(stamp(store))  # which load these figures come from
    if as_json:
        print(machine_json(data))
        return
    head = Table(title="coopgraph — resumen" + (f" {year}" if year else ""), show_header=False)
    head.add_row("Interacciones", show(data["interactions"], "count"))
    head.add_row("Aportes monetarios", show(data["monetary_contributions"], "count"))
    head.add_row("Aporte cooperantes", show(data["cooperant_cop"], "COP"))
    head.add_row("Contrapartida distrital", show(data["counterpart_cop"], "COP"))
    head.add_row("Total (cifras del informe: aportes en COP)", show(data["total_cop"], "COP"))
    head.add_row("Toda la cooperación en COP (con montos convertidos)", show(data["all_cooperation"]["total_cop"], "COP"))
    out.print(head)
    from coopgraph.cli.rates import print_converted

    print_converted(data["all_cooperation"])
    sectors = Table("Sector", "Aportes", "Total (COP)", title="Por sector")
    for row in data["by_sector"]:
        sectors.add_row(row["sector"], str(row["contributions"]), show(row["total_cop"], "COP"))
    out.print(sectors)
    goals = Table("ODS", "Interacciones", "Total (COP)", title="Por ODS")
    for row in data["by_sdg"]:
        goals.add_row(f"{row['sdg']}. {row['name']}", str(row["interactions"]), show(row["total_cop"], "COP"))
    out.print(goals)
    nodes = Table("Etiqueta", "Nodos", title="Nodos por etiqueta")
    for label, n in data["counts"].items():
        nodes.add_row(label, str(n))
    out.print(nodes)


@app.command()
def analyze(year: YearOption = None,
            as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
            markdown: Annotated[bool, typer.Option("--markdown", help="The report as Markdown.")] = False,
            sector: Annotated[Optional[str], typer.Option(help="Only this sector id (e.g. movilidad).")] = None,
            network: Annotated[Optional[str], typer.Option(help="Only contributions through this network id.")] = None,
            sdg: Annotated[Optional[int], typer.Option(help="Only this ODS number.")] = None,
            betweenness_sample: Annotated[Optional[int], typer.Option(help="Sample size for betweenness on big graphs.")] = None):
    """Brokers, communities, dependency warnings, gaps and flows of the cooperation network."""
    from coopgraph.analysis.analytics import analyze as compute
    from coopgraph.cli.analytics_markdown import render_markdown
    from coopgraph.analysis.filters import check_sdg, check_sector

    with err.status("analysing"), _store() as store:
        _check_years(store, year)
        check_sector(store, sector)
        check_sdg(sdg)
        report = compute(store, **_years(year), sector_id=sector, network_id=network, sdg=sdg,
                         betweenness_sample=betweenness_sample)
    if as_json:
        print(machine_json(report))
    else:
        text = render_markdown(report)
        if markdown:
            print(clean(text))
        else:
            from rich.markdown import Markdown

            out.print(Markdown(clean(text), hyperlinks=False))  # a name's [text](url) is shown, never a live link


@app.command("map")
def map_command(view: Annotated[str, typer.Argument(help="overview, ego, networks or flows")],
                out_file: Annotated[Path, typer.Option("--out", help="FILE.html to write")],
                id: Annotated[Optional[str], typer.Option("--id", help="For ego maps: cooperant:bid, entity:sdm, network:c40, sdg:13, pdd-objective:4")] = None,
                hops: Annotated[int, typer.Option(help="1 or 2 hops around the ego node.")] = 1,
                lang: Annotated[str, typer.Option(help="es or en")] = "es",
                max_nodes: Annotated[int, typer.Option(help="Above this, small nodes are grouped.")] = 2000):
    """Write a relationship map or the flow chart as one offline HTML file."""
    from coopgraph.viz import render_map

    with _store() as store:
        html = render_map(store, view, id=id, lang=lang, hops=hops, max_nodes=max_nodes)
    out_file.write_text(html, encoding="utf-8")
    err.print(f"wrote {view} map to {out_file} ({len(html) / 1e6:.1f} MB, works offline)")


@app.command()
def queries(names: Annotated[bool, typer.Option("--names", help="Only the names, one a line (for scripts and completion).")] = False):
    """List the named queries analysts can run with `coopgraph query NAME`."""
    from coopgraph.cypher.library import library

    if names:
        print("\n".join(library()))
        return
    table = Table(title="Consultas con nombre (cypher/queries.yaml)")
    table.add_column("Consulta", no_wrap=True)  # a name is what analysts copy: never cut
    table.add_column("Descripción", ratio=3)
    table.add_column("Parámetros", ratio=1, overflow="fold")
    for query in library().values():
        params = ", ".join(f"{p.name}:{p.type}={p.default}" for p in query.params.values())
        table.add_row(query.name, query.description, params)
    out.print(table)


@app.command()
def query(name: Annotated[Optional[str], typer.Argument(help="A named query (see `coopgraph queries`).")] = None,
          param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="k=v, repeatable.")] = None,
          cypher: Annotated[Optional[str], typer.Option("--cypher", help="Your own read-only Cypher instead of a named query.")] = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
          semicolon: SemicolonOption = False,
          with_sources: Annotated[bool, typer.Option("--sources", help="Each row's sources: report lines and basis (named queries).")] = False):
    """Run a named query or your own Cypher, read-only, bounded in time and rows."""

    from coopgraph.cypher.library import QueryError, library
    from coopgraph.cypher.sandbox import run_isolated

    if bool(name) == bool(cypher):
        raise typer.BadParameter("give a query NAME or --cypher TEXT, not both or neither")
    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--param expects k=v, not {item!r}")
        params[key.strip()] = value
    settings = get_settings()
    if cypher:  # checked by the statement policy, then run in the confined child (cypher/sandbox.py)
        result = run_isolated(cypher, params, settings)
    else:  # named queries run the same way: an engine crash or a runaway query stays in the child
        if name not in library():
            raise QueryError(f"no named query {name!r}; `coopgraph queries` lists them")
        query = library()[name]
        dialect = "neo4j" if settings.store == "neo4j" else "embedded"
        result = run_isolated(query.text(dialect), query.bind(params), settings, trusted=True)
        if with_sources:
            result = _sourced(result, query.text(dialect), settings)
    if fmt == "json":
        print(machine_json(result.rows))
    elif fmt == "csv":
        from coopgraph.spreadsheets import Table, csv_text

        rows = ([row.get(c) for c in result.columns] for row in result.rows)  # no BOM on a pipe
        sys.stdout.write(csv_text([Table(list(result.columns), rows)], semicolon=semicolon))
    elif fmt == "table":  # money the Colombian way, "sin resultados" when empty (coopgraph/cli/tables.py)
        from coopgraph.cli.tables import result_table

        out.print(result_table(result.columns, result.rows, name or "consulta", width=out.width))
    else:
        raise typer.BadParameter("--format is table, json or csv")
    if result.truncated:
        err.print(styled((f"only the first {len(result.rows)} rows (COOPGRAPH_QUERY_MAX_ROWS)", "yellow")))


def _sourced(result, cypher: str, settings):
    """The answer with each row's sources (cypher/row_sources.py), read by this process on the ids it returned."""
    from dataclasses import replace

    from coopgraph.cypher.row_sources import with_sources
    from coopgraph.graph.store import open_store

    with open_store(settings) as store:
        columns, rows = with_sources(store, cypher, list(result.columns), result.rows)
    return replace(result, columns=columns, rows=rows)


from coopgraph.cli.sources import sources as _sources  # noqa: E402  (its own module)

app.command("sources")(_sources)

export_app = typer.Typer(help="Write graph data to files.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("neo4j-import")
def export_neo4j_import(directory: Annotated[Path, typer.Argument(help="Folder for the CSVs (created if absent).")]):
    """Node and relationship CSVs headed for `neo4j-admin database import full`, and import.sh that runs it."""
    import shlex

    from coopgraph.graph.neo4j_import import write_import_files
    from coopgraph.progress import phases

    with _store() as store, phases(err) as step:
        files = write_import_files(store, directory, progress=step)
    err.print(f"wrote {sum(files.nodes.values())} nodes and {sum(files.relationships.values())} relationships "
              f"in {len(files.nodes) + len(files.relationships)} files to {directory}; import them with "
              "neo4j-admin (Neo4j stopped, the database new) by running:", highlight=False)
    print(f"sh {shlex.quote(str(directory / 'import.sh'))}")


from coopgraph.cli.sources import export_facts as _export_facts  # noqa: E402  (its own module)

export_app.command("facts")(_export_facts)


from coopgraph.cli.iati import export_iati as _export_iati, export_iati_organisation as _export_iati_organisation  # noqa: E402

export_app.command("iati")(_export_iati)
export_app.command("iati-organisation")(_export_iati_organisation)


@export_app.command("graph")
def export_graph_command(output: Annotated[Path, typer.Option("-o", "--output", help="FILE.gexf, .graphml, .json or .csv")],
                         year: YearOption = None,
                         sector: Annotated[Optional[str], typer.Option("--sector", help="Only this sector (id).")] = None,
                         network: Annotated[Optional[str], typer.Option("--network", help="Only this city network (id).")] = None,
                         sdg: Annotated[Optional[int], typer.Option("--sdg", min=1, max=17, help="Only this ODS.")] = None,
                         semicolon: SemicolonOption = False):
    """The organisation graph for Gephi, Cytoscape or a spreadsheet: GEXF 1.3, GraphML, node-link JSON or an edge table."""
    from coopgraph.analysis.exports import FORMATS, export_graph, with_cooperant_counts
    from coopgraph.analysis.projections import organisation_graph

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"the file name ends in .{', .'.join(FORMATS)}, not {output.suffix or 'nothing'}")
    with _store() as store:
        _check_years(store, year)
        graph = with_cooperant_counts(organisation_graph(store, **_years(year), sector_id=sector, network_id=network,
                                                         sdg=sdg), store)
    output.write_bytes(export_graph(graph, fmt, delimiter=";" if semicolon else ","))
    err.print(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} links to {output}", highlight=False)


@export_app.command("interactions")
def export_interactions(output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv or FILE.xlsx")],
                        year: YearOption = None, semicolon: SemicolonOption = False):
    """Write the graph's contributions in the interaction schema (fix them in a spreadsheet, load them back)."""
    from coopgraph.loaders.export import interactions_frame, write_interactions

    with _store() as store:
        _check_years(store, year)
        frame = interactions_frame(store, **_years(year))
    write_interactions(frame, output, semicolon=semicolon)
    err.print(f"wrote {len(frame)} interactions to {output}")


@app.command()
def template(output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv or FILE.xlsx")]):
    """Write an empty interaction file with the schema's headers and one example row."""
    from coopgraph.loaders.export import write_interactions
    from coopgraph.loaders.interaction_schema import TEMPLATE

    write_interactions(TEMPLATE, output)
    err.print(f"wrote the interaction template to {output}")


@app.command()
def synth(output: Annotated[Path, typer.Option("-o", "--output", help="FILE.csv or FILE.xlsx")],
          rows: Annotated[int, typer.Option(help="How many interactions.")] = 10_000,
          seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same file.")] = 2024,
          years: Annotated[str, typer.Option(help="Year or range, e.g. 2021-2024.")] = "2024",
          entities: Annotated[Optional[int], typer.Option(help="Number of district entities (default: the known ones).")] = None,
          cooperants: Annotated[Optional[int], typer.Option(help="Number of cooperants (default: the known ones).")] = None):
    """Write a realistic synthetic interaction export (power-law partners) for tests and benchmarks."""
    from coopgraph.loaders.export import write_interactions
    from coopgraph.loaders.synthetic import synthetic_interactions

    from coopgraph.progress import phases

    span = _years(years)
    with phases(err) as step:
        step(f"drawing {rows:,} interactions")
        frame = synthetic_interactions(rows, seed=seed, years=(span["from_year"], span["to_year"]),
                                       entities=entities, cooperants=cooperants)
        step(f"writing {output.name}")
        write_interactions(frame, output)
    err.print(f"wrote {rows} synthetic interactions to {output}")


def _yield_cpu(nice: int) -> None:
    """A load lowers its own CPU priority: on a machine that also serves, reads get the CPU first
    (tests/api/test_slow_clients.py times fichas during a 50k-row load)."""
    if nice > 0:
        try:
            os.nice(nice)
        except OSError:  # pragma: no cover - lowering one's own priority needs no privilege
            pass


@app.command()
def serve(host: Annotated[Optional[str], typer.Option(help="Interface to listen on (default 127.0.0.1).")] = None,
          port: Annotated[Optional[int], typer.Option(help="Port (default 8000).")] = None):
    """Serve the API on 127.0.0.1:8000, loading the bundled data first if the store is empty."""
    import uvicorn

    from coopgraph.api.app import create_app

    settings = get_settings()
    with _store() as store:
        empty = not store.has_data()
    if empty:
        load(report=None, tables_dir=None)
    base = f"http://{host or settings.host}:{port or settings.port}"
    err.print(f"maps: {base}/maps · queries: {base}/query · API docs: {base}/docs · "
              f"profiles: {base}/profiles/entity/sda", highlight=False)
    from coopgraph.api.serving import guarded_protocol

    uvicorn.run(create_app(settings, warm_workers=True), host=host or settings.host, port=port or settings.port,
                http=guarded_protocol(settings.api_read_timeout_s), timeout_keep_alive=5)


from coopgraph.cli.rates import rates_app  # noqa: E402  (commands of their own module, registered here)

app.add_typer(rates_app, name="rates")
from coopgraph.cli.diff import diff_command  # noqa: E402

app.command("diff")(diff_command)
from coopgraph.cli.check import check_command  # noqa: E402

app.command("check")(check_command)
from coopgraph.cli.history import history_command, rollback_command  # noqa: E402

app.command("history")(history_command)
app.command("rollback")(rollback_command)

from coopgraph.cli.prospect import prospect  # noqa: E402

app.command("prospect")(prospect)

from coopgraph.cli import explore as cli_explore  # noqa: E402

app.command("search")(cli_explore.search)
app.command("schema")(cli_explore.schema)
app.command("profile")(cli_explore.profile)

from coopgraph.cli.breakdown import breakdown_command  # noqa: E402

app.command("breakdown")(breakdown_command)


@app.command()
def shell():
    """An interactive read-only Cypher prompt (history, completion, :run NAME); from a pipe, runs `;`-separated statements."""
    from coopgraph.cli.shell import shell as run_shell  # prompt_toolkit loads only for this command

    run_shell()


def _click_errors() -> tuple[tuple, tuple, tuple]:
    """(usage errors, a bare command's help, aborts) under every name: typer 0.29+ vendors click as typer._click."""
    usage, bare, abort = [click.exceptions.ClickException], [], [click.exceptions.Abort, typer.Abort]
    try:
        from typer._click import exceptions as vendored
    except ImportError:  # an older typer raises click's own exceptions
        return tuple(usage), tuple(bare), tuple(abort)
    usage.append(vendored.ClickException)
    bare.extend(kind for kind in (getattr(vendored, "NoArgsIsHelpError", None),) if kind)
    return tuple(usage), tuple(bare), tuple(abort)


USAGE_ERRORS, BARE_COMMAND, ABORTS = _click_errors()


def main() -> None:
    """Entry point: every mistake becomes one clear line and an exit code, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except CoopgraphError as exc:
        err.print(styled(("error:", "bold red"), f" {exc.message}"))
        for problem in exc.details.get("problems", [])[1:20]:
            err.print(f"  {problem}", highlight=False)
        sys.exit(exc.exit_code)
    except BARE_COMMAND as exc:  # `coopgraph` or a group alone: its help is the answer
        exc.show()
        sys.exit(2)
    except USAGE_ERRORS as exc:
        context = getattr(exc, "ctx", None)
        where = f" (see `{context.command_path} --help`)" if context is not None else ""
        err.print(styled(("error:", "bold red"), f" {exc.format_message()}{where}"))
        sys.exit(exc.exit_code)
    except ABORTS:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
