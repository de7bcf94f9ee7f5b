"""`coopgraph rates`: add a later TRM export, show a rate and where it comes from."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopgraph.output import to_json
from coopgraph.settings import get_settings

rates_app = typer.Typer(help="Exchange rates: the TRM (COP per USD) and the ECB's euro reference rates.",
                        no_args_is_help=True)

PolicyOption = Annotated[str, typer.Option("--rate-policy", help="date, period-average or period-end (see docs/money.md).")]


@rates_app.command("load")
def rates_load(file: Annotated[Path, typer.Argument(help="A TRM export from datos.gov.co (VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA).")]):
    """Add a later TRM export beside the bundled one; loading it twice changes nothing."""
    from coopgraph.cli import err
    from coopgraph.rates import add_trm_file

    target, rates = add_trm_file(file, get_settings().home)
    err.print(f"[green]{file}[/green]: kept as {target}; the TRM now covers {rates.first.isoformat()} to {rates.last.isoformat()}")


@rates_app.command("show")
def rates_show(currency: Annotated[str, typer.Argument(help="USD, EUR, GBP…")],
               when: Annotated[str, typer.Argument(help="A day (2024-09-23), a month (2024-06) or a year (2024).")],
               policy: PolicyOption = "date",
               as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """COP per unit of CURRENCY for WHEN under a rate policy, with the rate's date and source."""
    from coopgraph.cli import out
    from coopgraph.money import format_rate
    from coopgraph.rates import load_rates

    rate = load_rates(get_settings().home).rate(currency, when, policy)
    if as_json:
        print(to_json({"currency": rate.currency, "cop_per_unit": rate.cop_per_unit, "basis": rate.basis,
                       "rate_date": rate.rate_date, "source": rate.source}))
        return
    out.print(f"1 {rate.currency} = $ {format_rate(rate.cop_per_unit)} COP ({rate.basis}, {rate.rate_date})\n"
              f"fuente: {rate.source}", highlight=False, soft_wrap=True)
