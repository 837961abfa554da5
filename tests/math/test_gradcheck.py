"""The finite-difference check of MML §5.2 (:mod:`jacobi.math.gradcheck`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacobi import function, jacobian
from jacobi.lang.parse import symbol
from jacobi.math import gradcheck
from jacobi.math.gradcheck import STEP, THRESHOLD, entry_agrees, relative_error
from jacobi.numeric.points import compile_exprs

x, y = symbol("x"), symbol("y")
# The check as jacobi runs it: float64 values from jacobi's compiled code.
gradient_check = functools.partial(gradcheck.gradient_check, compiler=compile_exprs)


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


def test_relative_error_does_not_overflow() -> None:
    assert relative_error([1e300], [1e300]) == 0.0
    assert relative_error([1e300], [3e300]) == pytest.approx(0.5)
    assert relative_error([1e-300, 0.0], [1e-300, 0.0]) == 0.0


def _evalf_compiler(
    exprs: Sequence[sympy.Expr], symbols: Sequence[sympy.Symbol]
) -> Callable[..., list[np.ndarray]]:
    """A compiler independent of jacobi.numeric: SymPy's evalf, point by point, to 53 bits."""

    def run(*arrays: np.ndarray) -> list[np.ndarray]:
        out = []
        for e in exprs:
            column = []
            for values in zip(*arrays, strict=True):
                v = e.evalf(17, subs=dict(zip(symbols, map(sympy.Float, values), strict=True)))
                column.append(float(v) if v.is_extended_real else float("nan"))
            out.append(np.array(column, dtype=np.float64))
        return out

    return run


@pytest.mark.parametrize(
    ("exprs", "claim", "ok"),
    [
        ("x^3 y", lambda x, y: [3 * x**2 * y, x**3], True),
        ("x^3 y", lambda x, y: [3 * x**2 * y, x**3 + 1e-5], False),
        ("sin(x) + x y", lambda x, y: [sympy.cos(x) + y, x], True),
        ("sin(x) + x y", lambda x, y: [sympy.sin(x) + y, x], False),  # d/dx sin = cos, not sin
    ],
)
def test_any_float64_compiler_will_do(
    exprs: str, claim: Callable[..., list[sympy.Expr]], ok: bool
) -> None:
    # The mathematics needs values of f and J, not jacobi's generated code.
    f = function(exprs, variables="x,y")
    matrix = sympy.Matrix([claim(x, y)])
    checks = gradcheck.gradient_check(
        f, matrix, [[0.5, 1.5], [-1.2, 0.3]], compiler=_evalf_compiler
    )
    assert [c.ok for c in checks] == [ok, ok]


def test_undefined_points_are_reported_not_compared() -> None:
    # log(x) at x = -1: no value; sqrt(x) at 1e-9: x - h < 0 is outside the domain.
    f = function("log(x)")
    (c,) = gradient_check(f, jacobian(f), [[-1.0]])
    assert (c.error, c.ok, c.reason) == (None, False, "undefined")
    g = function("sqrt(x)")
    (c,) = gradient_check(g, jacobian(g), [[1e-9]])
    assert (c.error, c.reason, c.note) == (
        None,
        "undefined",
        "the function is undefined within one step",
    )


def test_a_value_beyond_float64_is_an_overflow() -> None:
    # 3^1000 is about 1.3e477: finite exactly, infinite in float64.
    f = function("x^1000")
    (c,) = gradient_check(f, jacobian(f), [[3.0]])
    assert (c.error, c.reason) == (None, "overflow")


def test_parameters_without_a_value_are_given_per_point() -> None:
    # d/dx a x^2 = 2 a x: the claim 6 x is right for a = 3 only.
    f = function("a x^2", variables="x")
    claim = sympy.Matrix([[6 * x]])
    assert gradient_check(f, claim, [[2.0]], [[3.0]])[0].ok
    assert not gradient_check(f, claim, [[2.0]], [[4.0]])[0].ok
    (c,) = gradient_check(f, claim, [[2.0]], [[3.0]])
    assert c.at == {"x": 2.0, "a": 3.0}


def test_nothing_to_check_without_variables() -> None:
    from jacobi.errors import InputError

    f = function("2")
    with pytest.raises(InputError, match="nothing to check"):
        gradient_check(f, sympy.zeros(1, 0), [[]])
