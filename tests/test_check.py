"""``jacobi check``: wrong entries are named, right answers in another form pass,
and the finite-difference check follows MML §5.2."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLDEN, Result
from jacobi import function, jacobian
from jacobi.check import STEP, THRESHOLD, compare_matrices, gradient_check, relative_error
from jacobi.parse import symbol

x, y = symbol("x"), symbol("y")


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
    ("dh", "df", "expected"),
    [
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        ([1.0], [3.0], 0.5),  # sqrt(4/16)
        ([1.0, 0.0], [0.0, 1.0], 1.0),  # sqrt(2/2)
        ([0.0], [0.0 + 1e-20], 1.0),
    ],
)
def test_relative_error_by_hand(dh: list[float], df: list[float], expected: float) -> None:
    assert relative_error(dh, df) == pytest.approx(expected)


def test_step_is_cube_root_of_epsilon() -> None:
    assert pytest.approx(2.0 ** (-52 / 3), rel=1e-12) == STEP
    assert 5e-6 < STEP < 7e-6
    assert THRESHOLD == 1e-6


def test_gradient_check_catches_a_wrong_jacobian() -> None:
    f = function("x^3 y")
    wrong = sympy.Matrix([[3 * x**2 * y, x**3 + 1e-5]])
    right = jacobian(f)
    points = [[0.5, 1.5], [-1.2, 0.3]]
    assert all(c.ok for c in gradient_check(f, right, points))
    assert not any(c.ok for c in gradient_check(f, wrong, points))


def test_compare_matrices_names_the_point_where_entries_differ() -> None:
    (v,) = compare_matrices(sympy.Matrix([[x * y]]), sympy.Matrix([[x + y]]))
    assert v.status == "wrong"
    assert set(v.witness) == {"x", "y"}
    px, py = v.witness["x"], v.witness["y"]
    assert v.correct_value == pytest.approx(px * py)
    assert v.given_value == pytest.approx(px + py)


def test_compare_matrices_skips_points_outside_the_domain() -> None:
    # sqrt(x)^2 = x only for x >= 0: random points with x < 0 are skipped, not failed.
    (v,) = compare_matrices(sympy.Matrix([[sympy.sqrt(x) ** 2]]), sympy.Matrix([[x]]))
    assert v.ok


polys = st.lists(st.integers(-5, 5), min_size=1, max_size=5)


@settings(max_examples=8, deadline=None)
@given(polys, polys)
def test_property_polynomial_jacobian_passes_the_gradient_check(a: list[int], b: list[int]) -> None:
    p = sum(c * x**k * y ** (k % 3) for k, c in enumerate(a)) + sum(
        c * sympy.sin(k * x + y) for k, c in enumerate(b)
    )
    f = function(str(p).replace("**", "^"), variables="x,y")
    checks = gradient_check(f, jacobian(f), [[0.7, -0.4], [1.3, 0.9]])
    assert all(c.ok for c in checks), [c.error for c in checks]


@settings(max_examples=25, deadline=None)
@given(polys)
def test_property_expanded_and_factored_derivatives_agree(a: list[int]) -> None:
    p = sum(c * (x + 1) ** k for k, c in enumerate(a))
    d = sympy.diff(p, x)
    verdicts = compare_matrices(sympy.Matrix([[sympy.expand(d)]]), sympy.Matrix([[d]]))
    assert all(v.ok for v in verdicts)
    off = compare_matrices(sympy.Matrix([[d]]), sympy.Matrix([[d + x / 7 + 1]]))
    assert not any(v.ok for v in off)


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
