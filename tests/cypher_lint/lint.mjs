// Lints Cypher texts with Neo4j's own language service (@neo4j-cypher/language-support).
//
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//          "queries": [{"name": "...", "text": "...", "parameters": ["optional", "names"]}]}
// stdout: [{"name": "...", "diagnostics": [{"severity", "message", "line", "column"}]}]
//         line and column are 1-based, as in Neo4j's own error messages.
//
// What the package checks, given the DbSchema built below:
// - syntax, and Neo4j's semantic analysis (scoping, types, aggregation, ...);
// - labels and relationship types not in the schema (a warning; CREATE/MERGE ones are checked here);
// - functions and procedures not in `functions`/`procedures` (an error). We give it Neo4j's
//   built-ins from the signature dump the package ships (testData.mockSchema), without APOC/GDS,
//   so count(), coalesce(), ... pass and apoc.* or a misspelt function is reported;
// - parameters not in `parameters` (an error). The driver binds them at run time, so every
//   parameter a query uses is declared unless the query lists its own `parameters`.
// The package ignores `propertyKeys` (it only uses them to autocomplete), so unknown property
// keys are checked here, on its parse tree: keys in node/relationship pattern maps, and `v.key`
// where v is bound by a node or relationship pattern (row maps such as `r.f` are not checked).
import { createRequire } from 'node:module';

// The package's ESM build uses extensionless imports that plain node cannot resolve: load the CJS one.
const ls = createRequire(import.meta.url)('@neo4j-cypher/language-support');
const { lintCypherQuery, parserWrapper, testData } = ls;

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const BUILT_IN_PROCEDURE = /^(db|dbms|tx)\./;

function builtIns() {
  const functions = {};
  const procedures = {};
  for (const [version, registry] of Object.entries(testData.mockSchema.functions)) {
    functions[version] = Object.fromEntries(Object.entries(registry).filter(([, fn]) => fn.isBuiltIn));
  }
  for (const [version, registry] of Object.entries(testData.mockSchema.procedures)) {
    procedures[version] = Object.fromEntries(
      Object.entries(registry).filter(([name]) => BUILT_IN_PROCEDURE.test(name)));
  }
  return { functions, procedures };
}

const unquote = (name) => name.replace(/^`|`$/g, '').replace(/``/g, '`');

function* descendants(node) {
  yield node;
  for (const child of node.children ?? []) yield* descendants(child);
}

// The variable a `.key` is looked up on, when that is a bare variable: `v.key`, `SET v.key = ...`,
// `REQUIRE v.key IS UNIQUE`, `v {.key}`.
function baseVariable(property) {
  const parent = property.parentCtx;
  const bare = (expression1) => (expression1?.variable?.() ? expression1.getText() : undefined);
  if (parent instanceof ls.PropertyPostfixContext) {
    const expression2 = parent.parentCtx;
    return expression2.postFix(0) === parent ? bare(expression2.expression1()) : undefined;
  }
  if (parent instanceof ls.PropertyExpressionContext) {
    return parent.property(0) === property ? bare(parent.expression1()) : undefined;
  }
  if (parent instanceof ls.PropertyListContext || parent instanceof ls.EnclosedPropertyListContext) {
    const siblings = parent.children;
    const before = siblings[siblings.indexOf(property) - 1];
    return before instanceof ls.VariableContext ? before.getText() : undefined;
  }
  if (parent instanceof ls.MapProjectionElementContext) {
    return parent.parentCtx.variable().getText();
  }
  return undefined;
}

const PATTERNS = ['NodePatternContext', 'RelationshipPatternContext', 'InsertNodePatternContext',
  'InsertRelationshipPatternContext', 'CommandNodePatternContext', 'CommandRelPatternContext']
  .map((name) => ls[name]).filter(Boolean);

function unknownProperties(statementCtx, propertyKeys) {
  const entities = new Set();
  const keys = []; // [propertyKeyName ctx, variable it is looked up on or null for pattern maps]
  for (const node of descendants(statementCtx)) {
    if (PATTERNS.some((cls) => node instanceof cls)) {
      const variable = node.variable?.();
      if (variable) entities.add(variable.getText());
      const map = node.properties?.()?.map?.() ?? node.map?.();
      for (const key of map?.propertyKeyName_list?.() ?? []) keys.push([key, null]);
    } else if (node instanceof ls.PropertyContext) {
      const base = baseVariable(node);
      if (base !== undefined) keys.push([node.propertyKeyName(), base]);
    }
  }
  return keys
    .filter(([key, base]) => (base === null || entities.has(base)) && !propertyKeys.has(unquote(key.getText())))
    .map(([key]) => ({
      severity: 'warning',
      message: `Property key ${key.getText()} is not in the coopgraph schema (checked by tests/cypher_lint/lint.mjs)`,
      line: key.start.line,
      column: key.start.column + 1,
    }));
}

// The package does not warn about a label or type that CREATE/MERGE would make; coopgraph's schema
// is closed, so a misspelt one there is a bug too.
function unknownWrittenLabels(statement, schema) {
  const known = new Set([...schema.labels, ...schema.relationshipTypes]);
  return statement.collectedLabelOrRelTypes
    .filter((l) => l.couldCreateNewLabel && !known.has(unquote(l.labelText)))
    .map((l) => ({
      severity: 'warning',
      message: `${l.labelType} ${l.labelText} is written by CREATE/MERGE but is not in the coopgraph schema (checked by tests/cypher_lint/lint.mjs)`,
      line: l.line,
      column: l.column + 1,
    }));
}

function lintOne(query, schema, propertyKeys) {
  const parsing = parserWrapper.parse(query.text);
  parserWrapper.parsingResult = parsing; // lintCypherQuery reuses this parse instead of parsing again
  const parsed = parsing.statementsParsing;
  const used = parsed.flatMap((s) => s.collectedParameters.map((p) => unquote(p.name)));
  const declared = query.parameters ?? used;
  const parameters = Object.fromEntries(declared.map((name) => [name, null]));
  const diagnostics = lintCypherQuery(query.text, { ...schema, parameters }).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
  // Only walk trees that parsed: after a syntax error the tree is partial and the errors say enough.
  if (!parsed.some((s) => s.syntaxErrors.length > 0)) {
    for (const statement of parsed) {
      diagnostics.push(...unknownWrittenLabels(statement, schema), ...unknownProperties(statement.ctx, propertyKeys));
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { name: query.name, diagnostics };
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { schema = {}, queries = [] } = JSON.parse(input);
  const dbSchema = {
    labels: schema.labels ?? [],
    relationshipTypes: schema.relationshipTypes ?? [],
    propertyKeys: schema.propertyKeys ?? [],
    ...builtIns(),
    defaultLanguage: 'CYPHER 5',
  };
  const propertyKeys = new Set(dbSchema.propertyKeys);
  const results = queries.map((query) => lintOne(query, dbSchema, propertyKeys));
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(2);
});
