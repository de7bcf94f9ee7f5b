"""The bottom layer of coopgraph: the schema as data (`schema/`, read by `model`), name folding (`text`),
graph batches (`batch`), the store interface and its backends (`store/`: embedded and Neo4j), the read
model where every figure a user sees is defined once (`readmodel`), the two COP totals
(`all_cooperation`) and the files for Neo4j's import tool (`neo4j_import`). It imports nothing above it."""
