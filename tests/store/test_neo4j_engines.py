"""Where Neo4j and the embedded engine differ (docs/engine.md lists each): what the Neo4j store's
boundary makes equal is equal, and what query writers must know still behaves as documented."""
import datetime

import pytest


def both(neo4j, embedded, cypher, params=None):
    return neo4j.read(cypher, params), embedded.read(cypher, params)


@pytest.mark.parametrize("cypher", [
    # whole nodes: every declared property, schema order, unset ones as None, plus _label
    "MATCH (c:Cooperant) RETURN c ORDER BY c.id LIMIT 3",
    "MATCH (e:DistrictEntity {id: 'sdm'}) RETURN e",
    # relationships and paths
    "MATCH (:Cooperant {id: 'bid'})-[r:PROVIDED]->(k) RETURN r, k.id AS kid ORDER BY kid LIMIT 2",
    # dates come back as Python dates
    "RETURN date('2024-03-01') AS d",
    # exact integer sums; ordering of nulls and accented strings
    "MATCH (k:Contribution) RETURN sum(k.total_cents) AS s",
    "UNWIND [3, null, 1] AS x RETURN x ORDER BY x",
    "UNWIND [3, null, 1] AS x RETURN x ORDER BY x DESC",
    "UNWIND ['b', 'Á', 'a', 'á', 'B'] AS x RETURN x ORDER BY x",
    "RETURN toLower('ÁÉÑ') AS l, toUpper('ñandú') AS u, -7 / 2 AS d",
])
def test_the_store_boundary_gives_one_answer(neo4j_loaded, loaded_store, cypher):
    from_neo4j, from_embedded = both(neo4j_loaded, loaded_store, cypher)
    assert from_neo4j == from_embedded
    assert list(from_neo4j[0]) == list(from_embedded[0])


def test_nodes_keep_the_schemas_property_order(neo4j_loaded, loaded_store):
    [row] = neo4j_loaded.read("MATCH (c:Cooperant {id: 'bid'}) RETURN c")
    assert list(row["c"]) == [*neo4j_loaded.model.node("Cooperant").properties, "_label"]
    assert row["c"]["country"] is None  # unset in Neo4j, null in the embedded engine's column
    [path] = neo4j_loaded.read("MATCH p = (:Cooperant {id: 'bid'})-[:PROVIDED]->(k) RETURN p ORDER BY k.id LIMIT 1")
    assert [n["_label"] for n in path["p"]["_NODES"]] == ["Cooperant", "Contribution"]
    assert [r["_label"] for r in path["p"]["_RELS"]] == ["PROVIDED"]
    assert neo4j_loaded.read("RETURN date('2024-03-01') AS d") == [{"d": datetime.date(2024, 3, 1)}]


def test_the_documented_differences_still_hold(neo4j_loaded, loaded_store):
    """Each line here is a line of docs/engine.md: if an engine changes, the doc must change too."""
    read = lambda cypher: both(neo4j_loaded, loaded_store, cypher)  # noqa: E731
    assert read("RETURN 'abc' CONTAINS '' AS c") == ([{"c": True}], [{"c": False}])
    assert read("MATCH (k:Contribution) WHERE k.year = 1900 RETURN sum(k.total_cents) AS s") == \
        ([{"s": 0}], [{"s": None}])
    assert read("RETURN substring('ñandú', 1, 3) AS s") == ([{"s": "and"}], [{"s": "ñan"}])
    assert read("RETURN toUpper('straße') AS u") == ([{"u": "STRASSE"}], [{"u": "STRAẞE"}])
    neo, emb = read("MATCH (k:Contribution) RETURN avg(k.total_cents) AS a")
    assert neo[0]["a"] == pytest.approx(emb[0]["a"], rel=1e-12)
    assert neo4j_loaded.read("MATCH (c:Cooperant {id: 'bid'}) RETURN labels(c) AS l, c.nope AS x") == \
        [{"l": ["Cooperant"], "x": None}]
    assert loaded_store.read("MATCH (c:Cooperant {id: 'bid'}) RETURN label(c) AS l") == [{"l": "Cooperant"}]
    for embedded_only_error in ("MATCH (c:Cooperant) RETURN c.nope AS x", "RETURN toInteger('12') AS i",
                                "UNWIND [2, 1] AS x WITH x ORDER BY x RETURN collect(x) AS c"):
        with pytest.raises(Exception):
            loaded_store.read(embedded_only_error)
        neo4j_loaded.read(embedded_only_error)
