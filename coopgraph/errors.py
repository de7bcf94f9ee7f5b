"""Every error coopgraph reports to a user, with the exit code the CLI ends with and the HTTP status
the API answers: both are attributes of the class, so the CLI and the API map each base once.

    CoopgraphError                 exit 1, HTTP 500
    ├── NotFound                   exit 2, HTTP 404  (every "no such id/year/target")
    ├── BadRequest                         HTTP 400  (a wrong option or query; BadOption exits 2)
    ├── Unprocessable                      HTTP 422  (input that cannot be used as it is; RateError, ExportError, IatiError)
    ├── Unavailable                        HTTP 503  (the store or the sandbox cannot serve now)
    ├── Unauthorized                       HTTP 401
    └── Forbidden                          HTTP 403
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CoopgraphError", "SchemaError", "StoreError", "NotFound", "NotFoundError", "BadRequest",
           "Unprocessable", "Unavailable", "Unauthorized", "Forbidden", "Problem", "InputError", "IatiError"]


class CoopgraphError(Exception):
    """Base of the errors a user should see as one clear message, never a traceback."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(CoopgraphError):
    """Nothing has the id, year or name asked for."""

    exit_code = 2
    http_status = 404


NotFoundError = NotFound  # the name older code imports


class BadRequest(CoopgraphError):
    """A request the code refuses as asked (a wrong view, option or query)."""

    http_status = 400


class Unprocessable(CoopgraphError):
    """Well-formed input that cannot be used (a malformed file, years that cannot be compared)."""

    http_status = 422


class Unavailable(CoopgraphError):
    """The store or the query sandbox cannot serve now; the client may retry."""

    http_status = 503


class Unauthorized(CoopgraphError):
    """A key is needed and was missing or wrong."""

    http_status = 401


class Forbidden(CoopgraphError):
    """Switched off by configuration."""

    http_status = 403


class SchemaError(CoopgraphError):
    """The schema files contradict themselves, or code asked for a label that does not exist."""


class StoreError(Unavailable):
    """The store cannot be opened, read or written."""


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


class InputError(Unprocessable):
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


class IatiError(Unprocessable):
    """An IATI file would not be valid (a code outside its codelist, the XSD, the standard ruleset):
    one line names the first element, XPath-like, and the reason; nothing is written. `problems`
    (`details["elements"]` in the API's answer) lists every one found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"IATI file not written: {problems[0]}{more}", elements=problems)
