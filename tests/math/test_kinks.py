"""Derivatives of kinked functions: 0 away from the kink, and undefined on it."""

from __future__ import annotations

import pytest
import sympy

from jacobi.errors import UndefinedError
from jacobi.lang.parse import symbol
from jacobi.math.evaluate import value_at
from jacobi.math.kinks import clean_derivative, clean_matrix

x, y = symbol("x"), symbol("y")


@pytest.mark.parametrize(
    ("expr", "var", "expected"),
    [
        (sympy.sign(1 / x), x, 0),  # SymPy leaves Derivative(sign(1/x), x)
        (sympy.sign(sympy.sqrt(x)), x, 0),
        (sympy.Heaviside(1 / x), x, 0),
        (sympy.Abs(x).diff(x), x, 0),  # Hessian of |x|: 2*DiracDelta(x) -> 0
        (sympy.Max(0, x).diff(x), x, 0),
        (sympy.Abs(x) * y, x, y * sympy.sign(x)),  # sign itself stays: it is the slope
        (sympy.sign(x) * x**2, x, 2 * x * sympy.sign(x)),
    ],
)
def test_clean_derivative(expr: sympy.Expr, var: sympy.Symbol, expected: sympy.Expr) -> None:
    out = clean_derivative(expr.diff(var))
    assert out == expected
    assert not out.has(sympy.Derivative, sympy.DiracDelta)


def test_clean_keeps_deltas_for_evaluation_on_the_kink() -> None:
    raw = clean_derivative(sympy.sign(1 / x).diff(x), keep_deltas=True)
    assert raw == -2 * sympy.DiracDelta(1 / x) / x**2  # d/dx sign(g) = 2 delta(g) g'
    hess = sympy.Abs(x).diff(x, 2)
    with pytest.raises(UndefinedError, match="kink of sign at x = 0"):
        value_at(hess, {x: 0}, where="entry", strict=False)
    assert value_at(hess, {x: 1}, where="entry", strict=False) == 0


def test_clean_matrix_and_unevaluated_derivative_at_a_point() -> None:
    m = sympy.Matrix([[sympy.sign(1 / x).diff(x), sympy.Abs(y).diff(y, 2)]])
    assert clean_matrix(m) == sympy.ImmutableMatrix([[0, 0]])
    # evaluation works on the raw form too: formerly "Can't calculate derivative wrt 1"
    assert value_at(m[0, 0], {x: 1, y: 1}, where="entry", strict=False) == 0
