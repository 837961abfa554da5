"""The terminal renderer never loses a character: through a real pseudo-terminal.

Rich used to end long cells with ``…`` (``x4·cos(x3…``) and to wrap rows so that the
matrix brackets broke. Now a matrix is drawn as a bracketed table only when every row
fits on one line, and is otherwise listed entry by entry, wrapped but never cut.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from jacobi.commands import api as commands
from jacobi.model import Report
from jacobi.render import pretty

JACOBI = str(Path(sys.executable).with_name("jacobi"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")

WIDE = "x1^2*x5/(x2^2+1) + x4*cos(x3*x5), x1*x2*x3*x4*x5 + sin(x1^2+x2^2), exp(x3*x4) - x5^3*x1"
LONG = "exp(sin(t^2))*(t^2 + 1)^5*log(t^4 + t^3 + t^2 + t + 1)*atan(t^3)*cosh(t/7)"
SPARSE = "sin(x1*x2*x3*x4*x5*x6*x7*x8*x9*x10*x11*x12*x13)"  # 13 columns: listed as sparse
HESS = "x1^3*x2*x3 + x2^2*x4*cos(x3) + x1*x4^3*sin(x2) + x3^2*x4^2*x1"

#: name -> (command line, the same through the Python API)
CASES: dict[str, tuple[list[str], Callable[[], Report]]] = {
    "wide": (["jac", WIDE], lambda: commands.jac([WIDE])),
    "wide_at": (
        ["jac", WIDE, "--at", "1/3,2,pi/7,-5,7/11"],
        lambda: commands.jac([WIDE], at="1/3,2,pi/7,-5,7/11"),
    ),
    "long_entry": (["jac", LONG], lambda: commands.jac([LONG])),
    "hessian": (["hessian", HESS], lambda: commands.hessian([HESS])),
    "sparse": (["jac", SPARSE], lambda: commands.jac([SPARSE])),
    "big_number": (["jac", "x^5000/3", "--at", "10"], lambda: commands.jac(["x^5000/3"], at="10")),
}


def run_in_terminal(args: list[str], cols: int) -> tuple[int, str]:
    """Run ``jacobi ARGS`` on a pseudo-terminal ``cols`` wide; the screen text without ANSI."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, cols, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(COLUMNS=str(cols), LINES="60", TERM="xterm-256color", JACOBI_NO_PROGRESS="1")
    proc = subprocess.Popen(
        [JACOBI, *args], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=300)
    return code, ANSI.sub("", b"".join(chunks).decode()).replace("\r", "")


def entries(report: Report) -> list[str]:
    """Every entry of every block, in the pretty notation, and its float where one is shown."""
    from jacobi.math.evaluate import float_text

    out = []
    for block in report.blocks:
        out += [pretty.entry_text(e) for e in block.matrix]
        if not block.scalar and block.floats is not None:
            out += [float_text(e) for e in block.matrix]
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def assert_complete(screen: str, report: Report, cols: int) -> None:
    assert "…" not in screen
    flat = squeeze(screen)
    for entry in entries(report):
        assert squeeze(entry) in flat, entry
    assert_brackets_intact(screen)
    assert all(len(line) <= cols for line in screen.splitlines())


def assert_brackets_intact(screen: str) -> None:
    """Each row of a bracketed matrix is one line with both of its brackets."""
    lines = screen.splitlines()
    for k, line in enumerate(lines):
        for left, right in (("⎡", "⎤"), ("⎢", "⎥"), ("⎣", "⎦")):
            if left in line:
                assert right in line, line
        if "⎡" in line or "⎢" in line:  # the matrix goes on: the next line is its next row
            assert "⎢" in lines[k + 1] or "⎣" in lines[k + 1], lines[k : k + 2]


@pytest.mark.parametrize("cols", [40, 80, 120])
@pytest.mark.parametrize("case", sorted(CASES))
def test_terminal_shows_every_character(case: str, cols: int) -> None:
    args, build = CASES[case]
    code, screen = run_in_terminal(args, cols)
    assert code == 0, screen
    assert "\x1b" not in screen
    assert_complete(screen, build(), cols)


def test_terminal_keeps_the_table_when_it_fits() -> None:
    code, screen = run_in_terminal(["jac", "x+y, x*y", "--at", "-1,2"], 80)
    assert code == 0
    assert "⎡" in screen and "⎦" in screen
    assert "one entry per line" not in screen
    assert_brackets_intact(screen)


def render(report: Report, width: int) -> str:
    out = io.StringIO()
    pretty.render(report, out, color=False, width=width)
    return out.getvalue()


@pytest.mark.parametrize("width", [20, 40, 80, 200])
@pytest.mark.parametrize("case", sorted(CASES))
def test_render_at_any_width(case: str, width: int) -> None:
    report = CASES[case][1]()
    assert_complete(render(report, width), report, width)


def test_too_wide_lists_entries_with_labels() -> None:
    text = render(commands.jac([WIDE]), 80)
    assert "3×5 matrix, one entry per line (too wide for 80 columns):" in text
    assert "∂f1/∂x5 = x1^2/(x2^2 + 1) - x3·x4·sin(x3·x5)" in text
    assert "∂f3/∂x2 = 0" in text
    hess = render(commands.hessian([HESS]), 40)
    assert "∂²f/∂x1∂x3 = 3·x1^2·x2 + 2·x3·x4^2" in hess
    denominator = render(commands.jac([WIDE], layout="denominator"), 80)
    assert "∂f2/∂x4 = x1·x2·x3·x5" in denominator


@pytest.mark.parametrize(
    ("args", "shape"),
    [
        (lambda: commands.hessian(["0"]), "0×0"),
        (lambda: commands.hessian(["5"]), "0×0"),
        (lambda: commands.jac(["5"]), "1×0"),
        (lambda: commands.grad(["5"]), "1×0"),
    ],
)
def test_empty_matrix(args: Callable[[], Report], shape: str) -> None:
    assert f"{shape} matrix: no entries" in render(args(), 80)
