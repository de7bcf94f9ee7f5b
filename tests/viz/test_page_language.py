"""One language per page: every page kind, rendered in Spanish and in English, holds no word of the other
language's vocabulary (graph/schema's words, the pages' own words) and no internal identifier or developer
text a strategist should not read. Organisation and project names are data, kept as the report writes them,
so the scan reads the page's text with the names taken out."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.graph.model import model
from coopgraph.settings import Settings

PAGES = ["/maps", "/maps/overview", "/maps/networks", "/maps/flows", "/maps/ego?id=cooperant:bid",
         "/maps/ego?id=network:c40", "/maps/prospects?for=entity:sda", "/maps/prospects?for=cooperant:bid", "/query",
         "/profiles/entity/sda", "/profiles/cooperant/bid", "/profiles/network/c40", "/profiles/sdg/13",
         "/profiles/pdd-objective/4", "/profiles/engagement/breathe-cities-bogota", "/profiles/sector/movilidad",
         "/profiles/compare?ids=cooperant:bid,network:c40"]
DEVELOPER_TEXT = [r"docs/", r"coopgraph (prospect|query|profile)", r"--for\b", r"\.md\b", r"/api/v1",
                  r"\b(cooperant|entity|network|sdg|pdd-objective|engagement):[a-z0-9]"]  # an id as the store writes it


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text a reader sees in the page's language: no scripts, styles or attribute values, and no element
    marked as written in another language (the report's quotes and roles carry lang="es" on English pages)."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.parts, self._stack = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        own = dict(attrs).get("lang")
        self._stack.append(tag in ("script", "style") or (own is not None and own != self.lang and tag != "html"))

    def handle_endtag(self, tag):
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if not any(self._stack):
            self.parts.append(data)


MAP_TEXT = re.compile(r'"(?:title|label)":"((?:[^"\\]|\\.)*)"')  # a map's node and link labels and tooltips


def visible_text(html: str, lang: str = "es") -> str:
    reader = _Text(lang)
    reader.feed(html)
    reader.parts += [json.loads(f'"{m}"') for m in MAP_TEXT.findall(html)]
    reader.parts = [p for p in reader.parts if not p.endswith("…")]  # a label cut short: a name (data), shortened
    return " ".join(" ".join(reader.parts).split())


def vocabulary() -> dict[str, set[str]]:
    """The schema's words in each language, where the two differ."""
    words = {"es": set(), "en": set()}
    m = model()
    pairs = [(label.word("es"), label.word("en")) for label in m.kinds().values()]
    pairs += [(label.word("es", True), label.word("en", True)) for label in m.kinds().values()]
    pairs += [(r.words["es"], r.words["en"]) for r in m.relationships.values() if r.words]
    pairs += [(v["es"][i], v["en"][i]) for label in m.nodes.values() for p in label.properties.values()
              for v in p.values.values() for i in (0, 1)]  # singular and plural
    for es, en in pairs:
        if es.lower() != en.lower():
            words["es"].add(es)
            words["en"].add(en)
    return words


def internal_ids() -> set[str]:
    """Values of the schema's vocabularies as stored (multilateral-bank, city-network…)."""
    return {value for label in model().nodes.values() for p in label.properties.values() for value in p.values
            if "-" in value}


@pytest.fixture(scope="module")
def client(loaded_home):
    with TestClient(create_app(Settings(home=loaded_home))) as c:
        yield c


@pytest.fixture(scope="module")
def names(loaded_store):
    """Every name in the store (data, not the page's language), longest first."""
    rows = loaded_store.read("MATCH (n) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name", {})
    rows += loaded_store.read("MATCH (s:Source) RETURN DISTINCT s.title AS name", {})
    rows += loaded_store.read("MATCH (n) WHERE n.acronym IS NOT NULL RETURN DISTINCT n.acronym AS name", {})
    rows += [{"name": a} for r in loaded_store.read("MATCH (n) WHERE n.acronyms IS NOT NULL RETURN n.acronyms AS a", {})
             for a in r["a"]]
    rows += loaded_store.read("MATCH ()-[r:REPORTED]->() RETURN DISTINCT r.reported_name AS name", {})
    return sorted({r["name"] for r in rows if r["name"]}, key=len, reverse=True)


def _without_names(text: str, names: list[str]) -> str:
    text = re.sub(r"[^—\n]{0,32}…", " ", text)  # a name cut short on a link's label ("UAESP — Estudio de inclusión…")
    for name in names:
        if name in text:
            text = text.replace(name, " ")
    return text


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_a_page_speaks_one_language(client, names, path, lang):
    response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert response.status_code == 200, response.text[:300]
    text = _without_names(visible_text(response.text, lang), names)
    other = "en" if lang == "es" else "es"
    own = vocabulary()[lang]
    found = sorted(w for w in vocabulary()[other] - own
                   if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text, flags=re.IGNORECASE))
    assert not found, f"{path} ({lang}) shows {other} words: {found}"
    ids = sorted(i for i in internal_ids() if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w-])", text))
    assert not ids, f"{path} ({lang}) shows internal identifiers: {ids}"
    dev = [d for d in DEVELOPER_TEXT if re.search(d, text)]
    assert not dev, f"{path} ({lang}) shows developer text: {dev}"
