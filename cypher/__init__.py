"""Cypher: the named queries kept as data (`queries.yaml`, run by `library`, each row with its sources by
`row_sources`), and analysts' own queries checked by the statement policy (`policy`) and run in confined
worker processes (`workers`, `worker`, `confine`, `sandbox`); see docs/sandbox.md."""
