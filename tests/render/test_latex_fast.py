"""jacobi's LaTeX is SymPy's LatexPrinter with jacobi's numbers, however fast it gets there.

The reference is ``latex._reference_latex`` (``_JacobiLatexPrinter`` called the plain way,
with SymPy's own term order and precedence) and, for matrices, that printer over every
``matrix[i, j]``, zeros included, as ``matrix_latex`` did before it read the non-zeros.
"""

from __future__ import annotations

from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from sympy import Integer
from sympy import Rational as R
from sympy_cases import (
    EXPRESSIONS,
    PI,
    POLYNOMIALS,
    arm_jacobian,
    f,
    quadratic_determinant,
    x,
    x_plain,
    y,
    z,
)

from jacobi.math import sparse
from jacobi.render.latex import _reference_latex, latex, matrix_latex


def _outcome(show: Any, expr: Any) -> Any:
    """The LaTeX, or the class of the error (SymPy refuses some unevaluated objects)."""
    try:
        return show(expr)
    except Exception as error:  # noqa: BLE001  # the same refusal is the same behaviour
        return type(error)


def _reference_matrix(m: Any, env: str = "bmatrix") -> str:
    rows = [" & ".join(_reference_latex(m[i, j]) for j in range(m.cols)) for i in range(m.rows)]
    body = r" \\ ".join(rows)
    if m.cols > 10:  # amsmath's MaxMatrixCols: the same brackets around an array
        left, right = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")")}[env]
        spec = "@{}" + "c" * m.cols + "@{}"
        return rf"\left{left}\begin{{array}}{{{spec}}} {body} \end{{array}}\right{right}"
    return rf"\begin{{{env}}} " + body + rf" \end{{{env}}}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_random_expressions_as_before(expr: Any) -> None:
    assert _outcome(latex, expr) == _outcome(_reference_latex, expr)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(POLYNOMIALS)
def test_random_polynomials_as_before(expr: Any) -> None:
    assert latex(expr) == _reference_latex(expr)
    product = sympy.expand(expr * (x - y / 3))
    assert latex(product) == _reference_latex(product)


EXAMPLES = [
    2 - 3 * x,
    -3 * x + 2,
    -x - 1,
    -x,
    x * y,
    -(x**2) * y / 3,
    R(-2, 3) * x,
    R(1, 2) * x * y**2 - R(5, 7) * z + R(-1, 3),
    12 * x * y + 3 * y - 2,
    x * x_plain + x_plain**2 + x**2,
    sympy.Symbol("x_1") ** 2 * sympy.Symbol("alpha_2") - sympy.Symbol("theta") / 2,
    sympy.Symbol("a__b") ** 2 + sympy.Symbol("a__b"),
    PI * sympy.pi,
    sympy.Mul(2, 3, x, evaluate=False),
    sympy.Mul(x, 2, evaluate=False),
    sympy.Mul(1, x, evaluate=False),
    sympy.Add(x, sympy.Mul(x, x, evaluate=False), evaluate=False),
    sympy.Mul(-2, sympy.zoo, x, evaluate=False),
    sympy.exp(x) / 1002001 - 2,
    sympy.sin(x + y) - sympy.cos(x) + sympy.sqrt(x) / 3,
    sympy.Mod(x, 2) * y + 1,
    sympy.Integral(x**2, (x, 0, 1)) * 3 - x,
    sympy.Piecewise((x, x > 0), (-x, True)) * 2,
    sympy.Derivative(f(x), x) + f(x) ** 2,
    sympy.Float("1.5") * x**2 - sympy.Float("2.5", 30),
    Integer(10) ** 5000 * x**2 - R(1, 3) * y,
    sympy.Matrix([[x + 1]]),
]


@pytest.mark.parametrize("expr", EXAMPLES)
def test_examples_as_before(expr: Any) -> None:
    assert _outcome(latex, expr) == _outcome(_reference_latex, expr)


def test_matrices_as_before() -> None:
    u = sympy.symbols("u1:31", real=True)
    entries = {}
    for i in range(30):
        entries[(i, i)] = -2 + sympy.exp(u[i]) / 961
        if i + 1 < 30:
            entries[(i, i + 1)] = entries[(i + 1, i)] = Integer(1)
    bratu = sparse.build(30, 30, entries)
    assert matrix_latex(bratu) == _reference_matrix(bratu)
    dense = sympy.Matrix([[sympy.Float(0.0), 0, x], [R(-1, 2), x_plain * x, 0]])
    assert matrix_latex(dense, "pmatrix") == _reference_matrix(dense, "pmatrix")
    assert matrix_latex(sympy.zeros(2, 3)) == _reference_matrix(sympy.zeros(2, 3))


def test_robot_arm_as_before() -> None:
    jac = arm_jacobian(8)
    assert matrix_latex(jac) == _reference_matrix(jac)


def test_dense_quadratic_determinant_as_before() -> None:
    det = quadratic_determinant(5)
    assert latex(det) == _reference_latex(det)
