"""``jacobi check``: wrong entries are named, right answers in another form pass,
and the finite-difference check follows MML §5.2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLDEN, Result
from jacobi import function, jacobian
from jacobi.lang.parse import symbol
from jacobi.math.check import STEP, THRESHOLD, compare_matrices, gradient_check, relative_error

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


# --------------------------------------------------------------------------- determinism


def test_symbolic_proof_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine 1000 times slower: every clock reading jumps by 100 s. The proof that
    # cos(x)^2 - sin(x)^2 = cos(2x) is bounded by counts, so it still goes through.
    import time

    now = [0.0]

    def slow_clock() -> float:
        now[0] += 100.0
        return now[0]

    monkeypatch.setattr(time, "monotonic", slow_clock)
    monkeypatch.setattr(time, "perf_counter", slow_clock)
    right = sympy.Matrix([[sympy.cos(x) ** 2 - sympy.sin(x) ** 2, 2 * x * y]])
    claim = sympy.Matrix([[sympy.cos(2 * x), y * (x + x)]])
    assert [v.status for v in compare_matrices(right, claim)] == ["proved", "proved"]


def test_check_has_no_time_budget() -> None:
    import jacobi.math.check as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    for word in ("Deadline", "SYMBOLIC_BUDGET", "monotonic", "soft_limit", "jacobi.cli.watchdog"):
        assert word not in source


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


def test_the_entry_bound_says_which_entries_were_not_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    import jacobi.math.check as module

    monkeypatch.setattr(module, "SYMBOLIC_MAX_ENTRIES", 1)
    right = sympy.Matrix([[(x + 1) ** 2, (y + 1) ** 2]])
    claim = sympy.Matrix([[x**2 + 2 * x + 1, y**2 + 2 * y + 1]])
    first, second = compare_matrices(right, claim)
    assert (first.status, first.skipped) == ("proved", "")
    assert (second.status, second.skipped) == ("numeric", "more than 1 entries to prove")


# (difference, proved 0 by the bounded expansion?)
ZERO = [
    (sympy.cos(x) ** 2 - sympy.sin(x) ** 2 - sympy.cos(2 * x), True),
    (sympy.sin(x + y) - sympy.sin(x) * sympy.cos(y) - sympy.cos(x) * sympy.sin(y), True),
    (1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1), True),
    (30 * (x + 1) ** 29 * (sympy.sin(x) ** 2 + sympy.cos(x) ** 2 - 1), True),
    (sympy.cos(x) ** 2 - sympy.cos(2 * x), False),
    (sympy.cos(8 * x) - 2 * sympy.cos(4 * x) ** 2 + 1, False),  # beyond TRIG_MAX_MULTIPLE
]


@pytest.mark.parametrize(("diff", "zero"), ZERO)
def test_bounded_zero_test(diff: sympy.Expr, zero: bool) -> None:
    from jacobi.math.check import _is_zero

    assert _is_zero(diff)[0] is zero


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
    assert point["ok"] is True
    assert point["relative_error"] == pytest.approx(1.0)
    assert "absolute tolerance" in point["note"]


# (function, wrong Jacobian as a function of the variables, point)
WRONG_WHERE_ZERO = [
    ("x^3", lambda x, y: [3 * x**2 + 1e-6], [0.0]),  # a constant error of 1e-6
    ("x^3", lambda x, y: [3 * x**2 + 1e-8], [0.0]),
    ("1e-12 x^2", lambda x, y: [0], [1.0]),  # true value 2e-12, claimed 0
    ("exp(x) - x", lambda x, y: [sympy.exp(x) - 1 + 1e-7], [0.0]),
    ("x y", lambda x, y: [y, x + 1e-7], [0.0, 0.0]),
    ("x y", lambda x, y: [2 * y, x], [0.0, 1e-3]),  # 2e-3 instead of 1e-3
]


@pytest.mark.parametrize(("exprs", "claim", "at"), WRONG_WHERE_ZERO)
def test_a_wrong_jacobian_still_fails_where_the_derivative_is_0(
    exprs: str, claim: Callable[..., list[sympy.Expr]], at: list[float]
) -> None:
    f = function(exprs)
    vs = [*f.variables, y][:2]
    wrong = sympy.Matrix([claim(*vs)]).reshape(1, f.n)
    right = jacobian(f)
    assert gradient_check(f, right, [at])[0].ok
    assert not gradient_check(f, wrong, [at])[0].ok


@pytest.mark.parametrize("alpha", [1e-4, 0.1, 0.5, 0.75, 6 / 7, 0.9, 0.999])
def test_a_kink_within_one_step_fails(alpha: float) -> None:
    # |x| at alpha*h: the central difference is alpha, the derivative 1.
    f = function("abs(x)")
    (c,) = gradient_check(f, jacobian(f), [[alpha * STEP]])
    assert not c.ok


@pytest.mark.parametrize("alpha", [1.001, 1.5, 3.0])
def test_a_kink_beyond_one_step_is_not_seen(alpha: float) -> None:
    f = function("abs(x)")
    (c,) = gradient_check(f, jacobian(f), [[alpha * STEP]])
    assert c.ok


def test_relu_kink_within_one_step_fails(run: Callable[..., Result]) -> None:
    res = run(["check", "relu(x - 1)", "--at", "1.000000001"])
    assert res.code == 1, res.output
    assert "FAILED" in res.out


@pytest.mark.parametrize(
    ("d1", "d2", "df", "noise", "ok"),
    [
        (1.0, 1.0, 1.0, 0.0, True),
        (1.0 + 5e-7, 1.0 + 5e-7, 1.0, 0.0, True),  # within THRESHOLD * |df|
        (1.0 + 2e-6, 1.0 + 2e-6, 1.0, 0.0, False),
        (1e-9, 1e-9, 0.0, 2e-9, True),  # within the rounding floor
        (1e-9, 1e-9, 0.0, 0.5e-9, False),
        (36e-12, 144e-12, 0.0, 1e-15, True),  # x^3 at 0: h^2 and (2h)^2 extrapolate to 0
        (36e-12, 72e-12, 0.0, 1e-15, False),  # not an h^2 error: no extrapolation to 0
        (0.5, 0.25, 1.0, 1e-15, False),  # |x| at h/2
    ],
)
def test_entry_agrees_by_hand(d1: float, d2: float, df: float, noise: float, ok: bool) -> None:
    from jacobi.math.check import entry_agrees

    assert entry_agrees(d1, d2, 2.0, df, noise)[0] is ok


@settings(max_examples=25, deadline=None)
@given(st.integers(-5, 5), st.integers(2, 6), st.integers(-20, 20).filter(bool), polys)
def test_property_critical_points_pass_and_shifted_jacobians_fail(
    a: int, k: int, c: int, rest: list[int]
) -> None:
    # c (x - a)^k + (x - a)^(k+1) q(x) has derivative 0 at x = a (k >= 2).
    q = sum(b * x**i for i, b in enumerate(rest))
    p = c * (x - a) ** k + (x - a) ** (k + 1) * q
    f = function(str(p).replace("**", "^"), variables="x")
    right = jacobian(f)
    assert right.subs(x, a) == sympy.Matrix([[0]])
    assert gradient_check(f, right, [[float(a)]])[0].ok
    assert not gradient_check(f, right + sympy.Matrix([[1e-5]]), [[float(a)]])[0].ok


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


def test_relative_error_does_not_overflow() -> None:
    assert relative_error([1e300], [1e300]) == 0.0
    assert relative_error([1e300], [3e300]) == pytest.approx(0.5)
    assert relative_error([1e-300, 0.0], [1e-300, 0.0]) == 0.0


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
    from jacobi.math.check import _ascii

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
