"""Time limits: no command may hang, whatever it is given.

SymPy has no timeouts of its own, and an exception raised asynchronously (a
signal handler) can land anywhere: in a garbage-collector callback, in a
``finally`` block of a library, where it is swallowed or corrupts state. So the
hard limit (``--timeout``) never interrupts anything: :class:`Watchdog` is a
daemon timer thread that, when the time is up, writes one line to stderr and
ends the whole process with exit code 4. Callers compute and render the complete
output first, cancel the watchdog, and only then write it, so a result is either
printed whole or not at all. Batch cases get the same guarantee from their
worker process, which the parent kills at the case's deadline.

Optional work (simplifying, solving, verifying) has no time limit at all: it is
bounded by counts (:mod:`jacobi.simplify`), so its results never depend on the
machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from types import TracebackType

from jacobi.errors import EXIT_LIMIT

#: Printed when the watchdog ends a run (after ``jacobi: error: ``).
TIMEOUT_HINT = "simplify the input, or raise the limit with --timeout (0: no limit)"


def timeout_message(seconds: float, what: str = "the computation") -> str:
    """The one line the watchdog writes to stderr.

    >>> timeout_message(1.0)
    'jacobi: error: the computation took longer than 1 s (simplify the input, or raise the limit with --timeout (0: no limit))'
    """  # noqa: E501
    return f"jacobi: error: {what} took longer than {seconds:g} s ({TIMEOUT_HINT})"


class Watchdog:
    """End the process with exit code 4 if the body is still running after ``seconds``.

    Nothing is interrupted: a daemon thread waits, and when the time is up it
    writes :func:`timeout_message` to file descriptor 2 and calls ``os._exit``
    (no ``finally`` blocks, no buffered output flushed: whatever the command
    had not yet written stays unwritten). ``seconds`` of ``None`` or ``0``
    means no limit. Leaving the ``with`` block (normally or by an exception)
    cancels it; after :meth:`cancel` returns, the process can no longer be
    ended by this watchdog.

    >>> with Watchdog(60.0) as dog:
    ...     dog.active
    True
    >>> dog.active
    False
    >>> Watchdog(0).start().active
    False
    """

    def __init__(
        self,
        seconds: float | None,
        what: str = "the computation",
        *,
        on_expiry: Callable[[str], None] | None = None,
    ) -> None:
        self.seconds = seconds
        self.what = what
        self._on_expiry = on_expiry or _write_and_exit
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    def start(self) -> Watchdog:
        if not self.seconds or self.seconds <= 0 or self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._watch, name="jacobi-timeout", daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        assert self.seconds is not None
        if self._done.wait(self.seconds):
            return
        with self._lock:
            if self._done.is_set():
                return
            self._done.set()
            self._on_expiry(timeout_message(self.seconds, self.what))

    def cancel(self) -> None:
        with self._lock:
            self._done.set()

    def __enter__(self) -> Watchdog:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cancel()


def _write_and_exit(message: str) -> None:
    try:
        os.write(2, (message + "\n").encode("utf-8", "replace"))
    finally:
        os._exit(EXIT_LIMIT)
