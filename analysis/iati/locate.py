"""Where a node of an IATI file sits, XPath-like, its activity named by identifier, so a refusal says
which element is wrong: ``/iati-activities/iati-activity[iati-identifier='CO-RUE-899999061-x']/transaction[1]/value/@currency``."""
from __future__ import annotations

from lxml import etree

__all__ = ["locate", "data_dir"]

XML_NS = "{http://www.w3.org/XML/1998/namespace}"


def data_dir():
    """The bundled IATI files (data/iati/: schemas, codelists, ruleset), installed with the package."""
    from importlib import resources

    return resources.files("coopgraph.data") / "iati"


def locate(node) -> str:
    """An element, or an attribute or text an XPath returned, as a path naming its activity."""
    attribute = None
    if isinstance(node, str):  # lxml's "smart strings" know the element they came from
        if getattr(node, "is_attribute", False):
            attribute = node.attrname.replace(XML_NS, "xml:")
        node = node.getparent()
    if not isinstance(node, etree._Element):
        return "/"
    tree = node.getroottree()
    path = tree.getpath(node)
    activity = node.xpath("ancestor-or-self::iati-activity")
    if activity:
        base = tree.getpath(activity[0])
        identifier = (activity[0].findtext("iati-identifier") or "").strip()
        path = f"{base.rsplit('/', 1)[0]}/iati-activity[iati-identifier='{identifier}']{path[len(base):]}"
    return f"{path}/@{attribute}" if attribute else path
