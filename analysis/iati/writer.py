"""The IATI 2.03 XML of a publication (analysis/iati/mapping.py): the activity file and the district's
organisation file, each element where the schema's sequences put it, text in Spanish."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from lxml import etree

from coopgraph import __version__
from coopgraph.analysis.iati.mapping import Activity, Org, Publication

__all__ = ["activities_tree", "organisation_tree", "serialise", "file_format", "VERSION"]

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANG = "es"
GENERAL = "1"                    # DescriptionType: general
INTERNAL_ID = "A1"               # OtherIdentifierType: the reporting organisation's own activity identifier
ACTIVITY_REPORT = "A08"          # DocumentCategory: results, outcomes and outputs (the year's report)
ORGANISATION_REPORT = "B01"      # DocumentCategory: annual report


def file_format(url: str) -> str:
    """The FileFormat code of what a URL serves: a .pdf is application/pdf, anything else a web page.

    >>> file_format("https://www.sdp.gov.co/informe.pdf"), file_format("https://www.sdp.gov.co/")
    ('application/pdf', 'text/html')
    """
    return "application/pdf" if urlsplit(url).path.lower().endswith(".pdf") else "text/html"


def _sub(parent, tag: str, attributes: dict | None = None, text: str | None = None):
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in (attributes or {}).items() if v is not None})
    if text:  # an empty text is no text: the ruleset's "narrative content" sees it missing, as a reader would
        element.text = text
    return element


def _narrative(parent, text: str) -> None:
    _sub(parent, "narrative", {XML_LANG: LANG}, text)


def _org(parent, tag: str, org: Org, **attributes) -> None:
    element = _sub(parent, tag, {"ref": org.ref, **attributes, "type": org.type})
    _narrative(element, org.name)


def _stamp(root, publication: Publication) -> None:
    when = f", cargados el {publication.loaded_at}" if publication.loaded_at else ""
    root.append(etree.Comment(f" coopgraph {__version__}: datos {(publication.data_version or 'sin versión')[:12]}"
                              f"{when} "))


def _root(tag: str, generated: datetime | None):
    generated = (generated or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    return etree.Element(tag, {"version": VERSION, "generated-datetime": generated})


def _document(parent, url: str, title: str, category: str) -> None:
    link = _sub(parent, "document-link", {"format": file_format(url), "url": url})
    _narrative(_sub(link, "title"), title)
    _sub(link, "category", {"code": category})
    _sub(link, "language", {"code": LANG})


def _activity(root, a: Activity, publication: Publication) -> None:
    element = _sub(root, "iati-activity", {"last-updated-datetime": publication.loaded_at, XML_LANG: LANG,
                                           "default-currency": a.currency})
    _sub(element, "iati-identifier", text=a.identifier)
    _org(element, "reporting-org", publication.reporting)
    _narrative(_sub(element, "title"), a.title)
    _narrative(_sub(element, "description", {"type": GENERAL}), a.description)
    for p in a.participants:
        _org(element, "participating-org", p.org, role=p.role)
    _sub(element, "other-identifier", {"ref": a.internal_id, "type": INTERNAL_ID})
    _sub(element, "activity-status", {"code": publication.status})
    for d in a.dates:
        date_element = _sub(element, "activity-date", {"type": d.type, "iso-date": d.day.isoformat()})
        if d.note:
            _narrative(date_element, d.note)
    _sub(element, "recipient-country", {"code": publication.country})
    for s in a.sectors:
        sector = _sub(element, "sector", {"vocabulary": s.vocabulary, "code": s.code, "percentage": s.percentage})
        if s.name:
            _narrative(sector, s.name)
    for t in a.tags:
        tag = _sub(element, "tag", {"vocabulary": t.vocabulary, "code": t.code})
        if t.name:
            _narrative(tag, t.name)
    for p in a.policies:
        marker = _sub(element, "policy-marker", {"vocabulary": p.vocabulary, "vocabulary-uri": publication.pdd_uri,
                                                 "code": p.code})
        _narrative(marker, p.name)
    for t in a.transactions:
        transaction = _sub(element, "transaction")
        _sub(transaction, "transaction-type", {"code": t.type})
        _sub(transaction, "transaction-date", {"iso-date": t.day.isoformat()})
        _sub(transaction, "value", {"currency": t.currency, "value-date": t.day.isoformat()}, f"{t.amount:.2f}")
        _narrative(_sub(transaction, "description"), t.description)
        if t.provider:
            _org(transaction, "provider-org", t.provider)
        if t.receiver:
            _org(transaction, "receiver-org", t.receiver)
    if a.report:
        _document(element, publication.report_url, a.report, ACTIVITY_REPORT)


def activities_tree(publication: Publication, *, generated: datetime | None = None) -> etree._ElementTree:
    """`iati-activities`: one `iati-activity` per activity of the publication."""
    root = _root("iati-activities", generated)
    _stamp(root, publication)
    for activity in publication.activities:
        _activity(root, activity, publication)
    return etree.ElementTree(root)


def organisation_tree(publication: Publication, *, generated: datetime | None = None) -> etree._ElementTree:
    """`iati-organisations`: the district, with a document-link to each report the data comes from."""
    root = _root("iati-organisations", generated)
    _stamp(root, publication)
    element = _sub(root, "iati-organisation", {"last-updated-datetime": publication.loaded_at, XML_LANG: LANG,
                                               "default-currency": "COP"})
    _sub(element, "organisation-identifier", text=publication.reporting.ref)
    _narrative(_sub(element, "name"), publication.reporting.name)
    _org(element, "reporting-org", publication.reporting)
    for report in publication.reports:
        _document(element, publication.report_url, report, ORGANISATION_REPORT)
    return etree.ElementTree(root)


def serialise(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
