// What the query page needs of Neo4j's CodeMirror 6 Cypher support: one global, no module loader.
// keymap and Prec let the page bind Ctrl+Enter (run) above CodeMirror's own Mod-Enter.
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";

window.CypherEditor = { createCypherEditor, keymap, Prec };
