"""The district's cooperation as IATI 2.03 files (docs/iati.md): the activity file and the
organisation file, each validated before anything is written — codes against the bundled codelists
(`codelists`), the XML against the IATI schemas (`xsd`), and the standard ruleset (`rules`). A file
that fails any of them is refused with an `IatiError` naming the element and the reason.

    mapping (store → activities) → writer (activities → XML) → validate → bytes
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from coopgraph.errors import IatiError

__all__ = ["IatiFile", "activity_file", "organisation_file", "validate"]


@dataclass
class IatiFile:
    content: bytes
    activities: int
    transactions: int


def validate(tree, kind: str, *, now: datetime | None = None) -> None:
    """Refuse (IatiError) a tree with a code outside its codelist, a schema error or a failed rule."""
    from coopgraph.analysis.iati import codelists, rules, xsd

    problems = codelists.check(tree) + xsd.check(tree, kind) + rules.check(tree, now=now)
    if problems:
        raise IatiError(problems)


def _settings(settings):
    if settings is not None:
        return settings
    from coopgraph.settings import get_settings

    return get_settings()


def activity_file(store, settings=None, *, now: datetime | None = None) -> IatiFile:
    """The IATI activity file of the store's current data, validated."""
    from coopgraph.analysis.iati import mapping, writer

    now = now or datetime.now(timezone.utc)
    publication = mapping.publication(store, _settings(settings), today=now.date())
    content = writer.serialise(writer.activities_tree(publication, generated=now))
    validate(_parsed(content), "activities", now=now)
    return IatiFile(content, len(publication.activities), sum(len(a.transactions) for a in publication.activities))


def organisation_file(store, settings=None, *, now: datetime | None = None) -> IatiFile:
    """The district's IATI organisation file, validated."""
    from coopgraph.analysis.iati import mapping, writer

    now = now or datetime.now(timezone.utc)
    publication = mapping.publication(store, _settings(settings), today=now.date(), activities=False)
    content = writer.serialise(writer.organisation_tree(publication, generated=now))
    validate(_parsed(content), "organisations", now=now)
    return IatiFile(content, 0, 0)


def _parsed(content: bytes):
    """The bytes about to be written, parsed back: what is validated is exactly what a reader gets."""
    from lxml import etree

    return etree.ElementTree(etree.fromstring(content, etree.XMLParser(no_network=True, resolve_entities=False)))
