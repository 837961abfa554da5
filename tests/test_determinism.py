"""Same input, same output: under load, with any number of jobs, byte for byte.

Optional work (simplification, solving, verification) is bounded by counts, never
by seconds (:mod:`jacobi.simplify`), so a busy machine must print exactly what an
idle one prints. These tests run the README examples, the golden cases and a
batch while busy loops keep every core saturated, and compare with the goldens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from test_docs import EXAMPLES, check_example

from conftest import GOLDEN, ROOT, SAMPLES, run_cli

# The golden cases' table lives with the CLI tests (tests/cli/test_cli_calculus.py).
sys.path.insert(0, str(ROOT / "tests" / "cli"))
from test_cli_calculus import CASES, SUFFIX  # noqa: E402


@contextmanager
def saturated() -> Iterator[None]:
    """Busy loops on twice as many processes as there are cores (as ../shared/tools/under-load)."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(2 * (os.cpu_count() or 1))
    ]
    time.sleep(0.3)  # let them start spinning
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


@pytest.fixture(scope="module")
def busy() -> Iterator[None]:
    with saturated():
        yield


def test_readme_examples_under_load(busy: None) -> None:
    for cmd, expected, stdin in EXAMPLES:
        check_example(cmd, expected, stdin)


def test_golden_cases_under_load(busy: None) -> None:
    for case, args in sorted(CASES.items()):
        for fmt, suffix in SUFFIX.items():
            result = run_cli([*args, "--format", fmt])
            assert result.code == 0, (case, fmt, result.err)
            golden = (GOLDEN / f"{case}.{suffix}").read_text(encoding="utf-8")
            assert result.out == golden, (case, fmt)


def _rows(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_batch_rows_are_the_same_with_any_jobs_under_load(busy: None) -> None:
    path = str(SAMPLES / "problems.toml")
    one = run_cli(["batch", path, "-f", "json", "-j", "1"])
    three = run_cli(["batch", path, "-f", "json", "-j", "3"])
    assert one.code == three.code
    by_case = lambda r: r["case"]  # noqa: E731
    assert sorted(_rows(one.out), key=by_case) == sorted(_rows(three.out), key=by_case)


def test_simplification_heavy_entries_are_the_same_idle_and_busy() -> None:
    """The issue's own examples: each gave another form on a loaded machine."""
    commands = [
        ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
        ["det", "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)", "--vars", "a,b", "--singular"],
        [
            "det",
            "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
            "--vars",
            "r,theta,phi",
        ],
    ]
    idle = [run_cli(c).out for c in commands]
    with saturated():
        loaded = [run_cli(c).out for c in commands]
    assert loaded == idle
    assert "t**2*(-3*t*sin(t)**2 + 2*t + 3*sin(t)*cos(t))" in idle[0]
    assert "l1*l2*sin(b)" in idle[1]
    assert "r**2*sin(theta)" in idle[2]


HASH_CASES = [
    ["jac", "sign(x)*sign(x+y)", "--at", "0,0"],  # which kink is named
    ["jac", "atan2(y, x) + atan2(y, x - 1)", "--at", "-1,0"],  # which branch cut
    ["det", "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)", "--vars", "a,b", "--singular"],
    ["det", "x^2-y^2, 2x y, z", "--singular"],
    ["jac", "abs(x - y) + max(x, z)", "--points", "-"],
    ["check", "x y/(x^2 + y^2)", "--samples", "3", "-f", "json"],
]


#: Runs every HASH_CASES case in one process (one per hash seed, not one per case and seed):
#: each case through jacobi.cli.main, with its stdin, stdout and stderr captured.
_HASH_DRIVER = """
import io, json, sys
from contextlib import redirect_stderr, redirect_stdout
from jacobi.cli.app import main
out = []
for args, stdin in json.loads(sys.argv[1]):
    sys.stdin = io.StringIO(stdin or "")
    o, e = io.StringIO(), io.StringIO()
    with redirect_stdout(o), redirect_stderr(e):
        code = main(args)
    out.append([code, o.getvalue(), e.getvalue()])
print(json.dumps(out))
"""


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Sets of SymPy atoms iterate in an order that follows PYTHONHASHSEED: whatever the
    output names first (a kink, a factor) must not come from such an order."""
    cases = [[a, "x,y,z\n0,0,0\n1,1,1\n" if "--points" in a else None] for a in HASH_CASES]
    procs = [  # the four interpreters run at once: their outputs are compared, not timed
        subprocess.Popen(
            [sys.executable, "-c", _HASH_DRIVER, json.dumps(cases)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "JACOBI_NO_PROGRESS": "1"},
        )
        for seed in ("0", "1", "2", "3")
    ]
    runs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        runs.append(json.loads(out))
    for k, args in enumerate(HASH_CASES):
        outs = {tuple(run[k][:1]) + tuple(run[k][1:]) for run in runs}
        assert len(outs) == 1, args
        assert runs[0][k][1] or runs[0][k][2], args  # something was printed
