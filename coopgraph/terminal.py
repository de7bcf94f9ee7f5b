"""What the CLI prints to a terminal: names are data, never markup or control codes.

Names come from loaded files (`ACME RICH [/bold]`, `[link=http://…]`, ANSI escapes, right-to-left
overrides). Every console of the CLI is a `SafeConsole`: rich markup is off for every string it renders
(print arguments, table cells, titles), and control and bidi characters are removed before rendering.
The CLI's own colours are given as styles (`styled`), never as markup in a string.

>>> clean("ACME\\x1b[31m RICH\\u202e gnp.exe\\x07")
'ACME[31m RICH gnp.exe'
"""
from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

__all__ = ["SafeConsole", "clean", "styled"]

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides, isolates and marks
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """The text without the characters a terminal would obey instead of show."""
    return _UNSAFE.sub("", text)


class SafeConsole(Console):
    """A rich console that renders every string as plain, cleaned text."""

    def __init__(self, **options):
        options.setdefault("markup", False)
        options.setdefault("highlight", False)
        options.setdefault("emoji", False)
        super().__init__(**options)

    def render_str(self, text: str, **options) -> Text:
        options["markup"] = False
        options["emoji"] = False
        return super().render_str(clean(text), **options)


def styled(*parts) -> Text:
    """A line of the CLI's own making: each part a string, or (string, style) for colour."""
    text = Text()
    for part in parts:
        value, style = part if isinstance(part, tuple) else (part, "")
        text.append(clean(str(value)), style=style)
    return text
