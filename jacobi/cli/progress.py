"""The progress line on a terminal's stderr while a long command works.

Shown only when jacobi owns the process and stderr is a terminal, and only once
the command has run for :data:`DELAY` seconds: a quick command shows nothing. The
line is transient (erased when the work ends) and never touches stdout, so what a
command prints is the same with or without it. The stages and counts come from
:mod:`jacobi.progress`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from jacobi import progress

#: Seconds a command runs before its progress is shown.
DELAY = 1.0


class TerminalProgress:
    """A :class:`jacobi.progress.Display` drawn by Rich on ``console``, after ``delay`` s."""

    def __init__(self, console: Console, delay: float = DELAY) -> None:
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None
        self._timer = threading.Timer(delay, self._bar.start)
        self._timer.daemon = True

    def stage(self, name: str, total: int | None) -> None:
        if self._task is None:
            self._task = self._bar.add_task(name, total=total)
        else:
            self._bar.reset(self._task, description=name, total=total)

    def tick(self, done: int) -> None:
        if self._task is not None:
            self._bar.update(self._task, completed=done)

    def start(self) -> TerminalProgress:
        self._timer.start()
        return self

    def close(self) -> None:
        self._timer.cancel()
        self._bar.stop()


@contextmanager
def on_terminal() -> Iterator[None]:
    """Show the progress of the work inside on stderr (a terminal)."""
    display = TerminalProgress(Console(file=sys.stderr)).start()
    try:
        with progress.showing(display):
            yield
    finally:
        display.close()
