"""`coopgraph shell`: an interactive Cypher prompt on the same confined query workers as `coopgraph query`.

Every statement goes through `run_isolated` (the statement policy, then the process's pooled worker,
cypher/workers.py), so a session starts one worker and reuses it query after query. On a terminal the
prompt has history, completion from the graph schema and multi-line input; from a pipe, statements
separated by `;` run one by one (`echo "MATCH (n:Sector) RETURN count(n) AS n;" | coopgraph shell`).
"""
from __future__ import annotations

import json
import re
import shlex
import sys
from typing import Iterable, Iterator

from prompt_toolkit.completion import Completer, Completion

from coopgraph.errors import CoopgraphError
from coopgraph.terminal import SafeConsole, styled

__all__ = ["CypherCompleter", "Session", "shell", "statements"]

FORMATS = ("table", "json", "csv")
COMMANDS = {":help": "this help", ":queries": "the named queries",
            ":run NAME k=v …": "run a named query with its parameters",
            ":format table|json|csv": "how answers print (now: {fmt})",
            ":params k=v …": "set $parameters for your Cypher (`:params` shows them, `:params -` clears)",
            ":quit, :q": "leave (also Ctrl-D); Ctrl-C cancels the current input or query"}
KEYWORDS = [*("OPTIONAL MATCH", "ORDER BY", "UNION ALL", "IS NULL", "IS NOT NULL", "STARTS WITH", "ENDS WITH"),
            *"""MATCH WHERE WITH UNWIND RETURN SKIP LIMIT UNION CALL DISTINCT AS AND OR XOR NOT IN CONTAINS CASE
            WHEN THEN ELSE END ASC DESC EXISTS COUNT SUM AVG MIN MAX COLLECT SIZE COALESCE TOLOWER TOUPPER TRIM
            TOSTRING TOINTEGER LABELS TYPE KEYS NODES RELATIONSHIPS LENGTH TRUE FALSE NULL""".split()]
_QUOTES = "'\"`"


def statements(lines: Iterable[str]) -> Iterator[str]:
    """Statements from a stream: `;` ends one (not inside quotes or a comment); a line starting with
    `:` is a shell command on its own; whatever is left at the end is the last statement."""
    pending = ""
    for line in lines:
        if _blank(pending) and line.lstrip().startswith(":"):
            yield line.strip()
            pending = ""
            continue
        pending += line if line.endswith("\n") else line + "\n"
        *done, pending = _split(pending)
        yield from (s for s in done if not _blank(s))
    if not _blank(pending):
        yield pending.strip()


def _blank(text: str) -> bool:
    """Nothing but space and `//` comments (a `//` in a quote leaves the quote mark behind)."""
    return not re.sub(r"//[^\n]*", "", text).strip()


def _split(text: str) -> list[str]:
    """`text` cut at each `;` outside quotes and `//` comments; the last piece is the unfinished rest."""
    pieces, start, quote, i = [], 0, "", 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote != "`":
                i += 1
            elif char == quote:
                quote = ""
        elif char in _QUOTES:
            quote = char
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
            continue
        elif char == ";":
            pieces.append(text[start:i].strip())
            start = i + 1
        i += 1
    return pieces + [text[start:]]


def _pairs(words: list[str]) -> dict[str, str]:
    pairs = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key.strip():
            raise CoopgraphError(f"expected k=v, not {word!r}")
        pairs[key.strip()] = value
    return pairs


def _literal(value: str):
    """A $parameter's value as typed: numbers, true/false, null and JSON lists are themselves, the rest text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


class Session:
    """One analyst's session: the settings, the answer format and the $parameters it keeps."""

    def __init__(self, settings, out: SafeConsole, err: SafeConsole):
        self.settings, self.out, self.err = settings, out, err
        self.fmt = "table"
        self.params: dict = {}
        self.failures = 0
        self._store = None  # on Neo4j, one connection for the session instead of one per query

    def handle(self, text: str) -> bool:
        """Run one statement or command; False when the analyst asked to leave. Errors are one line."""
        text = text.strip().removesuffix(";").strip()
        if not text:
            return True
        try:
            if text.startswith(":"):
                return self.command(text)
            self.cypher(text)
        except CoopgraphError as exc:
            self._fail(exc.message)
        except Exception as exc:  # an analyst's shell never ends on a traceback
            self._fail(f"{type(exc).__name__}: {exc}")
        return True

    def cypher(self, text: str) -> None:
        from coopgraph.cypher.sandbox import run_isolated

        self.show(run_isolated(text, self.params, self.settings, store=self._neo4j()), "consulta")

    def run_named(self, name: str, given: dict) -> None:
        from coopgraph.cypher.library import QueryError, library
        from coopgraph.cypher.sandbox import run_isolated

        if name not in library():
            raise QueryError(f"no named query {name!r}; `:queries` lists them")
        query = library()[name]
        dialect = "neo4j" if self.settings.store == "neo4j" else "embedded"
        self.show(run_isolated(query.text(dialect), query.bind(given), self.settings, trusted=True,
                               store=self._neo4j()), name)

    def command(self, text: str) -> bool:
        try:
            name, *words = shlex.split(text)
        except ValueError as exc:
            raise CoopgraphError(f"cannot read the command: {exc}")
        if name in (":q", ":quit", ":exit"):
            return False
        if name == ":help":
            for usage, what in COMMANDS.items():
                self.out.print(styled((f"{usage:26}", "bold"), what.format(fmt=self.fmt)))
            self.out.print("Cypher ends with ; or a blank line: reading clauses only, as `coopgraph query --cypher`.")
        elif name == ":queries":
            from coopgraph.cypher.library import library

            for query in library().values():
                params = " ".join(f"{p.name}={p.default}" for p in query.params.values())
                self.out.print(styled((query.name, "bold"), f" {params}" if params else "",
                                      f" — {query.description.splitlines()[0]}"))
        elif name == ":run":
            if not words:
                raise CoopgraphError(":run needs a query name; `:queries` lists them")
            self.run_named(words[0], _pairs(words[1:]))
        elif name == ":format":
            if len(words) != 1 or words[0] not in FORMATS:
                raise CoopgraphError(f":format is one of {', '.join(FORMATS)} (now {self.fmt})")
            self.fmt = words[0]
        elif name == ":params":
            if words == ["-"]:
                self.params = {}
            else:
                self.params.update({k: _literal(v) for k, v in _pairs(words).items()})
            self.out.print(json.dumps(self.params, ensure_ascii=False, default=str))
        else:
            raise CoopgraphError(f"unknown command {name}; `:help` lists them")
        return True

    def show(self, result, title: str) -> None:
        """Print the answer as `coopgraph query` does (coopgraph/cli/tables.py for tables)."""
        if self.fmt == "json":
            from coopgraph.output import machine_json

            self.out.print(machine_json(result.rows), soft_wrap=True)
        elif self.fmt == "csv":
            from coopgraph.spreadsheets import Table, csv_text

            rows = ([row.get(c) for c in result.columns] for row in result.rows)
            self.out.file.write(csv_text([Table(list(result.columns), rows)]))
            self.out.file.flush()
        else:
            from coopgraph.cli.tables import result_table

            self.out.print(result_table(result.columns, result.rows, title, width=self.out.width))
        if result.truncated:
            self.err.print(styled((f"only the first {len(result.rows)} rows (COOPGRAPH_QUERY_MAX_ROWS)", "yellow")))

    def close(self) -> None:
        from coopgraph.cypher.sandbox import close_pools

        close_pools(self.settings)
        if self._store is not None:
            self._store.close()

    def _neo4j(self):
        if self.settings.store == "neo4j" and self._store is None:
            from coopgraph.graph.store import open_store

            self._store = open_store(self.settings)
        return self._store

    def _fail(self, message: str) -> None:
        self.failures += 1
        self.err.print(styled(("error:", "bold red"), f" {' '.join(message.split())}"))


class CypherCompleter(Completer):
    """Keywords, then what the schema (graph/schema/*.yaml) holds where Cypher expects it: labels after
    `(n:`, relationship types after `[r:`, properties after `n.`; shell commands and named queries."""

    def __init__(self, model=None, queries: Iterable[str] | None = None):
        from coopgraph.cypher.library import library
        from coopgraph.graph.model import model as schema

        model = model or schema()
        self.labels = sorted(model.nodes)
        self.types = sorted(model.relationships)
        self.properties = sorted({p for kind in [*model.nodes.values(), *model.relationships.values()]
                                  for p in kind.properties})
        self.queries = sorted(queries if queries is not None else library())
        self.commands = sorted({usage.split()[0].rstrip(",") for usage in COMMANDS} | {":q", ":quit"})

    def get_completions(self, document, complete_event):
        before = document.text_before_cursor
        word = re.search(r"\w*$", before).group()
        line = before.lstrip()
        if re.fullmatch(r":run\s+\w*", line):
            choices = self.queries
        elif re.fullmatch(r":format\s+\w*", line):
            choices = FORMATS
        elif re.fullmatch(r":\w*", line):
            word, choices = line, self.commands
        elif before[: len(before) - len(word)].endswith(":"):
            choices = self.types if _inside_relationship(before) else self.labels
        elif before[: len(before) - len(word)].endswith("."):
            choices = self.properties
        else:
            choices = KEYWORDS
        folded = word.lower()
        for choice in choices:
            if choice.lower().startswith(folded) and choice != word:
                yield Completion(choice, start_position=-len(word))


def _inside_relationship(before: str) -> bool:
    """Whether the cursor is in `[…]` (a relationship pattern) rather than `(…)` (a node)."""
    return before.rfind("[") > max(before.rfind("]"), before.rfind("("))


def _prompt(settings):
    """A prompt_toolkit session: history under the coopgraph home; Enter runs the input once it ends
    with `;`, is a `:command` or the last line is blank; otherwise it starts a new line."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event):
        buffer = event.current_buffer
        text = buffer.document.text
        finished = (not text.strip() or text.lstrip().startswith(":") or text.endswith("\n")
                    or (text.rstrip().endswith(";") and not _split(text.rstrip())[-1].strip()))
        if finished and buffer.document.is_cursor_at_the_end:
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    settings.home.mkdir(parents=True, exist_ok=True)
    return PromptSession(history=FileHistory(str(settings.home / "shell_history")), multiline=True,
                         key_bindings=bindings, completer=CypherCompleter(), complete_while_typing=False,
                         prompt_continuation=lambda width, line, wrap: "... ".rjust(width))


def shell() -> None:
    """An interactive Cypher prompt (history, completion, :help); from a pipe, runs the `;`-separated statements."""
    import typer

    from coopgraph.settings import get_settings

    settings = get_settings()
    session = Session(settings, SafeConsole(), SafeConsole(stderr=True, soft_wrap=True))
    try:
        if not sys.stdin.isatty():
            for statement in statements(sys.stdin):
                if not session.handle(statement):
                    break
            if session.failures:
                raise typer.Exit(1)
            return
        prompt = _prompt(settings)
        session.out.print("coopgraph shell: read-only Cypher ending with ; — :help for commands, Ctrl-D to leave")
        while True:
            try:
                text = prompt.prompt("coopgraph> ")
            except KeyboardInterrupt:  # cancels what was typed, not the session
                continue
            except EOFError:
                return
            try:
                for statement in statements(text.splitlines(keepends=True)):
                    if not session.handle(statement):
                        return
            except KeyboardInterrupt:  # the pool kills the worker that was running the query, starts another
                session.err.print(styled(("cancelled", "yellow")))
    finally:
        session.close()
