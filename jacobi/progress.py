"""Progress of long work, for a person watching a terminal: stages and counts, never results.

The mathematics says what it is doing (:func:`stage`) and how far it is (:func:`tick`);
both do nothing unless a display is installed with :func:`showing`. The CLI installs
one when stderr is a terminal (:mod:`jacobi.cli.progress`); Python callers, batch
workers and tests see no difference. Nothing here ever writes to stdout or changes a
result.

>>> seen = []
>>> class Note:
...     def stage(self, name, total): seen.append((name, total))
...     def tick(self, done): seen.append(done)
>>> with showing(Note()):
...     stage("differentiating", 2)
...     tick(); tick()
>>> seen
[('differentiating', 2), 1, 2]
>>> stage("not shown"); tick()  # no display: nothing happens
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

__all__ = ["Display", "showing", "stage", "tick"]


class Display(Protocol):
    def stage(self, name: str, total: int | None) -> None:
        """A new stage begins (``total``: how many steps it has, if known)."""

    def tick(self, done: int) -> None:
        """``done`` steps of the current stage are finished."""


_DISPLAY: ContextVar[Display | None] = ContextVar("progress_display", default=None)
_DONE: ContextVar[int] = ContextVar("progress_done", default=0)


def stage(name: str, total: int | None = None) -> None:
    """Begin stage ``name`` ("parsing", "differentiating", ...), of ``total`` steps."""
    display = _DISPLAY.get()
    if display is not None:
        _DONE.set(0)
        display.stage(name, total)


def tick() -> None:
    """One more step of the current stage is done."""
    display = _DISPLAY.get()
    if display is not None:
        done = _DONE.get() + 1
        _DONE.set(done)
        display.tick(done)


@contextmanager
def showing(display: Display) -> Iterator[None]:
    """Send the stages and steps of the work inside to ``display``."""
    token = _DISPLAY.set(display)
    try:
        yield
    finally:
        _DISPLAY.reset(token)
