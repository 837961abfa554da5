"""The hard ``--timeout``: a watchdog that ends the process, never an interrupt inside a library."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, run_cli
from jacobi.cli.watchdog import Watchdog, timeout_message

#: det J of a dense 8×8 matrix of parameters: 8! = 40,320 terms, seconds of work (a 9×9 is
#: refused by its size at once: see test_a_determinant_too_large_is_refused_by_its_size).
SLOW_DET = [
    "det",
    ", ".join(" + ".join(f"a{i}{j}*x{j + 1}" for j in range(8)) for i in range(8)),
    "--vars",
    ",".join(f"x{j + 1}" for j in range(8)),
]


def test_a_determinant_too_large_is_refused_by_its_size() -> None:
    nine = ", ".join(" + ".join(f"a{i}{j}*x{j + 1}" for j in range(9)) for i in range(9))
    result = run_cli(["det", nine, "--vars", ",".join(f"x{j + 1}" for j in range(9))])
    assert result.code == 4
    assert "too large to expand" in result.err and "362,880 terms" in result.err


def _jacobi(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jacobi", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_slow_command_ends_with_exit_4_and_one_line(fmt: str) -> None:
    start = time.monotonic()
    result = _jacobi(*SLOW_DET, "--timeout", "1", "--format", fmt)
    elapsed = time.monotonic() - start
    assert result.returncode == 4, result.stderr
    assert result.stdout == ""  # nothing half-written
    assert result.stderr == (
        "jacobi: error: the computation took longer than 1 s "
        "(simplify the input, or raise the limit with --timeout (0: no limit))\n"
    )
    assert elapsed < 30


def test_the_deadline_does_not_leak_into_the_next_call() -> None:
    # The old module global kept the first call's deadline: 1.5 s later a call with
    # --timeout 0 failed with "rendering the result took longer than 0.001 s".
    code = (
        "import sys, time\n"
        "from jacobi.cli import main\n"
        "# owns_process: as the jacobi command, with the watchdog armed\n"
        "assert main(['jac', 'x', '--timeout', '1'], owns_process=True) == 0\n"
        "time.sleep(1.5)\n"
        "sys.exit(main(['det', 'x+y, x*y', '--at', '-1,2', '--timeout', '0'], owns_process=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "det J(-1, 2) = -3" in result.stdout


def test_in_process_calls_leave_no_watchdog_running() -> None:
    for _ in range(3):
        assert run_cli(["jac", "x*y", "--timeout", "0.5"]).code == 0
        assert run_cli(["jac", "x+", "--timeout", "0.5"]).code == 2  # an error cancels it too
    time.sleep(0.1)
    assert not [t for t in threading.enumerate() if t.name == "jacobi-timeout" and t.is_alive()]
    time.sleep(0.6)  # past every deadline: this process is still here
    assert run_cli(["jac", "x", "--timeout", "0"]).code == 0


def test_watchdog_fires_once_without_touching_the_main_thread() -> None:
    fired: list[str] = []
    with Watchdog(0.05, on_expiry=fired.append):
        time.sleep(0.3)  # no exception lands here
    assert fired == [timeout_message(0.05)]


def test_cancelled_watchdog_never_fires() -> None:
    fired: list[str] = []
    dog = Watchdog(0.1, on_expiry=fired.append).start()
    dog.cancel()
    time.sleep(0.3)
    assert fired == []
    assert not dog.active


@pytest.mark.parametrize("seconds", [None, 0, 0.0])
def test_no_limit(seconds: float | None) -> None:
    assert not Watchdog(seconds).start().active


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError, "jacobi: error: the expression is nested too deeply to process\n"),
        (MemoryError, "jacobi: error: the computation ran out of memory\n"),
    ],
)
def test_recursion_and_memory_are_exit_4(
    monkeypatch: pytest.MonkeyPatch, error: type[BaseException], message: str
) -> None:
    import jacobi.commands.jac

    def boom(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(jacobi.commands.jac, "jacobian", boom)
    result = run_cli(["jac", "x"])
    assert (result.code, result.out, result.err) == (4, "", message)


def test_help_says_zero_is_no_limit() -> None:
    out = " ".join(run_cli(["jac", "--help"]).out.split())
    assert "--timeout SECONDS" in out
    assert "(0: no limit)" in out


#: About 7 s (a dense 8×8 determinant with symbolic entries): longer than its --timeout 1.
DET8 = [
    "det",
    ", ".join(" + ".join(f"a{i}{j}*x{j + 1}" for j in range(8)) for i in range(8)),
    "--vars",
    ",".join(f"x{j + 1}" for j in range(8)),
]


def test_a_call_from_python_is_never_ended_by_the_watchdog() -> None:
    # main([...]) from Python (a notebook, these tests) must not os._exit the caller.
    code = (
        "import sys\n"
        "from jacobi.cli.app import main\n"
        f"code = main({[*DET8, '--timeout', '1']!r})\n"
        "print('still here', code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert "still here 0" in result.stdout, result.stderr
