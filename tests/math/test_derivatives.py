"""The Jacobian against independent facts: hand-derived results and finite differences."""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational, cos, exp, log, sin, sqrt, tan

from jacobi import function, jacobian
from jacobi.lang.parse import symbol
from jacobi.math.derivatives import differentiate, partial_derivative
from jacobi.math.simplify import tidy

x, y, z, r, t, a = (symbol(n) for n in ("x", "y", "z", "r", "t", "a"))
x1, x2, x3 = symbol("x1"), symbol("x2"), symbol("x3")
theta, phi = symbol("theta"), symbol("phi")


# (text, --vars, hand-derived Jacobian in numerator layout)
TEXTBOOK = [
    ("x+y, x*y", None, Matrix([[1, 1], [y, x]])),  # seed 001
    ("r*cos(t), r*sin(t)", None, Matrix([[cos(t), -r * sin(t)], [sin(t), r * cos(t)]])),
    ("x^2 + 2x y", None, Matrix([[2 * x + 2 * y, 2 * x]])),
    ("x*y*z", None, Matrix([[y * z, x * z, x * y]])),
    ("exp(x) sin(y)", None, Matrix([[exp(x) * sin(y), exp(x) * cos(y)]])),
    ("log(x)", None, Matrix([[1 / x]])),
    ("sqrt(x^2 + y^2)", None, Matrix([[x / sqrt(x**2 + y**2), y / sqrt(x**2 + y**2)]])),
    ("tan(x)", None, Matrix([[tan(x) ** 2 + 1]])),
    ("abs(x)", None, Matrix([[sympy.sign(x)]])),  # real symbols: sign, not re/im
    ("cos(t), sin(t), t", None, Matrix([[-sin(t)], [cos(t)], [1]])),  # a curve: m×1
    ("a*x + y", "x,y", Matrix([[a, 1]])),  # a is a parameter
    ("2x + 3y, 4x - y", None, Matrix([[2, 3], [4, -1]])),  # affine map: J = A
    ("x^3", None, Matrix([[3 * x**2]])),
    ("1/x", None, Matrix([[-1 / x**2]])),
    ("atan2(y, x)", None, Matrix([[-y / (x**2 + y**2), x / (x**2 + y**2)]])),
    (
        "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
        "r,theta,phi",
        Matrix(
            [
                [sin(theta) * cos(phi), r * cos(theta) * cos(phi), -r * sin(theta) * sin(phi)],
                [sin(theta) * sin(phi), r * cos(theta) * sin(phi), r * sin(theta) * cos(phi)],
                [cos(theta), -r * sin(theta), 0],
            ]
        ),
    ),
    ("x^2 + y^2 + z^2", None, Matrix([[2 * x, 2 * y, 2 * z]])),  # ||x||^2 -> 2 x^T
]


@pytest.mark.parametrize(("text", "variables", "expected"), TEXTBOOK)
def test_textbook_jacobians(text: str, variables: str | None, expected: Matrix) -> None:
    got = jacobian(function(text, variables=variables))
    assert got.shape == expected.shape
    for g, e in zip(got, expected, strict=True):
        assert sympy.simplify(g - e) == 0, (g, e)


def test_denominator_layout_is_the_transpose() -> None:
    f = function("x+y, x*y, x-z")
    assert jacobian(f, layout="denominator") == jacobian(f).T
    assert jacobian(f, layout="denominator").shape == (3, 3)
    g = function("x*y")
    assert jacobian(g, layout="denominator").shape == (2, 1)


def test_variable_order_is_natural_and_independent_of_writing() -> None:
    assert function("x10 + x2 + x1").variable_names == ("x1", "x2", "x10")
    assert function("y + x").variable_names == function("x + y").variable_names == ("x", "y")
    assert function("x + y", variables="y,x").variable_names == ("y", "x")
    assert jacobian(function("x + 2y", variables="y,x")) == Matrix([[2, 1]])


def test_parameters_are_constants_and_can_be_substituted() -> None:
    f = function("a*x^2", variables="x")
    assert jacobian(f) == Matrix([[2 * a * x]])
    g = function("a*x^2", variables="x", params="a=1/3")
    assert jacobian(g) == Matrix([[Rational(2, 3) * x]])


def test_example_5_9_affine_map_jacobian_is_A() -> None:
    a = Matrix([[1, -2, 3], [0, 5, Rational(1, 2)]])
    text = ", ".join(sympy.sstr(e) for e in a * Matrix([x1, x2, x3]))
    assert jacobian(function(text, variables="x1,x2,x3")) == a


def test_sparse_differentiation_matches_dense() -> None:
    comps = [x**2 + y, sin(z), exp(x * z)]
    dense = Matrix(comps).jacobian([x, y, z])
    assert differentiate(comps, [x, y, z]) == dense


def test_tidy_is_equivalent_and_never_longer() -> None:
    cases = [
        r * cos(t) ** 2 + r * sin(t) ** 2,
        y / (x**2 + y**2) - 2 * x**2 * y / (x**2 + y**2) ** 2,
        x * y + x * z,
        -r * sin(t),
    ]
    for e in cases:
        out = tidy(e)
        assert sympy.simplify(out - e) == 0
        assert sympy.count_ops(out) <= sympy.count_ops(e)
    assert tidy(r * cos(t) ** 2 + r * sin(t) ** 2) == r
    assert tidy(-r * sin(t)) == -r * sin(t)  # already tidy: kept as written


# --- property: the symbolic Jacobian agrees with central finite differences ---------------

_unary = st.sampled_from([sin, cos, exp, lambda u: u**2, lambda u: u**3, lambda u: 1 / (1 + u**2)])
_leaf = st.sampled_from([x, y, z, sympy.Integer(2), Rational(1, 2)])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> sympy.Expr:
    if depth == 0 or draw(st.booleans()):
        return draw(_leaf)
    kind = draw(st.sampled_from(["add", "mul", "fn"]))
    if kind == "fn":
        return draw(_unary)(draw(expressions(depth - 1)))
    left, right = draw(expressions(depth - 1)), draw(expressions(depth - 1))
    return left + right if kind == "add" else left * right


def _central_difference(
    f: sympy.Matrix, point: dict[sympy.Symbol, float], v: sympy.Symbol
) -> list[float]:
    h = 1e-6
    plus = {**point, v: point[v] + h}
    minus = {**point, v: point[v] - h}
    return [(float(c.evalf(30, subs=plus)) - float(c.evalf(30, subs=minus))) / (2 * h) for c in f]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(expressions(), min_size=1, max_size=3),
    st.tuples(*[st.floats(-1.5, 1.5) for _ in range(3)]),
)
def test_jacobian_agrees_with_finite_differences(
    comps: list[sympy.Expr], pt: tuple[float, float, float]
) -> None:
    from jacobi.model import VectorFunction

    f = VectorFunction(components=tuple(comps), variables=(x, y, z))
    J = jacobian(f)
    point = dict(zip((x, y, z), pt, strict=True))
    for j, v in enumerate((x, y, z)):
        fd = _central_difference(Matrix(comps), point, v)
        for i in range(len(comps)):
            exact = float(J[i, j].evalf(30, subs=point))
            assert math.isclose(exact, fd[i], rel_tol=1e-5, abs_tol=1e-5), (comps[i], v)


def test_exact_constants_survive() -> None:
    J = jacobian(function("pi*x + e*y + log(2)*z"))
    assert J == Matrix([[sympy.pi, sympy.E, log(2)]])


def test_large_results_are_not_tidied() -> None:
    from jacobi.math.simplify import TIDY_MAX_ENTRIES, tidy_matrix

    untidy = x * y + x * z  # tidy would factor this to x*(y + z)
    assert tidy(untidy) == x * (y + z)
    small = sympy.ImmutableMatrix([[untidy, 0]])
    assert tidy_matrix(small)[0, 0] == x * (y + z)
    big = sympy.ImmutableMatrix(1, TIDY_MAX_ENTRIES + 1, [untidy] * (TIDY_MAX_ENTRIES + 1))
    assert tidy_matrix(big) == big


def test_abs_of_an_argument_sympy_cannot_prove_real_is_sign_times_the_derivative() -> None:
    """d|y^y|/dy: SymPy's complex form (re, im, arg) does not read back; every value jacobi
    shows is real, so it is sign(y^y) (log(y) + 1) y^y, checked by central differences."""
    y = sympy.Symbol("y", real=True)
    f = sympy.Abs(y**y)
    d = partial_derivative(f, y)
    assert not d.has(sympy.re, sympy.im, sympy.arg)
    assert sympy.simplify(d - sympy.sign(y**y) * y**y * (sympy.log(y) + 1)) == 0
    for y0 in (sympy.Rational(1, 3), sympy.Rational(7, 5), 3):
        h = sympy.Rational(1, 10**8)
        numeric = (f.subs(y, y0 + h) - f.subs(y, y0 - h)) / (2 * h)
        assert abs(sympy.N(numeric - d.subs(y, y0), 30)) < 1e-12


def test_heaviside_with_a_variable_value_at_zero_has_derivative_zero_away_from_the_kink() -> None:
    """heaviside(x, 1/x) is 0 for x < 0 and 1 for x > 0: its derivative is 0 there. It used
    to print -Subs(0, _xi_2, 1/x)/x**2, and at a point it was an internal error."""
    from tests.conftest import run_cli

    f = function("heaviside(x, 1/x) * y")
    assert jacobian(f) == Matrix([[0, sympy.Heaviside(f.variables[0], 1 / f.variables[0])]])
    out = run_cli(["jac", "heaviside(x, 1/x)*y", "--at", "1,2", "-f", "json"])
    assert out.code == 0, out.err
    assert '"value": [["0", "1"]]' in out.out
    assert run_cli(["jac", "heaviside(x - 1, 1/x)*y", "--at", "1,2"]).code == 3  # the jump
