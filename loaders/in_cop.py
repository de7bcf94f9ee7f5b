"""Every amount not in COP also in COP, on the same fact, with the rate that produced it.

Run on a batch before it is written: engagements (dated by a day, a month, a year, or only by
their report's year) and the contributions of a loaded file (dated by their year). The original
amount and currency stay as they are; beside them go the COP value, the rate, its basis (date,
period-average or period-end), its date, its source and the policy asked for. Where the rate
tables do not cover the date, the fact says so in `rate_missing` and no COP value is invented.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from coopgraph.errors import SchemaError
from coopgraph.graph.batch import BulkRows, GraphBatch
from coopgraph.rates import CENT, POLICIES, Rate, RateError, Rates, load_rates
from coopgraph.settings import get_settings

DEFAULT_POLICY = "date"


def rates_for_load() -> Rates:
    return load_rates(get_settings().home)


def _rate_facts(rate: Rate, policy: str) -> dict:
    return {"rate": str(rate.cop_per_unit), "rate_basis": rate.basis, "rate_date": rate.rate_date,
            "rate_source": rate.source, "rate_policy": policy}


def engagement_when(batch: GraphBatch, eid: str, props: dict) -> str | None:
    """What is known of an engagement's date: its start (day, month or year), else its report's year."""
    if props.get("start_date"):
        return str(props["start_date"])
    sources = batch.nodes.get("Source", {})
    for (_, from_id, to_label, to_id, *_), _row in batch.relationships.get("SOURCED_FROM", {}).items():
        if from_id == eid and to_label == "Source":
            year = (sources.get(to_id) or {}).get("year")
            if year is None and to_id.split("/")[0] in sources:
                year = sources[to_id.split("/")[0]].get("year")
            if year:
                return str(year)
    return None


def check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise RateError(f"unknown rate policy {policy!r}: expected one of {', '.join(POLICIES)}")


def convert_engagements(batch: GraphBatch, rates: Rates | None = None, policy: str = DEFAULT_POLICY) -> None:
    check_policy(policy)
    engagements = batch.nodes.get("Engagement", {})
    for eid, props in engagements.items():
        if props.get("counted_in") and props["counted_in"] not in engagements:
            raise SchemaError(f"data/curated/engagements.yaml: {eid}: counted_in {props['counted_in']!r} "
                              f"is not an engagement_id")
        when = engagement_when(batch, eid, props)
        if when:
            props["year"] = int(when[:4])
        if props.get("amount_cents") is None or props.get("currency") in (None, "COP"):
            continue
        rates = rates or rates_for_load()
        try:
            rate = rates.rate(props["currency"], when, policy) if when else None
        except RateError as exc:
            props["rate_missing"] = exc.message
            continue
        if rate is None:
            props["rate_missing"] = "no date or report year is known for this amount"
            continue
        props.update(cop_cents=cop_cents(props["amount_cents"], rate.cop_per_unit), **_rate_facts(rate, policy))


COP_COLUMNS = ("cop_cooperant_cents", "cop_counterpart_cents", "cop_total_cents",
               "rate", "rate_basis", "rate_date", "rate_source", "rate_policy", "rate_missing")


def convert_bulk(bulk: BulkRows, rates: Rates | None = None, policy: str = DEFAULT_POLICY) -> BulkRows:
    """Adds the COP columns to a file's contributions, inserted or updated (one rate per currency and year).

    COP rows get empty columns, so a row that changed to COP loses a rate it no longer has.
    """
    check_policy(policy)
    for frames in (bulk.nodes, bulk.update):
        if frames.get("Contribution") is not None:
            frames["Contribution"] = _convert_frame(frames["Contribution"], rates, policy)
    return bulk


def _convert_frame(frame: pd.DataFrame, rates: Rates | None, policy: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in COP_COLUMNS:
        frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    foreign = frame.currency != "COP"
    if not foreign.any():
        return frame
    rates = rates or rates_for_load()
    for (currency, year), rows in frame[foreign].groupby(["currency", "year"]):
        try:
            rate = rates.rate(currency, str(int(year)), policy)
        except RateError as exc:
            frame.loc[rows.index, "rate_missing"] = exc.message
            continue
        factor = rate.cop_per_unit
        cooperant = [cop_cents(int(c), factor) for c in rows["cooperant_cents"]]
        counterpart = [cop_cents(int(c), factor) for c in rows["counterpart_cents"]]
        for index, a, b in zip(rows.index, cooperant, counterpart):
            frame.at[index, "cop_cooperant_cents"] = a
            frame.at[index, "cop_counterpart_cents"] = b
            frame.at[index, "cop_total_cents"] = a + b
        for name, value in _rate_facts(rate, policy).items():
            frame.loc[rows.index, name] = value
    return frame


def cop_cents(cents: int, rate: Decimal) -> int:
    """Centavos of another currency × its rate, rounded half-up to the COP centavo, exactly."""
    return int((Decimal(cents) * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) * 100)
