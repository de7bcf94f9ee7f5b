"""Validation against the IATI 2.03 XML schemas coopgraph bundles (data/iati/schema-2.03/), with lxml."""
from __future__ import annotations

import threading
from functools import lru_cache

from lxml import etree

from coopgraph.analysis.iati.locate import data_dir, locate

__all__ = ["SCHEMAS", "check"]

SCHEMAS = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}
_LOCK = threading.Lock()  # one validation at a time: an XMLSchema keeps its error log on itself


@lru_cache(maxsize=None)
def _schema(kind: str) -> etree.XMLSchema:
    # the schemas include iati-common.xsd and import xml.xsd from their own folder: parsed from the
    # installed file so those relative locations resolve, never from the network
    path = data_dir() / "schema-2.03" / SCHEMAS[kind]
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def check(tree, kind: str) -> list[str]:
    """Every schema error, as `where: libxml2's reason`."""
    schema = _schema(kind)
    with _LOCK:
        schema.validate(tree)
        log = list(schema.error_log)
    problems = []
    for entry in log:
        where = entry.path or f"line {entry.line}"
        try:
            found = tree.xpath(entry.path) if entry.path else []
        except etree.XPathError:
            found = []
        if found:
            where = locate(found[0])
        problems.append(f"{where}: {entry.message} (IATI 2.03 schema)")
    return problems
