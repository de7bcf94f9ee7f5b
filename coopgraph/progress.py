"""Long work shows how far it is: a progress bar with percentage and time left on a terminal, one line
per phase otherwise (logs, CI, pipes).

    with phases(console) as step:
        step("reading files")                  # a phase of unknown length
        step("writing nodes", done=3, total=10)
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from coopgraph.terminal import clean
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

Step = Callable[..., None]


@contextmanager
def phases(console: Console) -> Iterator[Step]:
    """A `step(phase, done=None, total=None)` callable; the bar on a terminal, a line per new phase elsewhere."""
    if not console.is_terminal:
        seen: list[str] = []

        def line(phase: str, done: int | None = None, total: int | None = None) -> None:
            if not seen or seen[-1] != phase:
                seen.append(phase)
                console.print(clean(phase), markup=False, highlight=False)

        yield line
        return
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def update(phase: str, done: int | None = None, total: int | None = None) -> None:
            bar.update(task, description=clean(phase), completed=done or 0, total=total)

        yield update
