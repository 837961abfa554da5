"""Progress on stderr: stages and counts from the mathematics, shown only on a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from rich.console import Console

from conftest import ROOT
from jacobi import progress
from jacobi.cli.progress import TerminalProgress
from jacobi.commands import api


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    def stage(self, name: str, total: int | None) -> None:
        self.events.append((name, total))

    def tick(self, done: int) -> None:
        self.events.append(done)


def test_stages_and_counts_of_a_jacobian() -> None:
    seen = Recorder()
    with progress.showing(seen):
        api.jac(["x+y, x*y, sin(x)"])
    events = seen.events
    assert events[:4] == [("parsing", None), 1, 2, 3]
    k = events.index(("differentiating", 3))
    assert events[k + 1 : k + 4] == [1, 2, 3]
    assert ("simplifying", 1) in events  # of 1, 1, y, x, cos(x) only cos(x) is not an atom
    # nothing is recorded outside `showing`
    after = len(events)
    api.jac(["x*y"])
    assert len(events) == after


def test_the_terminal_display_draws_stage_and_count() -> None:
    out = io.StringIO()
    display = TerminalProgress(Console(file=out, force_terminal=True, width=100), delay=0)
    display.start()
    display._timer.join()  # started now, not after a second
    with progress.showing(display):
        progress.stage("differentiating", 3)
        progress.tick()
        progress.tick()
        display._bar.refresh()
    display.close()
    text = out.getvalue()
    assert "differentiating" in text
    assert "2/3" in text


def _run_with_tty_stderr(args: list[str]) -> tuple[int, bytes, bytes]:
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "jacobi", *args],
            stdout=subprocess.PIPE,
            stderr=slave,
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "80"},
            timeout=120,
            check=False,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return done.returncode, done.stdout, b"".join(chunks)
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)


def test_stdout_is_the_same_with_a_terminal_on_stderr() -> None:
    args = ["jac", "x+y, x*y", "--at", "-1,2"]
    plain = subprocess.run(
        [sys.executable, "-m", "jacobi", *args], capture_output=True, cwd=ROOT, check=False
    )
    code, out, err = _run_with_tty_stderr(args)
    assert code == plain.returncode == 0
    assert out == plain.stdout
    assert err == b""  # a quick command shows no progress
