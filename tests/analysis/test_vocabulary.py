"""The node kinds' words are schema data: every surface that names a kind reads graph/schema/nodes.yaml."""
from __future__ import annotations

import shutil

import pytest

from coopgraph.errors import SchemaError
from coopgraph.graph.model import SCHEMA_DIR, load_model, model


def test_each_kind_has_its_words_in_both_languages():
    kinds = model().kinds()
    assert set(kinds) >= {"entity", "cooperant", "network", "engagement", "sector", "sdg", "pdd-objective"}
    assert kinds["entity"].name == "DistrictEntity"
    assert (kinds["entity"].word("es"), kinds["entity"].word("es", plural=True)) == ("Entidad distrital",
                                                                                        "Entidades distritales")
    assert kinds["network"].word("en", plural=True) == "City networks"
    assert model().kind("ODS").name == "SDG" and model().kind("proyecto").name == "Engagement"


def test_the_surfaces_read_the_schemas_words():
    from coopgraph.api.routers.search import LABELS
    from coopgraph.analysis.profiles import KIND_ALIASES, normalise_kind
    from coopgraph.analysis.prospects import ALIASES
    from coopgraph.viz import i18n
    from coopgraph.viz.views import ID_KINDS

    aliases = model().kind_aliases()
    for table in (KIND_ALIASES, ALIASES, ID_KINDS):
        assert table.items() <= aliases.items()
    assert i18n.kind_name("pdd-objective", "es") == model().kinds()["pdd-objective"].word("es")
    assert LABELS["sdg"] == "SDG"
    assert normalise_kind("Entidad") == "entity"


def test_a_kind_word_used_twice_is_refused(tmp_path):
    schema = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, schema)
    nodes = schema / "nodes.yaml"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("aliases: [cooperante]", "aliases: [entidad]"),
                     encoding="utf-8")
    with pytest.raises(SchemaError, match="kind word 'entidad' already names DistrictEntity"):
        load_model(schema)


def test_links_take_their_relationship_types_words():
    from coopgraph.viz import i18n

    took_part = model().relationship("TOOK_PART_IN").words
    assert i18n.relation_name("took_part_in", "es") == took_part["es"] == "Participa en"
    assert i18n.relation_name("channel", "en") == model().relationship("THROUGH_NETWORK").words["en"]


def test_every_curated_cooperant_kind_has_its_words():
    """The cooperants' kinds are schema data too: each value of organisations.csv is named in both languages."""
    import csv

    from conftest import ROOT

    kind = model().node("Cooperant").properties["kind"]
    with (ROOT / "data" / "curated" / "organisations.csv").open(encoding="utf-8") as handle:
        used = {row["kind"] for row in csv.DictReader(handle) if row["kind"]}
    assert used <= set(kind.values), sorted(used - set(kind.values))
    assert kind.value_word("embassy", "es", plural=True) == "Embajadas"
    assert kind.value_word("un-agency", "en") == "UN agency" and kind.value_word("nada", "es") is None


def test_value_words_must_be_pairs(tmp_path):
    schema = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, schema)
    nodes = schema / "nodes.yaml"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("embassy: {es: [Embajada, Embajadas]",
                                                               "embassy: {es: [Embajada]"), encoding="utf-8")
    with pytest.raises(SchemaError, match="values.embassy must map a language"):
        load_model(schema)
