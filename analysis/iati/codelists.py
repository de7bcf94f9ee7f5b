"""The IATI codelists coopgraph bundles (data/iati/codelists/), and the attributes of a file each one
codes: every code written is looked up in its list before a file is written; one outside it is a
mapping error named by its element (`check`)."""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

from coopgraph.analysis.iati.locate import data_dir, locate

__all__ = ["codes", "CODED", "check"]

# (XPath of the coded attributes, the codelist their codes come from)
CODED = (
    ("//iati-activity/@default-currency | //value/@currency", "Currency"),
    ("//reporting-org/@type | //participating-org/@type | //provider-org/@type | //receiver-org/@type",
     "OrganisationType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//transaction-type/@code", "TransactionType"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//recipient-country/@code", "Country"),
    ("//sector/@vocabulary", "SectorVocabulary"),
    ("//sector[@vocabulary = '1' or not(@vocabulary)]/@code", "Sector"),
    ("//tag/@vocabulary", "TagVocabulary"),
    ("//tag[@vocabulary = '2']/@code", "UNSDG-Goals"),
    ("//policy-marker/@vocabulary", "PolicyMarkerVocabulary"),
    ("//iati-activity/description/@type", "DescriptionType"),
    ("//other-identifier/@type", "OtherIdentifierType"),
    ("//document-link/@format", "FileFormat"),
    ("//document-link/category/@code", "DocumentCategory"),
    ("//document-link/language/@code | //@xml:lang", "Language"),
)
# a tag of a vocabulary coopgraph bundles no list for (3, SDG targets) has no code to check against:
# the vocabularies it may write are those above, and a file with another one is refused
UNCHECKED_TAGS = "//tag[@vocabulary != '2']"


@lru_cache(maxsize=None)
def codes(name: str) -> frozenset[str]:
    """The codes of one bundled codelist that are not withdrawn.

    >>> "COP" in codes("Currency") and "CO-RUE" in codes("OrganisationRegistrationAgency")
    True
    """
    root = etree.fromstring((data_dir() / "codelists" / f"{name}.xml").read_bytes())
    return frozenset(item.findtext("code").strip() for item in root.iter("codelist-item")
                     if item.get("status", "active") != "withdrawn")


def check(tree) -> list[str]:
    """Every coded attribute whose code its codelist lacks, as `where: 'code' is not …`."""
    problems = []
    for path, name in CODED:
        known = codes(name)
        for value in tree.xpath(path):
            if str(value).strip() not in known:
                problems.append(f"{locate(value)}: {str(value)!r} is not a code of the IATI {name} codelist")
    for tag in tree.xpath(UNCHECKED_TAGS):
        problems.append(f"{locate(tag)}: tag vocabulary {tag.get('vocabulary')!r} has no bundled codelist to check "
                        "its code against")
    return problems
