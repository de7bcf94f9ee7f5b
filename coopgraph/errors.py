"""Every error coopgraph reports to a user. The CLI (and later the API) maps them once."""
from __future__ import annotations

from dataclasses import dataclass


class CoopgraphError(Exception):
    """Base of the errors a user should see as one clear message, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class SchemaError(CoopgraphError):
    """The schema files contradict themselves, or code asked for a label that does not exist."""


class StoreError(CoopgraphError):
    """The store cannot be opened, read or written."""


class NotFoundError(CoopgraphError):
    """Nothing in the store has the id asked for."""

    exit_code = 2


@dataclass
class Problem:
    """One thing wrong with one place of an input file."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        found = "" if self.value is None else f"; found {self.value!r}"
        return f"{where}: expected {self.expected}{found}"


class InputError(CoopgraphError):
    """An input file is unreadable or malformed. Lists every problem found, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem], total: int | None = None):
        """`total` counts problems beyond those listed (a file with a million bad cells lists some)."""
        self.problems = problems
        total = max(total or 0, len(problems))
        head = str(problems[0]) if problems else "invalid input"
        more = f" (and {total - 1} more problems)" if total > 1 else ""
        super().__init__(head + more, problems=[str(p) for p in problems])

    @classmethod
    def single(cls, file, line, column, value, expected) -> "InputError":
        return cls([Problem(str(file), line, column, value, expected)])
