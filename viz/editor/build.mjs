// One minified IIFE and its style sheet in viz/static, served by coopgraph as /assets/cypher-editor.*
import { build } from "esbuild";
import { copyFileSync, readFileSync, statSync } from "node:fs";

const out = new URL("../static/", import.meta.url);
const version = (name) => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url))).version;
const banner = `/* coopgraph cypher editor: @neo4j-cypher/codemirror ${version("@neo4j-cypher/codemirror")} (Apache-2.0, Neo4j Inc.), ` +
  `CodeMirror ${version("@codemirror/view")} (MIT), antlr4 (BSD-3-Clause). Built by viz/editor (npm ci && npm run build). */`;

await build({
  entryPoints: [new URL("entry.js", import.meta.url).pathname],
  bundle: true, minify: true, format: "iife", target: "es2019", legalComments: "none",
  banner: { js: banner }, outfile: new URL("cypher-editor.js", out).pathname, logLevel: "warning",
});
copyFileSync(new URL("node_modules/@neo4j-cypher/codemirror/css/cypher-codemirror.css", import.meta.url),
             new URL("cypher-editor.css", out));
for (const name of ["cypher-editor.js", "cypher-editor.css"]) {
  console.log(`${name}: ${statSync(new URL(name, out)).size} bytes`);
}
