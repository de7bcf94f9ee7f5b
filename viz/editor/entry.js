// What the query page needs of Neo4j's CodeMirror 6 Cypher support: one global, no module loader.
import { createCypherEditor } from "@neo4j-cypher/codemirror";

window.CypherEditor = { createCypherEditor };
