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

:func:`soft_limit`, :class:`Interrupted`, :class:`Deadline` and
:func:`time_limit` are the old signal-based limits, kept only until their last
callers are gone; jacobi's CLI and batch no longer use them.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType

from jacobi.errors import EXIT_LIMIT, LimitError

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

    Deprecated (the signal can land in code that is not jacobi's): use
    :class:`Watchdog`. A no-op when ``seconds`` is ``None`` or when not in the
    main thread.
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
