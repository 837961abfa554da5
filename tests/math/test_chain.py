"""The chain rule and its costs, against the textbook's worked examples.

Every expected value here was derived by hand (or is a textbook's printed result),
never pasted from jacobi's own output.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, Matrix, cos, exp, sin

from jacobi import function
from jacobi.errors import InputError, ShapeError
from jacobi.lang.parse import symbol
from jacobi.math import calculus
from jacobi.math.chain import chain, chain_costs

x, y, t = (symbol(n) for n in ("x", "y", "t"))
x1, x2 = (symbol(n) for n in ("x1", "x2"))


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Mathematical equality, by expansion or (small inputs) simplification."""
    d = sympy.expand(a - b)
    return d == 0 or sympy.simplify(d) == 0


# --------------------------------------------------------------------------- chain rule

BOOK_510 = exp(x1 * x2**2) * (x2**2 * (cos(t) - t * sin(t)) + 2 * x1 * x2 * (sin(t) + t * cos(t)))


def test_example_5_10_gives_the_books_result() -> None:
    c = chain([function("exp(x1*x2^2)"), function("t*cos(t), t*sin(t)")])
    book = BOOK_510.xreplace({x1: t * cos(t), x2: t * sin(t)})
    assert c.product.shape == (1, 1)
    assert same(c.product[0, 0], book)
    # the factors of (5.74b): [exp(x1 x2^2) x2^2, 2 exp(x1 x2^2) x1 x2], [cos t - t sin t; ...]
    outer = c.outer_jacobians[0]
    assert same(outer[0, 0], exp(x1 * x2**2) * x2**2)
    assert same(outer[0, 1], 2 * exp(x1 * x2**2) * x1 * x2)
    assert same(c.factors[1][0, 0], cos(t) - t * sin(t))
    assert same(c.factors[1][1, 0], sin(t) + t * cos(t))
    assert c.verified == "symbolically"


PHI = Matrix([[1, 2], [3, 4], [5, 6]])
Y = Matrix(sympy.symbols("y1:4", real=True))
THETA = Matrix([symbol("theta1"), symbol("theta2")])


def test_example_5_11_least_squares_gradient() -> None:
    # L(theta) = ||y - Phi theta||^2; the book: dL/dtheta = -2 (y - Phi theta)^T Phi.
    residual = Y - PHI * THETA
    expected = -2 * residual.T * PHI
    text = " + ".join(f"({sympy.sstr(e)})^2" for e in residual)
    g = calculus.gradient(function(text, variables="theta1,theta2"))
    assert g.shape == (1, 2)
    assert all(same(a, e) for a, e in zip(g, expected, strict=True))
    # ... and by the chain rule: L(e) = ||e||^2 of e(theta) = y - Phi theta, dL/de = 2 e^T.
    inner = ", ".join(sympy.sstr(e) for e in residual)
    c = chain([function("e1^2 + e2^2 + e3^2"), function(inner, variables="theta1,theta2")])
    assert all(same(a, e) for a, e in zip(c.product, expected, strict=True))
    assert same(c.factors[1] + PHI, sympy.zeros(3, 2)) or c.factors[1] == -PHI


def test_simultaneous_substitution_when_layers_share_names() -> None:
    g = function("y, x")  # g(x, y) = (y, x)
    h = function("x + 1, 2*y")  # h(x, y) = (x + 1, 2y)
    c = chain([g, h])
    assert c.composition.components == (2 * y, x + 1)
    assert c.product == Matrix([[0, 2], [1, 0]])
    assert c.verified == "symbolically"


def test_chain_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ShapeError, match=r"g takes 2 variables .*J_g is 1×2.* h gives 3 .*J_h is 3×3"
    ):
        chain([function("u*v"), function("x, y, z")])


def test_outer_constant_that_is_an_inner_variable_is_refused() -> None:
    with pytest.raises(InputError, match="x is a constant of g but a variable"):
        chain([function("x*u", variables="u"), function("x^2")])


def test_three_layers_costs_favour_reverse_for_a_scalar_loss() -> None:
    # x in R^4 -> R^3 -> R^2 -> R (seed 000's backpropagation): (1x2)(2x3)(3x4)
    f1 = function("x1 + x2, x2 + x3, x3 + x4")
    f2 = function("a*b, b*c", variables="a,b,c")
    f3 = function("p^2 + q^2", variables="p,q")
    c = chain([f3, f2, f1])
    assert [m.shape for m in c.factors] == [(1, 2), (2, 3), (3, 4)]
    assert c.costs.forward == 2 * 3 * 4 + 1 * 2 * 4  # J2 J1 first, then J3 (J2 J1)
    assert c.costs.reverse == 1 * 2 * 3 + 1 * 3 * 4  # J3 J2 first, then (J3 J2) J1
    assert c.costs.reverse < c.costs.forward
    assert c.costs.best == c.costs.reverse and c.costs.best_order == "(J_f3 J_f2) J_f1"
    assert c.verified == "symbolically"


@pytest.mark.parametrize(
    ("dims", "forward", "reverse", "best", "order"),
    [
        ([1, 3, 4, 5], 1 * 3 * 5 + 3 * 4 * 5, 1 * 3 * 4 + 1 * 4 * 5, 32, "(A B) C"),
        ([5, 4, 3, 1], 5 * 4 * 1 + 4 * 3 * 1, 5 * 4 * 3 + 5 * 3 * 1, 32, "A (B C)"),
        ([10, 30, 5, 60], 10 * 30 * 60 + 30 * 5 * 60, 10 * 30 * 5 + 10 * 5 * 60, 4500, "(A B) C"),
        # CLRS 15.2: 30x35 35x15 15x5 5x10 10x20 20x25 needs 15125 multiplications
        ([30, 35, 15, 5, 10, 20, 25], None, None, 15125, "(A (B C)) ((D E) F)"),
        ([2, 3], 0, 0, 0, "A"),
    ],
)
def test_matrix_chain_order(
    dims: list[int], forward: int | None, reverse: int | None, best: int, order: str
) -> None:
    names = list("ABCDEF")[: len(dims) - 1]
    c = chain_costs(dims, names)
    if forward is not None:
        assert (c.forward, c.reverse) == (forward, reverse)
    assert (c.best, c.best_order) == (best, order)


def test_chain_self_check_evaluates_numerically_not_exactly() -> None:
    # g(u, v) = u^(u u) of h = (|u|, sqrt(w + u)): exact substitution of random rationals
    # into |u|^(|u|^2) made rational powers with millions of digits (the 60 s limit).
    g = function("u^(u*u)", variables="u,v")
    h = function("abs(u), sqrt(w+u)", variables="u,v,w")
    c = chain([g, h])
    assert c.verified in ("symbolically", "numerically")
    u = symbol("u")
    # d/du |u|^(u^2) = |u|^(u^2) (2u log|u| + u^2 sign(u)/|u|), by hand.
    expected = Abs(u) ** (u**2) * (2 * u * sympy.log(Abs(u)) + u**2 * sympy.sign(u) / Abs(u))
    for value in (sympy.Rational(3, 2), sympy.Rational(-7, 10)):
        got = c.product[0, 0].subs(u, value).evalf(30)
        assert abs(got - expected.subs(u, value).evalf(30)) < 1e-20


def test_chain_self_check_with_kinks_and_logs() -> None:
    # Issue 8, item 8: an internal error in chain's own numeric check.
    layers = [
        function("relu(v), u^27", variables="u,v"),
        function("p^2 - p/2, p^2 - 2p", variables="p"),
        function(" -sqrt(2/3) - log(x)"),
    ]
    c = chain(layers)
    assert c.verified in ("symbolically", "numerically")
