"""What analysts' own Cypher may do, decided on the parse tree of Neo4j's own grammar.

Only reading passes: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT,
UNION, read-only subqueries (`CALL { … }`, `EXISTS { … }`, `COUNT { … }`, `COLLECT { … }`) and the
schema procedures in PROCEDURES. Anything else is refused with one line that names it: writes,
DDL, LOAD CSV, USE, FOREACH, transactions, admin commands, several statements, procedures outside
the list, and functions that reach files, settings or sequences. A text the grammar cannot parse
is refused too (the embedded engine's own extensions — LOAD FROM, COPY, CHECKPOINT, `CALL x=…` —
are not Cypher 25); its message names the clause from the token stream, so a clause hidden in a
comment or in backticks is never named and never run.

The engine runs `Checked.text`, the statement with its comments blanked out, so the text it sees
is the text this module read (no comment or string that two lexers could split differently).
Why this parser: docs/sandbox.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from coopgraph.cypher.library import QueryError

MAX_TEXT = 10_000  # characters (the API's request model says the same)
MAX_TOKENS = 2_000  # the longest named query has ~500; parsing in Python costs about a millisecond a token
# Brackets and CASE … END opened and not yet closed. The named queries nest at most 4 deep; ANTLR's
# full-LL prediction grows steeply with depth (one 20-deep CASE ≈ 6 s). Depth is not the only cost,
# so the parse also runs in a query worker under the query's time limit (cypher/worker.py).
MAX_NESTING = 12
MAX_MESSAGE = 160  # a refusal is one short line: the parser's "expecting {…}" sets are left out
# functions whose count or length argument the engine reads as unsigned (-1 asks for exabytes)
SIZED_FUNCTIONS = {"repeat", "lpad", "rpad", "left", "right"}

# the only procedures an analyst may CALL, per store dialect (lower case)
PROCEDURES = {
    "embedded": {"show_tables", "table_info"},
    "neo4j": {"db.labels", "db.relationshiptypes", "db.schema.visualization"},
}
# namespaces whose procedures and functions reach the host, the network or the server's settings
REFUSED_NAMESPACES = ("apoc", "dbms", "gds", "db", "genai", "tx")
# the embedded engine's functions that read files or settings, change sequences or describe storage
REFUSED_FUNCTIONS = {
    "current_setting", "read_csv", "read_csv_serial", "read_csv_parallel", "read_parquet", "read_json",
    "read_npy", "read_pandas", "copy_csv", "copy_parquet", "file_info", "storage_info", "disk_info",
    "disk_size_info", "bm_info", "fsm_info", "stats_info", "nextval", "currval", "setseed", "error",
    "clear_warnings", "project_graph", "project_graph_cypher", "drop_projected_graph", "show_attached_databases",
    "show_loaded_extensions", "show_official_extensions", "show_connection", "_cache_array_column_locally",
    "linkedin", "load_csv", "glob",
}
ALLOWED = "MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION, CALL { … }"

# clause rule -> how the refusal names it
_CLAUSES = {
    "UseClause": "USE", "FinishClause": "FINISH", "CreateClause": "CREATE", "InsertClause": "INSERT",
    "DeleteClause": "DELETE", "SetClause": "SET", "RemoveClause": "REMOVE", "MergeClause": "MERGE",
    "FilterClause": "FILTER", "LetClause": "LET", "LoadCSVClause": "LOAD CSV", "ForeachClause": "FOREACH",
}
_READ_CLAUSES = {"MatchClause", "WithClause", "UnwindClause", "ReturnClause", "OrderBySkipLimitClause",
                 "SubqueryClause", "CallClause"}
# words that start a statement the grammar does not know, most specific first (for the message only)
_HEADS = [
    (("LOAD", "FROM"), "LOAD FROM"), (("LOAD", "WITH"), "LOAD FROM"), (("LOAD", "EXTENSION"), "LOAD EXTENSION"),
    (("LOAD", "CSV"), "LOAD CSV"), (("LOAD",), "LOAD"), (("COPY",), "COPY"), (("EXPORT",), "EXPORT DATABASE"),
    (("IMPORT",), "IMPORT DATABASE"), (("INSTALL",), "INSTALL"), (("UNINSTALL",), "UNINSTALL"),
    (("ATTACH",), "ATTACH"), (("DETACH", "DELETE"), "DETACH DELETE"), (("DETACH",), "DETACH"), (("USE",), "USE"),
    (("CHECKPOINT",), "CHECKPOINT"), (("BEGIN",), "BEGIN TRANSACTION"), (("COMMIT",), "COMMIT"),
    (("ROLLBACK",), "ROLLBACK"), (("MACRO",), "MACRO"), (("CREATE",), "CREATE"), (("MERGE",), "MERGE"),
    (("SET",), "SET"), (("DELETE",), "DELETE"), (("REMOVE",), "REMOVE"), (("DROP",), "DROP"), (("ALTER",), "ALTER"),
    (("RENAME",), "RENAME"), (("FOREACH",), "FOREACH"), (("EXPLAIN",), "EXPLAIN"), (("PROFILE",), "PROFILE"),
    (("PROJECT",), "PROJECT GRAPH"), (("SHOW",), "SHOW"), (("GRANT",), "GRANT"), (("REVOKE",), "REVOKE"),
    (("TERMINATE",), "TERMINATE"),
]


class Refused(QueryError):
    """An analyst's statement does something other than read the graph."""


@dataclass(frozen=True)
class Checked:
    text: str  # what the engine runs: the statement, comments blanked out


def check(text: str, dialect: str = "embedded") -> Checked:
    """Parse `text` with Neo4j's Cypher 25 grammar and refuse anything but one reading statement."""
    if not text or not text.strip():
        raise Refused("refused: the query is empty")
    if len(text) > MAX_TEXT:
        raise Refused(f"refused: the query is longer than {MAX_TEXT} characters")
    tokens, tree, error = _parse(text)
    significant = [t for t in tokens if t.channel == 0 and t.type != -1]
    separators = [i for i, t in enumerate(significant[:-1]) if t.text == ";"]
    if separators:  # a `;` token (never one inside a string or comment) with more after it
        second = _head(significant[separators[0] + 1:])
        raise Refused("refused: several statements in one text; send one query at a time"
                      + (f" (the second is {second})" if second else ""))
    if error is not None:
        named = _head(significant) or _head_unescaped(text)
        if named:
            raise Refused(f"refused: {named} is not allowed in analysts' queries (only {ALLOWED})")
        raise Refused(f"refused: not a Cypher query coopgraph can check ({error}); "
                      "analysts' queries use Neo4j's Cypher syntax")
    _walk(tree, dialect)
    return Checked(_without_comments(tokens))


# -- parsing ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _grammar():
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener

    from coopgraph.cypher.grammar.Cypher25Lexer import Cypher25Lexer
    from coopgraph.cypher.grammar.Cypher25Parser import Cypher25Parser

    class Stop(ErrorListener):
        def syntaxError(self, recognizer, symbol, line, column, message, exc):
            raise _SyntaxError(f"line {line}, column {column + 1}: {_short(message)}")

    return CommonTokenStream, InputStream, Cypher25Lexer, Cypher25Parser, Stop


class _SyntaxError(Exception):
    pass


_OPENS, _CLOSES = {"(", "[", "{", "CASE"}, {")", "]", "}", "END"}


def _nesting(tokens) -> int:
    """The deepest nesting of brackets and CASE … END among the statement's own tokens."""
    depth = deepest = 0
    for token in tokens:
        if token.channel != 0 or token.text is None:
            continue
        word = token.text.upper()
        if word in _OPENS:
            depth += 1
            deepest = max(deepest, depth)
        elif word in _CLOSES:
            depth -= 1
    return deepest


def _short(message: str) -> str:
    """The parser's message without its vocabulary: "expecting {ACCESS, ACTIVE, …}" lists hundreds of words."""
    message = re.sub(r" expecting \{[^}]*\}", "", message).replace("\n", " ")
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1] + "…"


try:
    from antlr4.error.Errors import ParseCancellationException
except ImportError:  # pragma: no cover - the runtime is a dependency
    ParseCancellationException = Exception


def _parse(text: str):
    CommonTokenStream, InputStream, Lexer, Parser, Stop = _grammar()
    lexer = Lexer(InputStream(text))
    lexer.removeErrorListeners()
    lexer.addErrorListener(Stop())
    stream = CommonTokenStream(lexer)
    try:
        stream.fill()
    except _SyntaxError as exc:
        return list(stream.tokens), None, str(exc)
    if sum(1 for t in stream.tokens if t.channel == 0) > MAX_TOKENS:
        raise Refused(f"refused: the query has more than {MAX_TOKENS} tokens; split it or use a named query")
    if _nesting(stream.tokens) > MAX_NESTING:
        raise Refused(f"refused: the query nests brackets or CASE more than {MAX_NESTING} deep; "
                      "simplify it or use a named query")
    try:
        return stream.tokens, _statements(stream, fast=True), None
    except ParseCancellationException:  # SLL could not decide: full LL, which also words the error
        stream.seek(0)
    except RecursionError:
        return stream.tokens, None, "nested too deeply"
    try:
        return stream.tokens, _statements(stream, fast=False), None
    except _SyntaxError as exc:
        return stream.tokens, None, str(exc)
    except RecursionError:
        return stream.tokens, None, "nested too deeply"


def _statements(stream, *, fast: bool):
    """The parse tree of `stream`. `fast`: ANTLR's SLL prediction, bailing out at the first doubt —
    ~5× faster (1.8 ms against 8.3 ms at 270 characters); where it succeeds the tree is the one full
    LL builds (tests/cypher/test_sandbox.py compares both on every named query and the escape corpus)."""
    _, _, _, Parser, Stop = _grammar()
    parser = Parser(stream)
    parser.removeErrorListeners()
    if fast:
        from antlr4.atn.PredictionMode import PredictionMode
        from antlr4.error.ErrorStrategy import BailErrorStrategy

        parser._interp.predictionMode = PredictionMode.SLL
        parser._errHandler = BailErrorStrategy()
    else:
        parser.addErrorListener(Stop())
    return parser.statements()


def _is_word(token) -> bool:
    """A keyword or bare name on the default channel: never a comment, string or `backticked` name."""
    return token.channel == 0 and token.text is not None and token.text.replace("_", "a").isalnum() \
        and not token.text[0].isdigit()


def _head(tokens: list) -> str | None:
    """Name the first refused clause among the statement's own tokens (comments are not tokens here)."""
    words = [t.text.upper() if _is_word(t) else None for t in tokens]
    for i, word in enumerate(words):
        if word == "CALL" and i + 2 < len(tokens) and words[i + 1] and tokens[i + 2].text == "=":
            return "CALL of a setting"
        for sequence, name in _HEADS:
            if tuple(words[i:i + len(sequence)]) == sequence:
                return name
    return None


def _head_unescaped(text: str) -> str | None:
    """The refused clause a `\\u0043REATE` spells outside strings (the grammar has no such escapes)."""
    if "\\u" not in text:
        return None
    CommonTokenStream, InputStream, Lexer, _, _ = _grammar()

    def tokens(source: str) -> list:
        lexer = Lexer(InputStream(source))
        lexer.removeErrorListeners()
        stream = CommonTokenStream(lexer)
        stream.fill()
        return [t for t in stream.tokens if t.type != -1]

    def outside_strings(token) -> str:  # strings, names in backticks and comments never name a clause
        return "''" if token.text[:1] in "'\"`" or token.channel != 0 else token.text

    plain = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)),
                   "".join(outside_strings(t) for t in tokens(text)))
    return _head([t for t in tokens(plain) if t.channel == 0])


def _without_comments(tokens) -> str:
    out = []
    for t in tokens:
        if t.type == -1:  # EOF
            continue
        if t.channel != 0 and (t.text.startswith("//") or t.text.startswith("/*")):
            out.append(" ")
        else:
            out.append(t.text)
    return "".join(out)


# -- the walk -----------------------------------------------------------------------------------
def _kind(node) -> str:
    return type(node).__name__.removesuffix("Context")


def _walk(node, dialect: str) -> None:
    kind = _kind(node)
    if kind == "Command":
        raise Refused(f"refused: {_first_words(node, 2)} is not allowed in analysts' queries (only {ALLOWED})")
    if kind == "When":
        raise Refused("refused: conditional queries (WHEN … THEN) are not allowed in analysts' queries")
    if kind in _CLAUSES:
        raise Refused(f"refused: {_CLAUSES[kind]} is not allowed in analysts' queries (only {ALLOWED})")
    if kind.endswith("Clause") and kind not in _READ_CLAUSES and kind not in ("Clause", "WhereClause"):  # added later
        raise Refused(f"refused: {_first_words(node, 2)} is not allowed in analysts' queries (only {ALLOWED})")
    if kind == "SubqueryClause" and any(_kind(c) == "SubqueryInTransactionsParameters" for c in _children(node)):
        raise Refused("refused: CALL { … } IN TRANSACTIONS is not allowed in analysts' queries")
    if kind == "CallClause":
        name = _name(next(c for c in _children(node) if _kind(c) == "ProcedureName"))
        if name not in PROCEDURES.get(dialect, set()):
            allowed = ", ".join(sorted(PROCEDURES.get(dialect, set()))) or "none"
            raise Refused(f"refused: CALL {name} is not allowed in analysts' queries (procedures allowed: {allowed})")
    if kind == "FunctionInvocation":
        name = _name(next(c for c in _children(node) if _kind(c) == "FunctionName"))
        if name in REFUSED_FUNCTIONS or name.split(".")[0] in REFUSED_NAMESPACES and "." in name:
            raise Refused(f"refused: the function {name}() is not allowed in analysts' queries")
        if name in SIZED_FUNCTIONS:
            for argument in (c for c in _children(node) if _kind(c) == "FunctionArgument"):
                if re.fullmatch(r"-\s*\d+", argument.getText()):
                    raise Refused(f"refused: {name}() got a negative size ({argument.getText()}); "
                                  "sizes and counts start at 0")
    for child in _children(node):
        _walk(child, dialect)


def _children(node) -> list:
    return [c for c in (node.getChildren() if hasattr(node, "getChildren") else []) if hasattr(c, "getRuleIndex")]


def _name(node) -> str:
    """A dotted procedure or function name as the engine resolves it: backticks off, lower case."""
    parts = []
    for token in _leaves(node):
        text = token.getText()
        if text in (".", ""):
            continue
        if text.startswith("`") and text.endswith("`"):
            text = text[1:-1].replace("``", "`")
        parts.append(text.lower())
    return ".".join(parts)


def _leaves(node):
    if hasattr(node, "getChildren") and node.getChildCount():
        for child in node.getChildren():
            yield from _leaves(child)
    else:
        yield node


def _first_words(node, n: int) -> str:
    return " ".join(leaf.getText().upper() for leaf in list(_leaves(node))[:n])
