"""``jacobi check`` (:mod:`jacobi.commands.check`): wrong entries are named, right answers
in another form pass, and the finite-difference check follows MML §5.2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy

from conftest import GOLDEN, Result
from jacobi.commands.check import _ascii, declared_names, entry_labels, gradient_check
from jacobi.commands.jac import jac as jac_report

# (function, --against, extra options, exit code, a line that must be in stdout)
AGAINST = [
    ("x+y, x*y", "[[1, 1], [y, x]]", [], 0, "check: passed: all 4 entries are right"),
    (
        "x+y, x*y",
        "[[1, 1], [x, x]]",
        [],
        1,
        "wrong: entry (2, 1) df2/dx: given x, correct y",
    ),
    (
        "x+y, x*y",
        "[[1, 0], [y, y]]",
        [],
        1,
        "check: failed: 2 of 4 entries are wrong",
    ),
    # Right but written differently from SymPy's 1 - tanh(x)^2: confirmed numerically.
    (
        "tanh(x)",
        "sech(x)^2",
        [],
        0,
        "sech(x)**2 equals 1 - tanh(x)**2 at 15 random points in [-10000, 10000]; "
        "not proved symbolically",
    ),
    ("tanh(x)", "1/cosh(x)^2", [], 0, "check: passed: the entry is equal at "),
    # Tiny constant differences are wrong, not "equal to 12 digits".
    ("x^2/2", "x + 10^-30", [], 1, "check: failed: 1 of 1 entry is wrong"),
    ("x^2/2", "x + 1e-12", [], 1, "(they differ by 1/1000000000000)"),
    ("x^2/2", "x - 10^-40", [], 1, "check: failed"),
    # Differences only far from 0 are caught by the wide sample range.
    ("x^2/2", "x + relu(x - 100)", [], 1, "wrong: entry (1, 1) df/dx"),
    ("x^2/2", "x + heaviside(x - 1000)", [], 1, "wrong: entry (1, 1) df/dx"),
    ("x^2/2", "x - relu(-x - 5000)", [], 1, "wrong: entry (1, 1) df/dx"),
    ("x^2/2", "x*(1 + 10^-15)", [], 1, "wrong: entry (1, 1) df/dx"),
    ("tanh(x)", "1/cosh(x)^2 + 1/1000", [], 1, "wrong: entry (1, 1) df/dx"),
    # Equal to 30 digits is not equal: the difference itself is evaluated.
    ("exp(x)", "exp(x) + 10^-25 exp(x)", [], 1, "(differs by "),
    ("exp(x)", "exp(x) (1 + 10^-40)", [], 1, "wrong: entry (1, 1) df/dx"),
    # Right where f is defined (x > 1); the two forms differ in sign for x < -1.
    ("acosh(x)", "1/sqrt(x^2 - 1)", [], 0, "check: passed: the entry is equal at "),
    ("acosh(x)", "-1/sqrt(x^2 - 1)", [], 1, "wrong: entry (1, 1) df/dx"),
    # d/dx (tanh^2 + sech^2) = d/dx 1 = 0: SymPy's form cancels to 0 at every point.
    ("tanh(x)^2 + sech(x)^2", "0", [], 0, "check: passed: the entry is equal at 24"),
    ("tanh(x)^2 + sech(x)^2", "1/x", [], 1, "wrong: entry (1, 1) df/dx"),
    ("sin(x) cos(x)", "cos(2x)", [], 0, "check: passed: the entry is right"),
    ("sin(x) cos(x)", "cos(x)^2", [], 1, "given cos(x)**2, correct"),
    ("x/(1 + x^2)", "(1 - x^2)/(1 + x^2)^2", [], 0, "check: passed"),
    ("x^2 + y^2", "[2x, 2y]", [], 0, "check: passed: all 2 entries are right"),  # gradient row
    ("x^2 + y^2", "[[2x], [2y]]", ["--layout", "denominator"], 0, "check: passed"),
    ("x+y, x*y", "[[1, y], [1, x]]", ["--layout", "denominator"], 0, "check: passed"),
    ("a x", "[a]", ["-v", "x", "-p", "a=2"], 0, "check: passed"),
    ("a x", "[2]", ["-v", "x", "-p", "a=2"], 0, "check: passed"),
    ("x+y, x*y", "[[1, 1], [2, -1]]", ["--at", "-1,2"], 0, "check: passed"),
    ("x+y, x*y", "[[1, 1], [y, x]]", ["--at", "-1,2"], 0, "check: passed"),
    (
        "x+y, x*y",
        "[[1, 1], [2, 2]]",
        ["--at", "-1,2"],
        1,
        "entry (2, 2) df2/dy: given 2, correct -1",
    ),
    # MML example 5.10, h(t) = exp(x1 x2^2) with x = (t cos t, t sin t): the book's answer.
    (
        "exp(t cos(t) (t sin(t))^2)",
        "exp(t cos(t) (t sin(t))^2) ((t sin(t))^2 (cos(t) - t sin(t))"
        " + 2 t cos(t) t sin(t) (sin(t) + t cos(t)))",
        [],
        0,
        "check: passed",
    ),
]


@pytest.mark.parametrize(("exprs", "against", "extra", "code", "line"), AGAINST)
def test_check_against(
    run: Callable[..., Result], exprs: str, against: str, extra: list[str], code: int, line: str
) -> None:
    res = run(["check", exprs, "--against", against, *extra])
    assert res.code == code, res.output
    assert line in res.out
    if code == 0:
        assert res.err == ""
    else:
        assert res.err.startswith("jacobi: error: check failed: ")
        assert len(res.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("exprs", "against", "extra", "message"),
    [
        ("x+y, x*y", "[[1, 1, 1], [y, x, 0]]", [], "--against is 2×3 but the result is 2×2"),
        ("x+y, x*y, x", "[[1, y, 1], [1, x, 0]]", [], "it has the transposed shape"),
        ("x+y", "[[1], [1, 2]]", [], "rows have different lengths"),
        ("x+y", "[1, 1]", ["--samples", "0"], "--samples must be between 1 and 1000"),
    ],
)
def test_check_bad_input_exit_2(
    run: Callable[..., Result], exprs: str, against: str, extra: list[str], message: str
) -> None:
    res = run(["check", exprs, "--against", against, *extra])
    assert (res.code, res.out) == (2, "")
    assert message in res.err


# (function, options, exit code, a line that must be in stdout or stderr)
FINITE_DIFFERENCES = [
    ("x*y, sin(x)", [], 0, "check: passed: finite differences agree with the Jacobian at 5 points"),
    ("exp(x1 x2^2)", ["--samples", "20", "--seed", "7"], 0, "at 20 points"),
    ("x*y/(x^2 + y^2)", [], 0, "check: passed"),  # differentiable away from the origin
    (
        "log(x) + sqrt(y)",
        ["--samples", "3"],
        0,
        "at 3 points",
    ),  # random points off the domain skipped
    ("x+y, x*y", ["--at", "-1,2"], 0, "point 1: x = -1, y = 2: relative error"),
    # Seed 000: not differentiable (not even defined) at the origin.
    ("x*y/(x^2 + y^2)", ["--at", "0,0"], 3, "division by zero in 1/(x**2 + y**2)"),
    ("sqrt(x^2 + y^2)", ["--at", "0,0"], 3, "no derivative at the point 0,0"),
    ("abs(x)", ["--at", "0"], 3, "no derivative at the point 0"),
    # A kink closer than one step: the finite differences see it, the formula does not.
    ("abs(x)", ["--at", "1e-9"], 1, "FAILED"),
    ("sqrt(x)", ["--at", "1e-9"], 3, "undefined within one step"),
    ("a x", ["-v", "x", "--at", "1"], 2, "the parameter a has no value"),
]


@pytest.mark.parametrize(("exprs", "options", "code", "line"), FINITE_DIFFERENCES)
def test_finite_difference_check(
    run: Callable[..., Result], exprs: str, options: list[str], code: int, line: str
) -> None:
    res = run(["check", exprs, *options])
    assert res.code == code, res.output
    assert line in res.out + res.err
    assert "Traceback" not in res.err


def test_check_is_deterministic(run: Callable[..., Result]) -> None:
    first = run(["check", "sin(x y)", "--samples", "4", "--seed", "5"])
    again = run(["check", "sin(x y)", "--samples", "4", "--seed", "5"])
    other = run(["check", "sin(x y)", "--samples", "4", "--seed", "6"])
    assert first.out == again.out != other.out


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["check", "x+y, x*y", "--against", "[[1, 1], [x, x]]"], "check_against.json"),
        (["check", "x y/(x^2 + y^2)", "--samples", "2"], "check_finite_differences.json"),
    ],
)
def test_check_json_golden(run: Callable[..., Result], args: list[str], golden: str) -> None:
    res = run([*args, "--format", "json"])
    assert res.out == (GOLDEN / golden).read_text(encoding="utf-8")


def test_a_count_bound_says_so_and_falls_back_to_points(run: Callable[..., Result]) -> None:
    # (x^2 + 2x + 1)^600 = (x + 1)^1200, but the expansion has far more than
    # SYMBOLIC_MAX_TERMS terms: compared at the seeded points instead, and said so.
    args = ["check", "exp(x)", "--against", "exp(x) + (x+1)^1200 - (x^2+2x+1)^600"]
    res = run(args)
    assert res.code == 0, res.output
    assert "not tried: its expansion has more than 1000 terms" in res.out
    assert "check: passed: the entry is equal at 23 random points" in res.out
    assert run(args).out == res.out
    data = json.loads(run([*args, "--format", "json"]).out)
    assert data["entries"][0]["symbolic"] == "not tried: its expansion has more than 1000 terms"


# ------------------------------------------------------- finite differences where f' = 0


ZERO_DERIVATIVE = [
    ("x^3", "0", "x = 0"),
    ("exp(x) - x", "0", "x = 0"),
    ("(x-1)^2+(y-2)^2+(x-1)^3", "1,2", "x = 1, y = 2"),
    ("1e4 x^3", "0", "x = 0"),
    ("x^2 - 2x + 1", "1", "x = 1"),  # 0 = 1 - 2 + 1: rounding of terms of size 1
    ("sin(x^2 - 2x + 1)", "1", "x = 1"),
    ("cos(x) + sin(y)^2", "0,0", "x = 0, y = 0"),
    ("x y", "0,0", "x = 0, y = 0"),
    ("x^5", "0", "x = 0"),  # an h^4 error: d1 = h^4, d2 = 16 h^4, d4 = 256 h^4
    ("x^4 + x^7 y", "0,1", "x = 0, y = 1"),
    ("sin(x) - x", "0", "x = 0"),
]


@pytest.mark.parametrize(("exprs", "at", "where"), ZERO_DERIVATIVE)
def test_finite_differences_pass_where_the_derivative_is_0(
    run: Callable[..., Result], exprs: str, at: str, where: str
) -> None:
    res = run(["check", exprs, "--at", at])
    assert res.code == 0, res.output
    assert f"point 1: {where}: relative error" in res.out
    assert res.out.splitlines()[-1] == (
        "check: passed: finite differences agree with the Jacobian at 1 point"
    )


def test_the_floor_is_explained_where_it_decides(run: Callable[..., Result]) -> None:
    res = run(["check", "x^3", "--at", "0"])
    # d/dx x^3 = 0 at 0; the central difference is h^2 (h = STEP): relative error 1.
    line = next(s for s in res.out.splitlines() if s.startswith("point 1"))
    assert "relative error 1.0e+00 (>= 1e-06), but every entry is within its absolute" in line
    assert "extrapolated from steps h and 2h" in line
    assert line.endswith(" ok")
    data = json.loads(run(["check", "x^3", "--at", "0", "--format", "json"]).out)
    (point,) = data["points"]
    assert point["passed"] is True
    assert point["relative_error"] == pytest.approx(1.0)
    assert "absolute tolerance" in point["note"]


def test_relu_kink_within_one_step_fails(run: Callable[..., Result]) -> None:
    res = run(["check", "relu(x - 1)", "--at", "1.000000001"])
    assert res.code == 1, res.output
    assert "FAILED" in res.out


# ----------------------------------------------------------------- crashes on ordinary input


def test_a_constant_has_nothing_to_check(run: Callable[..., Result]) -> None:
    res = run(["check", "0"])
    assert (res.code, res.out) == (2, "")
    assert "nothing to check: the function has no variables" in res.err
    res = run(["check", "0", "--vars", "x"])  # d/dx 0 = 0
    assert res.code == 0, res.output


def test_values_near_the_float_limit(run: Callable[..., Result]) -> None:
    res = run(["check", "x^1000", "--samples", "20"])
    assert res.code == 0, res.output
    assert "Traceback" not in res.err
    assert "at 20 points" in res.out
    # 3^1000 = 1.3e477 is beyond float64: a clear limit, exit 4.
    res = run(["check", "x^1000", "--at", "3"])
    assert (res.code, res.out) == (4, "")
    assert "too large for float64" in res.err


@pytest.mark.parametrize("at", ["1e400", "10^400", "-exp(1000)"])
def test_a_point_beyond_float_range_is_a_limit(run: Callable[..., Result], at: str) -> None:
    res = run(["check", "x", "--at", at])
    assert (res.code, res.out) == (4, "")
    assert "the point is beyond float64 range" in res.err


def test_huge_witness_values_stay_valid_json(run: Callable[..., Result]) -> None:
    res = run(["check", "x^1000/1000", "--against", "x^999 + x^998", "--format", "json"])
    assert res.code == 1
    data = json.loads(res.out, parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    (entry,) = data["entries"]
    px = sympy.Rational(str(entry["at"]["x"]))
    # The values are printed to 10 digits, also beyond float range.
    for key, exact in (("correct_value", px**999), ("given_value", px**999 + px**998)):
        assert abs(sympy.Float(entry[key], 15) / exact - 1) < 1e-9


# ------------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("row", "col", "label"),
    [
        ("f2", "∂/∂x", "df2/dx"),
        ("∂/∂x", "f2", "df2/dx"),
        ("f", "∂/∂y", "df/dy"),
        ("∂/∂x", "∂/∂y", "d^2f/dxdy"),
        ("∂/∂x", "∂/∂x", "d^2f/dx^2"),
        ("x", "∂/∂f1", "dx/df1"),
        ("det J", "", "det J"),
        ("f", "f(x0) + J(x0)(x - x0)", ""),
    ],
)
def test_entry_names(row: str, col: str, label: str) -> None:
    assert _ascii(row, col) == label


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            {"command": "hessian", "exprs": "x^3 y", "expect": "[[6x, 3x^2], [3x^2, 0]]"},
            "entry (1, 1) d^2f/dx^2 is 6*x*y, expected 6*x",
        ),
        (
            {"command": "hessian", "exprs": "x^3 y", "expect": "[[6x y, 3x^2], [3x, 0]]"},
            "entry (2, 1) d^2f/dydx is 3*x**2, expected 3*x",
        ),
        (
            {
                "command": "hessian",
                "exprs": "x^3 y",
                "options": {"layout": "denominator"},
                "expect": "[[6x y, 3x], [3x^2, 0]]",
            },
            "entry (1, 2) d^2f/dxdy is 3*x**2, expected 3*x",
        ),
        (
            {"command": "jac", "exprs": "x+y, x*y", "expect": "[[1, 1], [x, x]]"},
            "entry (2, 1) df2/dx is y, expected x",
        ),
        (
            {
                "command": "jac",
                "exprs": "x+y, x*y",
                "options": {"layout": "denominator"},
                "expect": "[[1, x], [1, x]]",
            },
            "entry (1, 2) df2/dx is y, expected x",
        ),
        (
            {
                "command": "grad",
                "exprs": "x y",
                "options": {"layout": "denominator"},
                "expect": "[[x], [x]]",
            },
            "entry (1, 1) df/dx is y, expected x",
        ),
    ],
)
def test_batch_failure_names_the_entry(
    run: Callable[..., Result], tmp_path: Path, case: dict[str, object], message: str
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "c", **case}) + "\n", encoding="utf-8")
    res = run(["batch", str(cases), "--format", "json"])
    assert res.code == 1, res.output
    (row,) = [json.loads(line) for line in res.out.splitlines()]
    assert message in json.dumps(row, ensure_ascii=False)


@pytest.mark.parametrize(
    ("exprs", "layout", "labels"),
    [
        ("x+y, x*y", "numerator", ["df1/dx", "df1/dy", "df2/dx", "df2/dy"]),
        # Denominator layout: rows are the variables, so entry (1, 2) is d f2 / d x.
        ("x+y, x*y", "denominator", ["df1/dx", "df2/dx", "df1/dy", "df2/dy"]),
        ("x^2 + y^2", "numerator", ["df/dx", "df/dy"]),
    ],
)
def test_entry_labels_name_each_entry_row_by_row(
    exprs: str, layout: str, labels: list[str]
) -> None:
    report = jac_report([exprs], layout=layout, inverse=False)
    rows, cols = report.blocks[0].matrix.shape
    positions = [f"entry ({i + 1}, {j + 1})" for i in range(rows) for j in range(cols)]
    assert entry_labels(report) == [f"{p} {n}" for p, n in zip(positions, labels, strict=True)]


def test_declared_names_are_the_variables_then_the_parameters() -> None:
    report = jac_report(["a x + b y"], variables="x,y", params=["b=3"], inverse=False)
    names = declared_names(report)
    assert names[:2] == ["x", "y"]  # so that a claim reads e, pi, ... as f does
    assert sorted(names[2:]) == ["a", "b"]  # with a value or without


def test_the_python_gradient_check_uses_jacobis_float64_code() -> None:
    from jacobi import function, jacobian

    f = function("x*y, sin(x)")
    wrong = sympy.Matrix([[f.variables[1], f.variables[0]], [sympy.sin(f.variables[0]), 0]])
    assert [c.ok for c in gradient_check(f, jacobian(f), [[0.5, 2.0]])] == [True]
    assert [c.ok for c in gradient_check(f, wrong, [[0.5, 2.0]])] == [False]
