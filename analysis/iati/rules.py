"""IATI's standard ruleset (data/iati/rulesets/standard.json) evaluated on a file with lxml's XPath,
each rule kind as IATI's ruleset specification defines it (IATI-Rulesets, SPEC.rst).

The ruleset maps a context (an XPath: every activity, every transaction…) to rules of a kind, each
with cases. coopgraph evaluates the kinds whose contexts its files hold (`CHECKS`): atleast_one,
no_more_than_one, unique, startswith, regex_matches, no_spaces, one_or_all, date_now, date_order,
strict_sum, range, if_then and loop. A context a file holds whose rules are of another kind
(time_limit and between_dates, for budgets) is a problem too: nothing passes unchecked.

`idCondition` (NOT_EXISTING_ORG_ID…) asks IATI's registry of publishers, which coopgraph does not
reach: those rules are applied as for an identifier the registry does not hold, the stricter reading.
`startswith`'s ORG-ID-PREFIX is the OrganisationRegistrationAgency codelist's codes. Warnings refuse
a file as errors do: what coopgraph writes passes the ruleset whole.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree

from coopgraph.analysis.iati.codelists import codes
from coopgraph.analysis.iati.locate import data_dir, locate

__all__ = ["ruleset", "check", "CHECKS"]


@lru_cache(maxsize=1)
def ruleset() -> dict:
    return json.loads((data_dir() / "rulesets" / "standard.json").read_text(encoding="utf-8"))


def _matches(element, case) -> list:
    return [found for path in case.get("paths", []) for found in element.xpath(path)]


def _text(found) -> str:
    if isinstance(found, etree._Element):
        return found.text or ""
    return str(found)


def _texts(element, case) -> list[str]:
    return [_text(found) for found in _matches(element, case)]


def _dates(element, path: str, now: datetime) -> list[date]:
    if path in ("NOW", "TODAY"):
        return [now.date()]
    out = []
    for found in element.xpath(path):
        try:
            out.append(date.fromisoformat(_text(found).strip()[:10]))
        except ValueError:
            continue  # an unreadable date is the schema's to refuse
    return out


def _decimals(texts: list[str]) -> list[Decimal] | None:
    try:
        return [Decimal(t.strip()) for t in texts]
    except InvalidOperation:
        return None


def atleast_one(element, case, env):
    return len(_matches(element, case)) >= 1


def no_more_than_one(element, case, env):
    return len(_matches(element, case)) <= 1


def unique(element, case, env):
    texts = _texts(element, case)
    return len(texts) == len(set(texts))


def startswith(element, case, env):
    prefixes = []
    for prefix in case["prefix"]:
        prefixes += sorted(env["ORG-ID-PREFIX"]) if prefix == "ORG-ID-PREFIX" else [_text(f) for f in element.xpath(prefix)]
    separator = case.get("separator", "")
    return all(any(text.startswith(p + separator) for p in prefixes if p) for text in _texts(element, case))


def regex_matches(element, case, env):
    return all(re.search(case["regex"], text) for text in _texts(element, case))


def no_spaces(element, case, env):
    return all(text == text.strip() for text in _texts(element, case))


def one_or_all(element, case, env):
    """`one` exists, or else every element of the kind `all` names carries it (the reference evaluator's reading)."""
    if element.xpath(case["one"]):
        return True
    if case["all"] == "lang":
        return all(n.xpath("@xml:lang") for n in element.xpath("descendant::narrative"))
    if case["all"] == "sector":
        return all(t.xpath("sector") for t in element.xpath("transaction"))
    if case["all"] == "currency":
        return all(v.xpath("@currency") for kind in ("value", "forecast", "loan-status")
                   for v in element.xpath("descendant::" + kind))
    raise KeyError(case["all"])


def date_now(element, case, env):
    stamps = element.xpath(case["date"])
    if not stamps:
        return None
    for stamp in stamps:
        try:
            moment = datetime.fromisoformat(_text(stamp).strip())
        except ValueError:
            continue  # an unreadable datetime is the schema's to refuse
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if moment >= env["now"]:
            return False
    return True


def date_order(element, case, env):
    less, more = _dates(element, case["less"], env["now"]), _dates(element, case["more"], env["now"])
    if not less or not more:
        return None
    return all(a <= b for a in less for b in more)


def strict_sum(element, case, env):
    values = _decimals(_texts(element, case))
    return values is not None and sum(values, Decimal(0)) == Decimal(str(case["sum"]))


def range_(element, case, env):
    values = _decimals(_texts(element, case))
    low, high = Decimal(str(case.get("min", "-Infinity"))), Decimal(str(case.get("max", "Infinity")))
    return values is not None and all(low <= v <= high for v in values)


def if_then(element, case, env):
    return bool(element.xpath(case["then"])) if element.xpath(case["if"]) else True


CHECKS = {"atleast_one": atleast_one, "no_more_than_one": no_more_than_one, "unique": unique,
          "startswith": startswith, "regex_matches": regex_matches, "no_spaces": no_spaces,
          "one_or_all": one_or_all, "date_now": date_now, "date_order": date_order, "strict_sum": strict_sum,
          "range": range_, "if_then": if_then}


def _failed(kind: str, element, case: dict, env: dict) -> list[dict]:
    """The cases that fail on `element` (a loop's are its substituted inner cases)."""
    if kind == "loop":
        failed = []
        for inner_kind, inner in case["do"].items():
            for inner_case in inner["cases"]:
                for value in sorted({str(v) for v in element.xpath(case["foreach"])}):
                    substituted = {key: ([v.replace("$1", value) for v in item] if isinstance(item, list)
                                         else item.replace("$1", value)) if key in case["subs"] else item
                                   for key, item in inner_case.items()}
                    failed += _failed(inner_kind, element, substituted, env)
        return failed
    if "condition" in case and not element.xpath(case["condition"]):
        return []
    return [case] if CHECKS[kind](element, case, env) is False else []


def check(tree, *, now: datetime | None = None) -> list[str]:
    """Every rule of the standard ruleset the file fails, as `where: message (rule id, severity)`."""
    env = {"now": now or datetime.now(timezone.utc), "ORG-ID-PREFIX": codes("OrganisationRegistrationAgency")}
    problems = []
    for context, rules in ruleset().items():
        elements = tree.xpath(context)
        if not elements:
            continue
        for kind, spec in rules.items():
            if kind != "loop" and kind not in CHECKS:
                problems.append(f"{locate(elements[0])}: the standard ruleset's {kind} rules for {context} are not "
                                "evaluated by coopgraph")
                continue
            for case in spec["cases"]:
                for element in elements:
                    for failed in _failed(kind, element, case, env):
                        info = failed["ruleInfo"]
                        problems.append(f"{locate(element)}{_target(failed)}: {info['message']} "
                                        f"(IATI standard ruleset {info['id']}, {info['severity']})")
    return problems


def _target(case: dict) -> str:
    """The paths a case reads, after its context's location: `/(sector | transaction/sector)`."""
    paths = case.get("paths") or [case[key] for key in ("one", "date", "less") if key in case]
    if not paths:
        return ""
    return "/" + paths[0] if len(paths) == 1 else "/(" + " | ".join(paths) + ")"
