"""The command line: exact output in every format, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, SAMPLES, run_cli

SEED = ["jac", "x+y, x*y", "--at", "-1,2"]


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        ([*SEED, "--format", "plain"], "jac_seed001.plain"),
        (SEED, "jac_seed001.plain"),  # not a terminal: plain is the default
        ([*SEED, "--format", "latex"], "jac_seed001.tex"),
        ([*SEED, "--format", "json"], "jac_seed001.json"),
        (["jac", "x+y, x*y", "-f", "latex"], "jac_seed001_symbolic.tex"),
        (["jac", "x+y, x*y", "-f", "latex", "--latex-env", "pmatrix"], "jac_seed001_pmatrix.tex"),
        (["jac", f"@{SAMPLES / 'seed001.txt'}", "--at", "x=-1,y=2"], "jac_seed001.plain"),
    ],
)
def test_seed_example_golden(args: list[str], golden: str) -> None:
    result = run_cli(args)
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out == (GOLDEN / golden).read_text(encoding="utf-8")


def test_seed_example_json_values() -> None:
    data = json.loads(run_cli([*SEED, "--format", "json"]).out)
    assert data["command"] == "jac"
    assert data["variables"] == ["x", "y"]
    assert data["shape"] == [2, 2]
    assert data["result"] == [["1", "1"], ["y", "x"]]
    assert data["at"] == {"x": "-1", "y": "2"}
    assert data["value"] == [["1", "1"], ["2", "-1"]]
    assert data["numeric"] == [[1.0, 1.0], [2.0, -1.0]]
    # "result" is in SymPy syntax that jacobi's own parser reads back
    from jacobi.lang.parse import parse_expression

    assert [[str(parse_expression(e)) for e in row] for row in data["result"]] == data["result"]


def test_seed_example_pretty() -> None:
    result = run_cli([*SEED, "--format", "pretty"])
    assert result.code == 0
    out = result.out
    for fragment in ("2×2", "∂/∂x", "∂/∂y", "f1", "f2", "⎡", "⎦", "at x = -1, y = 2"):
        assert fragment in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal


def test_stdin_and_files() -> None:
    piped = run_cli(["jac", "-", "--at", "-1,2"], stdin="x + y\nx*y\n")
    assert piped.code == 0
    assert piped.out == (GOLDEN / "jac_seed001.plain").read_text(encoding="utf-8")
    missing = run_cli(["jac", "@does/not/exist.txt"])
    assert missing.code == 2
    assert missing.err.startswith("jacobi: error: no such file")


def test_several_arguments_are_components() -> None:
    data = json.loads(run_cli(["jac", "x+y", "x*y", "-f", "json"]).out)
    assert data["result"] == [["1", "1"], ["y", "x"]]


def test_layout_denominator_is_transpose() -> None:
    data = json.loads(run_cli(["jac", "x+y, x*y, x", "--layout", "denominator", "-f", "json"]).out)
    assert data["shape"] == [2, 3]
    assert data["result"] == [["1", "y", "1"], ["1", "x", "0"]]


def test_params_and_vars() -> None:
    data = json.loads(run_cli(["jac", "a*x^2 + y", "--vars", "x,y", "-f", "json"]).out)
    assert data["variables"] == ["x", "y"]
    assert data["parameters"] == {"a": None}
    assert data["result"] == [["2*a*x", "1"]]
    data = json.loads(run_cli(["jac", "a*x^2", "-p", "a=1/3", "--at", "3", "-f", "json"]).out)
    assert data["parameters"] == {"a": "1/3"}
    assert data["value"] == [["2"]]


def test_exact_values_with_floats_alongside() -> None:
    result = run_cli(["jac", "sin(x)", "--at", "pi/4"])
    assert result.code == 0
    assert "sqrt(2)/2" in result.out
    assert "0.707106781187" in result.out


# (args, exit code, first line of stderr starts with)
ERRORS = [
    (["jac", "x+"], 2, "jacobi: error: "),
    (["jac", "x+y", "--at", "1"], 2, "jacobi: error: --at has 1 value"),
    (["jac", "x+y", "--bogus"], 2, "jacobi: error: No such option"),
    (["jac"], 2, "jacobi: error: Missing argument"),
    (["frobnicate"], 2, "jacobi: error: No such command"),
    (["jac", "x*y/(x^2+y^2)", "--at", "0,0"], 3, "jacobi: error: the function component f"),
    (["jac", "abs(x)", "--at", "0"], 3, "jacobi: error: entry (1, 1)"),
    (["jac", "log(x)", "--at", "-1"], 3, "jacobi: error: the function component f"),
    (["jac", "9**9**9"], 4, "jacobi: error: "),
    (["jac", "x", "--standalone"], 2, "jacobi: error: --standalone needs --format latex"),
]


@pytest.mark.parametrize(("args", "code", "start"), ERRORS)
def test_errors_are_one_clear_line(args: list[str], code: int, start: str) -> None:
    result = run_cli(args)
    assert result.code == code
    assert result.out == ""
    assert result.err.startswith(start)
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) in (1, 3)  # one line, or one line plus the input with a caret
    if len(lines) == 3:
        assert lines[2].strip() == "^"


HOSTILE = [
    "__import__('os').system('touch /tmp/jacobi-pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.diff.__globals__",
    "lambda: 0",
    "'a'*10**9",
    "9**9**9",
    "10**10**100",
    "2^2^2^2^2^2",
    "(" * 10_000 + "x" + ")" * 10_000,
    "-" * 10_000 + "x",
    "x+" * 500_000 + "x",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: t[:30])
def test_hostile_input_fails_fast_and_safely(text: str) -> None:
    marker = Path("/tmp/jacobi-pwned")
    marker.unlink(missing_ok=True)
    start = time.perf_counter()
    result = run_cli(["jac", text])
    elapsed = time.perf_counter() - start
    assert result.code in (2, 4)
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) <= 3
    assert not marker.exists()
    assert elapsed < 2.0


def test_traceback_only_on_request() -> None:
    result = run_cli(["--traceback", "jac", "x+"])
    assert result.code == 2
    assert "Traceback" in result.err


def test_help_and_version_do_not_import_sympy() -> None:
    code = (
        "import sys\n"
        "from jacobi.cli.app import main\n"
        "for args in (['--help'], ['--version'], ['jac', '--help']):\n"
        "    assert main(args) == 0\n"
        "print('sympy' in sys.modules, 'rich' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_version_comes_from_metadata() -> None:
    from importlib.metadata import version

    result = run_cli(["--version"])
    assert result.code == 0
    assert result.out.strip() == f"jacobi, version {version('jacobi-cli')}"


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "jacobi", *SEED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert out.stdout == (GOLDEN / "jac_seed001.plain").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        SEED,
        [*SEED, "--latex-env", "pmatrix"],
    ],
)
def test_standalone_latex_compiles(args: list[str], latex_pdf: Callable[[str], Path]) -> None:
    result = run_cli([*args, "--format", "latex", "--standalone"])
    assert result.code == 0
    assert result.out.startswith("\\documentclass")
    assert "\\usepackage{amsmath}" in result.out
    latex_pdf(result.out)


def test_scalar_commands_do_not_load_the_matrix_language() -> None:
    # Start-up is measured in benchmarks/startup.py; this guards the cheap part of it.
    code = (
        "import sys\n"
        "from jacobi.cli.app import main\n"
        "assert main(['jac', 'x+y, x*y', '--at', '-1,2']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('jacobi.matrix')))\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip().splitlines()[-2:] == ["[]", "False"]


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_timeout_must_be_a_finite_number(value: str) -> None:
    result = run_cli(["jac", "x", "--timeout", value])
    assert result.code == 2
    assert result.err.startswith("jacobi: error: Invalid value for '--timeout'")


def test_huge_values_do_not_stall_the_float_column() -> None:
    # exp(exp(exp(20))) is exact and finite, but evalf of it would run for minutes.
    # A fresh process, as a user runs it (in-process runs share SymPy's caches).
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jacobi",
            "jac",
            "exp(exp(exp(x)))",
            "--at",
            "20",
            "--timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "exp(exp(exp(20)))" in result.stdout


def test_byte_order_mark_in_files_is_ignored(tmp_path: Path) -> None:
    src = tmp_path / "f.txt"
    src.write_bytes("\ufeffx + y\nx*y\n".encode())
    result = run_cli(["jac", f"@{src}", "--at", "-1,2"])
    assert result.code == 0, result.err
    assert result.out == (GOLDEN / "jac_seed001.plain").read_text(encoding="utf-8")


# ------------------------------------------------------------ expressions that start with '-'

# (command, expressions, options)
LEADING_MINUS = [
    ("det", ["-2*x1 + x2, x1 + x2"], []),
    ("jac", ["-x^2 + y"], ["--at", "-1,2"]),
    ("jac", ["-(x+y), x*y"], ["-f", "json"]),
    ("jac", ["-sin(t)", "-.5t"], []),
    ("jac", ["-2x", "x"], ["--vars", "x"]),
    ("jac", ["-x1*x2"], ["-v", "x2,x1"]),
    ("jac", ["-pi/2*x"], []),
    ("jac", ["-a x + 1"], ["--vars", "x"]),
    ("jac", ["-v*w + 1"], []),
    ("grad", ["-x*y"], ["--layout", "denominator"]),
    ("hessian", ["-x^3*y"], []),
    ("linearize", ["-x^2"], ["--at", "1"]),
    ("jvp", ["-x*y"], ["--vector", "1,-2"]),
    ("vjp", ["-x*y, x"], ["--vector", "-1,2"]),
    ("check", ["-x^2"], ["--against", "[-2x]"]),
    ("chain", ["-u^2", "-2t"], []),
    ("mjac", ["-x^T x"], ["--vector", "x:2"]),
]


@pytest.mark.parametrize(("command", "exprs", "options"), LEADING_MINUS, ids=str)
def test_expression_may_start_with_minus(
    command: str, exprs: list[str], options: list[str]
) -> None:
    # Typed as printed in a textbook, it means what '--' before it makes it mean.
    result = run_cli([command, *exprs, *options])
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out == run_cli([command, *options, "--", *exprs]).out
    assert result.out == run_cli([command, *options, *exprs]).out  # options first: the same


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["jac", "x+y, x*y", "-a-1,2"], "jac_seed001.plain"),
        (["jac", "x+y, x*y", "--at=-1,2"], "jac_seed001.plain"),
        (["jac", "-a", "-1,2", "x+y, x*y", "-fplain"], "jac_seed001.plain"),
        (["jac", "-fjson", "x+y, x*y", "--at", "-1,2"], "jac_seed001.json"),
        (["jac", "x+y", "x*y", "--at", "-1,2", "-f", "json"], "jac_seed001.json"),
    ],
)
def test_options_still_work_around_expressions(args: list[str], golden: str) -> None:
    result = run_cli(args)
    assert result.code == 0, result.err
    assert result.out == (GOLDEN / golden).read_text(encoding="utf-8")


def test_help_is_still_an_option() -> None:
    for args in (["jac", "-h"], ["jac", "x", "-h"], ["det", "-2x", "--help"]):
        result = run_cli(args)
        assert result.code == 0
        assert result.out.startswith("Usage: jacobi ")


@pytest.mark.parametrize("args", [["jac", "x", "-q"], ["jac", "-q"], ["chain", "u^2", "-t"]])
def test_a_dashed_name_is_an_unknown_option_with_a_hint(args: list[str]) -> None:
    # 'jac x -q' must not silently become the function [x, -q].
    result = run_cli(args)
    assert result.code == 2
    name = args[-1]
    assert result.err.startswith(f"jacobi: error: No such option '{name}'")
    assert f"write '({name})' or put '--' before it" in result.err
    assert len(result.err.splitlines()) == 1


# ------------------------------------------------------------------- a stray value after --at

STRAY = [
    (["jac", "x^2", "--at", "1", "2"], "'2' after '--at 1'", "--at 1,2"),
    (["jac", "x^2", "--at", "1,", "2"], "'2' after '--at 1,'", "--at 1,2"),
    (["jac", "x*y", "-a", "-1", "-2"], "'-2' after '-a -1'", "-a -1,-2"),
    (["jac", "x*y", "--at=1", "1/3"], "'1/3' after '--at 1'", "--at 1,1/3"),
    (["jac", "x*y", "--at", "x=1", "y=2"], "'y=2' after '--at x=1'", "--at x=1,y=2"),
    (["det", "x*y, x", "--at", "1", "2.5"], "'2.5' after '--at 1'", "--at 1,2.5"),
    (["jvp", "x*y", "--vector", "1", "2"], "part of the vector", "--vector 1,2"),
    (["jac", "a*x", "-p", "a=1", "b=2", "--vars", "x"], "another parameter", "-p a=1,b=2"),
]


@pytest.mark.parametrize(("args", "what", "fix"), STRAY, ids=lambda v: str(v))
def test_stray_value_after_at_is_refused(args: list[str], what: str, fix: str) -> None:
    result = run_cli(args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("jacobi: error: ")
    assert what in result.err
    assert f"in one argument, {fix}" in result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["jac", "--at", "1", "x^2"],  # the point first, then the expression
        ["jac", "x+y", "--at", "1,2", "x*y"],  # an expression after the point
        ["jac", "x*y", "--at", "1,2", "--format", "json"],
    ],
)
def test_expressions_after_the_point_are_fine(args: list[str]) -> None:
    assert run_cli(args).code == 0


def test_at_help_says_one_argument() -> None:
    out = " ".join(run_cli(["jac", "--help"]).out.split())
    assert "given as one argument" in out
    assert "not --at -1 2" in out


@pytest.mark.parametrize(
    "args", [["jac", "x", "--7layout", "d"], ["jac", "--x"], ["jac", "x", "--"]]
)
def test_double_dash_words_are_options(args: list[str]) -> None:
    # '--7layout' is a mistyped option, never the expression -(-7*layout).
    result = run_cli(args)
    if args[-1] == "--":
        assert (result.code, result.err) == (0, "")
    else:
        assert result.code == 2
        assert result.err.startswith(
            f"jacobi: error: No such option '{args[-2 if len(args) > 3 else -1]}'"
        )


def test_internal_error_code_is_one_number() -> None:
    # One classify() for the CLI and batch: a bug is exit 5 in both, and --help says so.
    from jacobi.batch.run import error_row
    from jacobi.cli.build import EXIT_HELP
    from jacobi.errors import EXIT_INTERNAL, classify

    assert classify(ZeroDivisionError("x")).exit_code == EXIT_INTERNAL == 5
    row = error_row(classify(ZeroDivisionError("x"), advice="report it"))
    assert (row["exit_code"], row["error"]) == (5, "internal")
    assert "5  internal error" in EXIT_HELP
