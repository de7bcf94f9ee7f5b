"""`coopgraph rates`: add a later TRM export, show a rate and where it comes from."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopgraph.output import show, to_json
from coopgraph.settings import get_settings

rates_app = typer.Typer(help="Exchange rates: the TRM (COP per USD) and the ECB's euro reference rates.",
                        no_args_is_help=True)

PolicyOption = Annotated[str, typer.Option("--rate-policy", help="date, period-average or period-end (see docs/money.md).")]


@rates_app.command("load")
def rates_load(file: Annotated[Path, typer.Argument(help="A TRM export from datos.gov.co (VALOR,UNIDAD,VIGENCIADESDE,VIGENCIAHASTA).")]):
    """Add a later TRM export beside the bundled one; loading it twice changes nothing."""
    from coopgraph.cli.common import err
    from coopgraph.terminal import styled
    from coopgraph.rates import add_trm_file

    target, rates = add_trm_file(file, get_settings().home)
    err.print(styled((str(file), "green"), f": kept as {target}; the TRM now covers {rates.first.isoformat()} to {rates.last.isoformat()}"))


@rates_app.command("show")
def rates_show(currency: Annotated[str, typer.Argument(help="USD, EUR, GBP…")],
               when: Annotated[str, typer.Argument(help="A day (2024-09-23), a month (2024-06) or a year (2024).")],
               policy: PolicyOption = "date",
               as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False):
    """COP per unit of CURRENCY for WHEN under a rate policy, with the rate's date and source."""
    from coopgraph.cli.common import out
    from coopgraph.money import format_rate
    from coopgraph.rates import load_rates

    rate = load_rates(get_settings().home).rate(currency, when, policy)
    if as_json:
        print(to_json({"currency": rate.currency, "cop_per_unit": rate.cop_per_unit, "basis": rate.basis,
                       "rate_date": rate.rate_date, "source": rate.source}))
        return
    out.print(f"1 {rate.currency} = $ {format_rate(rate.cop_per_unit)} COP ({rate.basis}, {rate.rate_date})\n"
              f"fuente: {rate.source}", highlight=False, soft_wrap=True)


def print_converted(data: dict) -> None:
    """The amounts in other currencies behind "all cooperation in COP", each with its rate."""
    from rich.table import Table

    from coopgraph.cli.common import out
    from coopgraph.money import format_amount, format_rate

    if not (data["engagements"] or data["contributions"] or data["not_converted"]):
        return
    table = Table("Convertido", title="Montos en otras monedas, en COP")
    for name in ("Monto", "En COP", "Tasa", "Base"):
        table.add_column(name, no_wrap=True)
    for e in data["engagements"]:
        table.add_row(e["name"], format_amount(e["amount"], e["currency"]), show(e["cop"], "COP"),
                      format_rate(e["rate"]), f"{e['rate_basis']} {e['rate_date']}")
    for c in data["contributions"]:
        table.add_row(f"{c['contributions']} aportes {c['year']}", format_amount(c["amount"], c["currency"]),
                      show(c["cop"], "COP"), format_rate(c["rate"]), f"{c['rate_basis']} {c['rate_date']}")
    for m in data["not_converted"]:
        table.add_row(m.get("name") or f"aportes {m['year']}", format_amount(m["amount"], m["currency"]), "—", "—", m["reason"])
    out.print(table)
    if data["counted_elsewhere"]:
        out.print(f"{len(data['counted_elsewhere'])} montos ya incluidos en otro (no sumados dos veces): "
                  + ", ".join(sorted({e['counted_in'] for e in data['counted_elsewhere']})))
