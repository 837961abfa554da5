"""Workers: every case runs in a warm, reused worker process, killed at the case's deadline.

:class:`Runner` forks ``jobs`` worker processes from a parent that has imported
SymPy and the cases' commands (:func:`jacobi.batch.run.warm_up`), sends each one
case at a time (:func:`jacobi.batch.run.run_case` in the worker) and yields the
rows in the cases' order, each as soon as it and every case before it have
finished. A worker serves case after case, so a case costs its computation,
not a process start or an import. A case that overruns its deadline, crashes
or exhausts memory takes only its worker with it: the worker is replaced by a
new fork of the same warm parent and the case gets an error row with exit
code 4.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from jacobi.batch.cases import Case
from jacobi.batch.run import error_row, finish_row, run_case, warm_up
from jacobi.errors import LimitError, classify

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

DEFAULT_CASE_TIMEOUT = 30.0
#: How often a case is sent again when the worker it was sent to had died while idle.
MAX_SENDS = 3


def _worker_main(conn: Connection) -> None:
    """A worker process: run the cases it is sent until told to stop."""
    # Ctrl-C goes to the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _detach_output()
    _die_with_parent()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        slot, data = msg
        row = run_case(data)
        try:
            conn.send((slot, row))
        except (BrokenPipeError, OSError):
            return


def _detach_output() -> None:
    """Results go through the pipe: a worker must not hold the parent's stdout open
    (a reader waiting for end-of-file would wait for the worker too)."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when the batch process dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _context() -> Any:
    # fork starts workers warm (SymPy already imported); elsewhere spawn is the safe choice.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    slot: int | None = None  # the position of its case in the batch, while busy
    deadline: float = math.inf


@dataclass
class Runner:
    """Run cases in ``jobs`` reused worker processes, each case under ``timeout`` seconds.

    Every case runs in a worker, also with ``jobs=1``: a case that overruns its
    deadline, crashes or exhausts memory takes only its worker with it. A worker
    still busy at the deadline is killed (the only time limit of a case: nothing
    is interrupted inside the worker) and replaced; its case gets an error row
    with exit code 4, and the other cases go on. Rows come out in the cases'
    order whatever ``jobs`` is, so the output of a run (and the prefix a killed
    run leaves) is the same with any number of workers.
    """

    jobs: int = 1
    timeout: float | None = DEFAULT_CASE_TIMEOUT
    workers: list[_Worker] = field(default_factory=list)

    def _start(self) -> _Worker:
        ctx = _context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        # Frozen objects are the worker's permanent generation: its collections never
        # walk (or write to, unsharing the pages of) the warm parent's heap.
        gc.freeze()
        try:
            proc.start()
        finally:
            gc.unfreeze()
        child.close()
        w = _Worker(proc, parent)
        self.workers.append(w)
        return w

    def _retire(self, w: _Worker) -> None:
        with contextlib.suppress(OSError, AttributeError):
            w.process.kill()
        w.process.join(5)
        w.conn.close()
        self.workers.remove(w)

    def run(self, cases: Sequence[Case]) -> Iterator[tuple[Case, dict[str, Any]]]:
        """Yield ``(case, row)`` for every case, in the order of ``cases``."""
        warm_up(c.command for c in cases)
        gc.collect()  # once, so that no garbage is frozen into the workers
        pending = deque(range(len(cases)))
        sends = [0] * len(cases)
        done: dict[int, dict[str, Any]] = {}
        head = 0
        try:
            for _ in range(min(self.jobs, len(cases))):
                self._start()
            while head < len(cases):
                self._dispatch(cases, pending, sends, done)
                if any(w.slot is not None for w in self.workers):
                    for slot, row in self._collect(bool(pending)):
                        done[slot] = row
                while head in done:
                    yield cases[head], finish_row(cases[head], done.pop(head))
                    head += 1
        finally:
            self.close()

    def _dispatch(
        self,
        cases: Sequence[Case],
        pending: deque[int],
        sends: list[int],
        done: dict[int, dict[str, Any]],
    ) -> None:
        """Give every idle worker the next case; a worker found dead is replaced."""
        while pending:
            w = next((w for w in self.workers if w.slot is None), None)
            if w is None:
                return
            slot = pending.popleft()
            sends[slot] += 1
            try:
                w.conn.send((slot, cases[slot].data))
            except (BrokenPipeError, OSError):  # it died while idle: the case never ran
                row = self._died(w)
                self._retire(w)
                if sends[slot] < MAX_SENDS:
                    pending.appendleft(slot)
                else:
                    done[slot] = row
                if pending:
                    self._start()
                continue
            w.slot = slot
            w.deadline = time.monotonic() + self.timeout if self.timeout else math.inf

    def _collect(self, more: bool) -> Iterator[tuple[int, dict[str, Any]]]:
        """Wait until some busy worker answers or reaches its deadline; yield those rows."""
        busy = [w for w in self.workers if w.slot is not None]
        soonest = min(w.deadline for w in busy)
        wait_for = None if soonest == math.inf else max(0.0, soonest - time.monotonic())
        ready = wait([w.conn for w in busy], timeout=wait_for)
        for w in busy:
            slot = w.slot
            assert slot is not None
            if w.conn in ready:
                try:
                    _, row = w.conn.recv()
                except (EOFError, OSError):
                    row = self._died(w)
                    self._retire(w)
                    if more:
                        self._start()
                else:
                    w.slot, w.deadline = None, math.inf
                yield slot, row
            elif time.monotonic() >= w.deadline:
                self._retire(w)
                if more:
                    self._start()
                yield slot, self._timed_out()

    def _timed_out(self) -> dict[str, Any]:
        assert self.timeout is not None
        return error_row(
            classify(
                LimitError(
                    f"the computation took longer than {self.timeout:g} s",
                    hint="raise the limit with --case-timeout",
                )
            )
        )

    def _died(self, w: _Worker) -> dict[str, Any]:
        w.process.join(1)
        code = w.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return error_row(classify(LimitError(f"the worker process running the case died ({how})")))

    def close(self) -> None:
        """Stop idle workers politely, kill busy ones, and forget them all."""
        for w in list(self.workers):
            if w.slot is None:
                with contextlib.suppress(BrokenPipeError, OSError):
                    w.conn.send(None)
        for w in list(self.workers):
            w.process.join(0.5 if w.slot is None else 0)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(5)
            w.conn.close()
        self.workers.clear()
