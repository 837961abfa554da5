"""Gradients, Hessians, JVP/VJP, linearisations and inverse Jacobians, against hand-derived results.

Every expected value here was derived by hand (or is a textbook's printed result),
never pasted from jacobi's own output.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational, cos, exp, sin, sqrt

from jacobi import function, point
from jacobi.commands import api as commands
from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.lang.parse import symbol
from jacobi.math import calculus, derivatives
from jacobi.math.chain import chain

x, y, z, r, t = (symbol(n) for n in ("x", "y", "z", "r", "t"))
x1, x2, x3 = symbol("x1"), symbol("x2"), symbol("x3")


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Mathematical equality, by expansion or (small inputs) simplification."""
    d = sympy.expand(a - b)
    return d == 0 or sympy.simplify(d) == 0


# ------------------------------------------------------------------ grad, hessian, jvp, vjp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x1^2 + x2^2 + x3^2", Matrix([[2 * x1, 2 * x2, 2 * x3]])),  # ||x||^2 -> 2 x^T
        ("x*y*z", Matrix([[y * z, x * z, x * y]])),
        ("exp(x) sin(y)", Matrix([[exp(x) * sin(y), exp(x) * cos(y)]])),
        ("1/(1 + exp(-x))", Matrix([[exp(-x) / (1 + exp(-x)) ** 2]])),  # sigmoid' = s(1 - s)
        ("3 x1 - 2 x2 + x3", Matrix([[3, -2, 1]])),  # a^T x -> a^T (5.105)
    ],
)
def test_gradients(text: str, expected: Matrix) -> None:
    got = calculus.gradient(function(text))
    assert got.shape == expected.shape
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


def test_gradient_layouts_and_vector_input() -> None:
    f = function("x^2*y")
    assert calculus.gradient(f) == Matrix([[2 * x * y, x**2]])
    assert calculus.gradient(f, layout="denominator") == Matrix([[2 * x * y], [x**2]])
    with pytest.raises(ShapeError, match=r"scalar function .* 2 components") as info:
        calculus.gradient(function("x+y, x*y"))
    assert info.value.hint == "for a vector function use 'jacobi jac'"


B = Matrix([[1, 2], [0, 3]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^3 + x*y^2", Matrix([[6 * x, 2 * y], [2 * y, 2 * x]])),
        # x^T B x has Hessian B + B^T (5.107 differentiated once more)
        ("x1*(x1 + 2*x2) + x2*(3*x2)", B + B.T),
        (
            "sin(x*y)",
            Matrix(
                [
                    [-(y**2) * sin(x * y), cos(x * y) - x * y * sin(x * y)],
                    [cos(x * y) - x * y * sin(x * y), -(x**2) * sin(x * y)],
                ]
            ),
        ),
    ],
)
def test_hessians(text: str, expected: Matrix) -> None:
    got = calculus.hessian(function(text))
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


@pytest.mark.parametrize(
    ("text", "at", "v", "jv", "w", "wj"),
    [
        ("x+y, x*y", "-1,2", "1, 2", [3, 0], "1, 2", [5, -1]),  # seed 001 at (-1, 2)
        ("2x + 3y, 4x - y", "0,0", "1, 0", [2, 4], "0, 1", [4, -1]),  # columns / rows of A
    ],
)
def test_jvp_and_vjp_by_hand(
    text: str, at: str, v: str, jv: list[int], w: str, wj: list[int]
) -> None:
    assert list(commands.jvp([text], vector=v, at=at).value) == jv  # type: ignore[arg-type]
    assert list(commands.vjp([text], vector=w, at=at).value) == wj  # type: ignore[arg-type]


def test_vector_lengths_are_checked() -> None:
    f = function("x+y, x*y, x")
    with pytest.raises(ShapeError, match=r"the vector v has 3 entries but needs 2 \(J is 3×2"):
        calculus.jvp(f, [1, 2, 3])
    with pytest.raises(ShapeError, match=r"the vector w has 2 entries but needs 3"):
        calculus.vjp(f, [1, 2])


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("x*y", "1,2", [2 * x + y - 2]),
        ("x*y, x^2", "1,2", [2 * x + y - 2, 2 * x - 1]),
        ("sin(x)", "0", [x]),
        ("exp(x)", "0", [x + 1]),
        ("sqrt(x)", "4", [x / 4 + 1]),
        ("sin(x)", "pi/4", [sqrt(2) / 2 + sqrt(2) / 2 * (x - sympy.pi / 4)]),
    ],
)
def test_linearisations(text: str, at: str, expected: list[sympy.Expr]) -> None:
    f = function(text)
    got = calculus.linearize(f, point(f, at))
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


def test_linearisation_undefined_point() -> None:
    f = function("log(x)")
    with pytest.raises(UndefinedError):
        calculus.linearize(f, point(f, "0"))


# --------------------------------------------------------------------------- inverse


def test_inverse_jacobians() -> None:
    polar = calculus.inverse_jacobian(function("r*cos(t), r*sin(t)"))
    assert all(
        same(a, e)
        for a, e in zip(polar, Matrix([[cos(t), sin(t)], [-sin(t) / r, cos(t) / r]]), strict=True)
    )
    f = function("x+y, x*y")
    # [[1, 1], [2, -1]]^-1 = -1/3 [[-1, -1], [-2, 1]]
    assert calculus.inverse_jacobian(f, point(f, "-1,2")) == Matrix(
        [[Rational(1, 3), Rational(1, 3)], [Rational(2, 3), Rational(-1, 3)]]
    )
    sym = calculus.inverse_jacobian(f)
    assert all(same(a, e) for a, e in zip(sym, Matrix([[x, -1], [-y, 1]]) / (x - y), strict=True))


def test_inverse_errors() -> None:
    f = function("x+y, x*y")
    with pytest.raises(UndefinedError, match=r"singular at x = 1, y = 1 \(det J = 0\)"):
        calculus.inverse_jacobian(f, point(f, "1,1"))
    with pytest.raises(InputError, match="det J = 0 everywhere"):
        calculus.inverse_jacobian(function("x + y, 2x + 2y"))
    with pytest.raises(ShapeError, match="square"):
        calculus.inverse_jacobian(function("x, y, x*y"))


# --------------------------------------------------------------------------- properties


@st.composite
def smooth_expr(draw: st.DrawFn, variables: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    """Small random polynomial and trigonometric expressions in ``variables``."""
    out = sympy.S.Zero
    for _ in range(draw(st.integers(1, 3))):
        c = draw(st.integers(-3, 3))
        v = draw(st.sampled_from(variables))
        w = draw(st.sampled_from(variables))
        kind = draw(st.integers(0, 3))
        term = [v * w, sin(v), cos(v + w), v**2][kind]
        out += c * term
    return out + draw(st.sampled_from(variables))


U = (symbol("u"), symbol("v"))
XY = (x, y)


def numeric(expr: sympy.Expr, values: dict[sympy.Symbol, sympy.Expr]) -> float:
    return float(expr.xreplace(values).evalf(30))


@settings(max_examples=20, deadline=None)
@given(
    st.lists(smooth_expr(U), min_size=2, max_size=2),
    st.lists(smooth_expr(XY), min_size=2, max_size=2),
    st.tuples(st.fractions(-2, 2, max_denominator=7), st.fractions(-2, 2, max_denominator=7)),
)
def test_chain_product_is_the_jacobian_of_the_composition(
    outer: list[sympy.Expr], inner: list[sympy.Expr], at: tuple[Fraction, Fraction]
) -> None:
    from jacobi.model import VectorFunction

    g = VectorFunction(tuple(outer), U)
    h = VectorFunction(tuple(inner), XY)
    c = chain([g, h], simplify=False, verify=False)
    values = {
        x: Rational(at[0].numerator, at[0].denominator),
        y: Rational(at[1].numerator, at[1].denominator),
    }
    # Central finite differences of the composition, independent of symbolic differentiation.
    step = Rational(1, 10**8)
    for i, comp in enumerate(c.composition.components):
        for j, v in enumerate(XY):
            plus = dict(values, **{})
            plus[v] = values[v] + step
            minus = dict(values)
            minus[v] = values[v] - step
            fd = (comp.xreplace(plus) - comp.xreplace(minus)).evalf(40) / (2 * step)
            assert abs(numeric(c.product[i, j], values) - float(fd)) < 1e-6 * (1 + abs(float(fd)))


@settings(max_examples=25, deadline=None)
@given(smooth_expr(XY))
def test_gradient_is_the_one_row_jacobian_and_hessian_is_symmetric(expr: sympy.Expr) -> None:
    from jacobi.model import VectorFunction

    f = VectorFunction((expr,), XY)
    g = calculus.gradient(f)
    assert g.shape == (1, 2)
    assert all(same(a, e) for a, e in zip(g, derivatives.jacobian(f), strict=True))
    h = calculus.hessian(f)
    assert same(h[0, 1], h[1, 0])
    # the Hessian is the Jacobian of the gradient
    assert all(
        same(a, sympy.diff(expr, u, v))
        for a, (u, v) in zip(h, [(x, x), (x, y), (y, x), (y, y)], strict=True)
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(smooth_expr(XY), min_size=1, max_size=3),
    st.lists(st.integers(-5, 5), min_size=3, max_size=3),
)
def test_jvp_and_vjp_are_matrix_products(comps: list[sympy.Expr], ints: list[int]) -> None:
    from jacobi.model import VectorFunction

    f = VectorFunction(tuple(comps), XY)
    jac = Matrix(comps).jacobian(list(XY))
    v = ints[:2]
    w = ints[: len(comps)]
    assert all(same(a, e) for a, e in zip(calculus.jvp(f, v), jac * Matrix(v), strict=True))
    assert all(same(a, e) for a, e in zip(calculus.vjp(f, w), Matrix([w]) * jac, strict=True))
