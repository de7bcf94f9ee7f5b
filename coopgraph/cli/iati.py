"""`coopgraph export iati` and `coopgraph export iati-organisation`: the district's cooperation as IATI
2.03 files, validated (codelists, schema, standard ruleset) before anything is written (docs/iati.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

XmlOutput = Annotated[Path, typer.Option("-o", "--output", help="FILE.xml")]


def _check_name(output: Path) -> None:
    if output.suffix.lower() != ".xml":
        raise typer.BadParameter(f"the file name ends in .xml, not {output.suffix or 'nothing'}")


def export_iati(output: XmlOutput):
    """The IATI 2.03 activity file: one activity per reported project and per cooperation line, with its organisations, money in its own currency, ODS and PDD; refused, and nothing written, if it would not validate."""
    from coopgraph.cli.common import _store, err
    from coopgraph.analysis.iati import activity_file

    _check_name(output)
    with _store() as store:
        made = activity_file(store)
    output.write_bytes(made.content)
    err.print(f"wrote {made.activities} IATI activities ({made.transactions} transactions) to {output}; "
              "valid against the IATI 2.03 schema, codelists and standard ruleset", highlight=False)


def export_iati_organisation(output: XmlOutput):
    """The district's IATI 2.03 organisation file (identifier, name, the reports it publishes); refused, and nothing written, if it would not validate."""
    from coopgraph.cli.common import _store, err
    from coopgraph.analysis.iati import organisation_file

    _check_name(output)
    with _store() as store:
        made = organisation_file(store)
    output.write_bytes(made.content)
    err.print(f"wrote the IATI organisation file to {output}; valid against the IATI 2.03 schema, codelists and "
              "standard ruleset", highlight=False)
