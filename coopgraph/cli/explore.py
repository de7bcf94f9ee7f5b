"""Commands for finding and reading the graph: `coopgraph search`, `profile` and `schema` (registered by cli.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from coopgraph.terminal import SafeConsole, styled
from rich.table import Table

from coopgraph.output import machine_json
from coopgraph.settings import get_settings

out = SafeConsole()
err = SafeConsole(stderr=True, soft_wrap=True)
EMPTY = "sin resultados"


def _store():
    from coopgraph.graph.store import open_store

    return open_store(get_settings())


def search(text: Annotated[str, typer.Argument(help="What you would type: a name, acronym (SDA, BID) or alias, any order, typos allowed.")],
           kind: Annotated[Optional[list[str]], typer.Option("--kind", "-k", help="Only entity, cooperant, network, engagement, sdg, pdd-objective or sector; repeatable.")] = None,
           limit: Annotated[int, typer.Option(help="How many results.")] = 10,
           as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """Find organisations, networks, projects, ODS, PDD objectives and sectors (the maps' and API's search)."""
    from coopgraph.analysis.search import KIND_RANK, search as run_search
    from coopgraph.viz import i18n

    unknown = sorted(set(kind or []) - set(KIND_RANK))
    if unknown:
        raise typer.BadParameter(f"unknown kind {', '.join(unknown)}; choose from {', '.join(KIND_RANK)}", param_hint="--kind")
    with _store() as store:
        hits = run_search(store, text, limit=limit, kinds=set(kind) if kind else None)
    if as_json:
        print(machine_json([h.to_dict() for h in hits]))
        return
    if not hits:
        out.print(EMPTY)
        return
    table = Table("#", "Tipo", "Id", "Nombre", "Sigla", "Puntaje", title=f"Búsqueda: {text}")
    table.columns[2].no_wrap = True  # an id is what analysts copy: never cut
    for i, h in enumerate(hits, start=1):
        kinds = " + ".join(i18n.kind_name(r, "es") for r in h.roles)
        table.add_row(str(i), kinds, f"{h.kind}:{h.id}", h.name, h.acronym or "", f"{h.score:.0f}")
    out.print(table)


def profile(kind: Annotated[str, typer.Argument(help="entity, cooperant, network, engagement, sdg, pdd-objective or sector")],
            id: Annotated[str, typer.Argument(help="The node's id (sda, bid, c40, avantia, 13, 4, movilidad); `coopgraph search` finds it.")],
            out_file: Annotated[Optional[Path], typer.Option("--out", help="Write FILE.html, FILE.csv or FILE.xlsx instead of printing.")] = None,
            lang: Annotated[str, typer.Option(help="es or en")] = "es",
            semicolon: Annotated[bool, typer.Option("--semicolon", help="CSV with ';' and a decimal comma (Excel set to Spanish).")] = False):
    """A profile (ficha): headline money with its basis, partners, ODS/PDD mix, networks, projects, people, sources."""
    from coopgraph.analysis.profiles import build_profile
    from coopgraph.viz import profiles as pages
    from coopgraph.viz.profile_text import fact_label, fact_value, section_title, word

    with _store() as store:
        found = build_profile(store, kind, id)
    if out_file is not None:
        suffix = out_file.suffix.lower()
        if suffix == ".html":
            out_file.write_text(pages.profile_html(found, lang=lang), encoding="utf-8")
        elif suffix == ".csv":
            out_file.write_bytes(pages.profile_csv(found, lang=lang, delimiter=";" if semicolon else ","))
        elif suffix == ".xlsx":
            out_file.write_bytes(pages.profile_xlsx(found, lang=lang))
        else:
            raise typer.BadParameter(f"--out must end in .html, .csv or .xlsx, not {out_file.name!r}")
        err.print(f"wrote the profile of {found.name} to {out_file}")
        return
    out.print(styled((found.name, "bold"), f" ({found.kind}:{found.id})"))
    for fact in found.headline:
        out.print(styled(f"  {fact_label(fact, lang)}: {fact_value(fact, lang)}  ", (word(lang, 'basis.' + fact.basis), "dim")))
    for section in found.sections:
        out.print(f"  {section_title(section.key, lang)}: {len(section.rows)}")


def schema(as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """The graph's labels, relationship types and properties (graph/schema/*.yaml), for writing Cypher."""
    from coopgraph.graph.model import model

    m = model()
    if as_json:
        print(machine_json({
            "labels": {n.name: {"key": n.key, "description": n.description,
                                "properties": {p.name: p.type for p in n.properties.values()}} for n in m.nodes.values()},
            "relationships": {r.name: {"pairs": [list(p) for p in r.pairs], "description": r.description,
                                       "properties": {p.name: p.type for p in r.properties.values()}}
                              for r in m.relationships.values()}}))
        return
    labels = Table(title="Etiquetas (nodos)")
    labels.add_column("Etiqueta", no_wrap=True)
    labels.add_column("Clave", no_wrap=True)
    labels.add_column("Propiedades (tipo)", overflow="fold")
    labels.add_column("Descripción", overflow="fold")
    for n in m.nodes.values():
        props = ", ".join(f"{p.name}{'*' if p.required else ''} ({p.type})" for p in n.properties.values())
        labels.add_row(n.name, n.key, props, n.description)
    out.print(labels)
    rels = Table(title="Tipos de relación")
    rels.add_column("Tipo", no_wrap=True)
    rels.add_column("Une", overflow="fold")
    rels.add_column("Propiedades (tipo)", overflow="fold")
    rels.add_column("Descripción", overflow="fold")
    for r in m.relationships.values():
        pairs = "; ".join(f"{a}→{b}" for a, b in r.pairs) if r.pairs else "*"
        props = ", ".join(f"{p.name} ({p.type})" for p in r.properties.values()) or "—"
        rels.add_row(r.name, pairs, props, r.description)
    out.print(rels)
    out.print("* obligatoria · dinero (money): centavos enteros de COP · cada relación lleva además su fuente "
              "(source, locator)", highlight=False)
