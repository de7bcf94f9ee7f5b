"""Named Cypher queries, kept as data in cypher/queries.yaml."""
