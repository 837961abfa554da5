"""Time budgets: no command may hang, whatever it is given.

SymPy has no timeouts of its own. In the main thread a POSIX interval timer
raises :class:`~jacobi.errors.LimitError` inside pure-Python SymPy code; elsewhere
(threads, platforms without ``setitimer``) the budget degrades to a check between
steps via :func:`Deadline.expired`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from jacobi.errors import LimitError


class Deadline:
    """A soft deadline that code can poll between steps.

    >>> d = Deadline(60.0)
    >>> d.expired()
    False
    >>> Deadline(0.0).expired()
    True
    """

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())


class Interrupted(Exception):
    """Raised inside a :func:`soft_limit` body when its time is up."""


def _timers_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def soft_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Interrupted` if the body runs longer than ``seconds``.

    Used to give up on an optional step (tidying one entry) without failing the
    command. Nests inside :func:`time_limit`: the outer timer is paused, and
    resumed afterwards with the time it had left, so it still fires on time.
    A no-op outside the main thread.
    """
    if not _timers_usable() or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Interrupted

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4))


@contextmanager
def time_limit(seconds: float | None, what: str = "the computation") -> Iterator[None]:
    """Raise :class:`LimitError` if the body runs longer than ``seconds``.

    A no-op when ``seconds`` is ``None`` or when not in the main thread.
    """
    if seconds is None or seconds <= 0 or not _timers_usable():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise LimitError(
            f"{what} took longer than {seconds:g} s",
            hint="simplify the input, or raise the limit with --timeout",
        )

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
