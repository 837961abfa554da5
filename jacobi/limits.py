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


@contextmanager
def time_limit(seconds: float | None, what: str = "the computation") -> Iterator[None]:
    """Raise :class:`LimitError` if the body runs longer than ``seconds``.

    A no-op when ``seconds`` is ``None`` or when not in the main thread.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

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
