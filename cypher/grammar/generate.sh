#!/usr/bin/env bash
# Regenerates Cypher25Lexer.py and Cypher25Parser.py from Neo4j's own Cypher 25 grammar
# (Apache-2.0), as shipped in the npm package the suite's linter pins (tests/cypher_lint).
# Development only (needs `npm ci --prefix tests/cypher_lint`, Java and Maven); the product
# needs only the generated Python and antlr4-python3-runtime of the same ANTLR version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
grammar=$here/../../tests/cypher_lint/node_modules/@neo4j-cypher/language-support/src/antlr-grammar
version=4.13.2  # must equal the antlr4-python3-runtime pin in pyproject.toml
mvn -q dependency:get -Dartifact=org.antlr:antlr4:$version:jar:complete
jar=~/.m2/repository/org/antlr/antlr4/$version/antlr4-$version-complete.jar
work=$(mktemp -d)
cp "$grammar/Cypher25Lexer.g4" "$work/"
# The grammar types one rule argument the Java way (`[String paramType]`); Python takes it untyped.
sed 's/\[String paramType\]/[paramType]/g' "$grammar/Cypher25Parser.g4" > "$work/Cypher25Parser.g4"
(cd "$work" && java -jar "$jar" -Dlanguage=Python3 -no-listener -no-visitor -o "$here" Cypher25Lexer.g4 Cypher25Parser.g4)
rm -f "$here"/*.interp "$here"/*.tokens
rm -rf "$work"
