"""``mjac --at``: values of vectors, matrices and scalars, exact, and every bad input named.

Expected values are SymPy's own: the derivative written with SymPy matrices directly
and substituted at the point.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Matrix, Rational, sqrt

from jacobi.errors import InputError, ParseError, ShapeError, UndefinedError
from jacobi.matrix import nodes as mx
from jacobi.matrix.calculus import matrix_derivative
from jacobi.matrix.point import build_point, value_at


def vec(name: str, n: int) -> Matrix:
    return Matrix([mx.symbol(f"{name}{i + 1}") for i in range(n)])


def mat(name: str, n: int) -> Matrix:
    return Matrix(n, n, lambda i, j: mx.symbol(f"{name}{i + 1}{j + 1}"))


XWX = ("x^T W x", {"vectors": "x:2", "matrices": "W:2x2"})


def test_exact_values_against_sympy() -> None:
    d = matrix_derivative(XWX[0], **XWX[1])
    x, W = vec("x", 2), mat("W", 2)
    grad = (x.T * (W + W.T)).applyfunc(sympy.expand)  # d(x^T W x)/dx, by hand
    p = build_point(d, "x=[1/3, sqrt(2)], W=[[1, 2], [pi/4, 0.5]]")
    at = {x[0]: Rational(1, 3), x[1]: sqrt(2)}
    at.update({W[0, 0]: 1, W[0, 1]: 2, W[1, 0]: sympy.pi / 4, W[1, 1]: Rational(1, 2)})
    assert value_at(d, p) == grad.subs(at).applyfunc(sympy.expand)
    assert p.text == "x = [1/3, sqrt(2)], W = [[1, 2], [pi/4, 1/2]]"
    # Named in any order, positional in the header's order: the same point.
    assert build_point(d, "W=[[1, 2], [pi/4, 1/2]], x=[1/3, sqrt(2)]").point == p.point
    assert build_point(d, "[1/3, sqrt(2)], [[1, 2], [pi/4, 1/2]]").point == p.point
    assert [v.name for v in p.point.variables] == ["x1", "x2", "W11", "W12", "W21", "W22"]


def test_values_may_be_constant_expressions() -> None:
    d = matrix_derivative(XWX[0], **XWX[1])
    p = build_point(d, "x=2 [1, 1], W=[[1, 2], [3, 4]]^T")
    assert p.text == "x = [2, 2], W = [[1, 3], [2, 4]]"


def test_scalars_may_stay_symbolic_or_be_given() -> None:
    d = matrix_derivative("a x^T x", vectors="x:2")
    a = mx.symbol("a")
    assert value_at(d, build_point(d, "x=[1, 2]")) == Matrix([[2 * a, 4 * a]])
    assert value_at(d, build_point(d, "x=[1, 2], a=1/2")) == Matrix([[1, 2]])
    # By a scalar, the scalar is the variable and needs a value.
    t = matrix_derivative("a x", vectors="x:2", wrt="a")
    with pytest.raises(InputError, match="no value for a"):
        build_point(t, "x=[1, 2]")
    assert value_at(t, build_point(t, "x=[1, 2], a=3")) == Matrix([1, 2])


def test_symmetric_values_and_components_once() -> None:
    d = matrix_derivative("x^T S x", vectors="x:2", symmetric="S:2", wrt="S")
    p = build_point(d, "x=[1, 2], S=[[1, 5], [5, 2]]")
    assert [v.name for v in p.point.variables] == ["x1", "x2", "S11", "S12", "S22"]
    # 2 x x^T - (x x^T) .* I at x = (1, 2)
    assert value_at(d, p) == Matrix([[1, 4], [4, 4]])


@pytest.mark.parametrize(
    ("at", "error", "message", "column"),
    [
        ("x=[1, 2]", InputError, "--at gives no value for W", None),
        ("x=[1, 2], W=[[1, 2], [3, 4]], q=1", InputError, "q, which is not a symbol of f", None),
        ("x=[1, 2], x=[1, 2], W=[[1, 2], [3, 4]]", InputError, "--at gives x twice", None),
        ("x=[1, 2], [[1, 2], [3, 4]]", ParseError, "cannot mix named", 10),
        ("[1, 2]", InputError, "--at has 1 value but f has 2 symbols to give (x, W)", None),
        ("x=[1, 2, 3], W=[[1, 2], [3, 4]]", ShapeError, "x is a 2×1 vector, but its value", 2),
        ("x=[[1, 2]], W=[[1, 2], [3, 4]]", ShapeError, "its value [[1, 2]] is 1×2", 2),
        ("x=[1, 2], W=[1, 2]", ShapeError, "W is a 2×2 matrix", 12),
        ("x=[1, 2], W=[[1, 2], [3]]", ShapeError, "row 2 of the matrix has 1 entry", 21),
        ("x=[1 2], W=[[1, 2], [3, 4]]", ParseError, "separated by commas", 5),
        ("x=[1, 2], W=[[1, 2]; [3, 4]]", ParseError, "write a matrix as its rows", 19),
        ("x=[1, b], W=[[1, 2], [3, 4]]", ParseError, "must be a number: b is not", 6),
        ("x=y, W=[[1, 2], [3, 4]]", ParseError, "the value of x must be made of numbers", 2),
        ("x=[1, 2] W=[[1, 2], [3, 4]]", ParseError, "expected ',' before W=", 9),
        ("x=", ParseError, "expected the value of x", 2),
        ("", ParseError, "--at gives no values", 0),
        ("x=[1, 2], W=[[1, 2], [3, 4]],", ParseError, "expected a value", 29),
        ("x=[1, 2], W=[[1, 2], [3, 4]] )", ParseError, "unexpected ')' after a value", 29),
        ("x=[sqrt(-2), 1], W=[[1, 2], [3, 4]]", ParseError, "not a real number", 3),
    ],
)
def test_bad_values(at: str, error: type, message: str, column: int | None) -> None:
    d = matrix_derivative(XWX[0], **XWX[1])
    with pytest.raises(error) as info:
        build_point(d, at)
    assert message in str(info.value)
    if column is not None:
        assert info.value.column == column  # type: ignore[attr-defined]


def test_unused_and_symmetric_mismatch() -> None:
    d = matrix_derivative("x^T x", vectors="x:2", matrices="W:2x2", wrt="x")
    with pytest.raises(InputError, match="W, which f does not depend on"):
        build_point(d, "x=[1, 2], W=[[1, 2], [3, 4]]")
    s = matrix_derivative("det(S)", symmetric="S:2")
    with pytest.raises(ShapeError, match=r"entry \(1, 2\) is 2 and entry \(2, 1\) is 3"):
        build_point(s, "S=[[1, 2], [3, 4]]")


@pytest.mark.parametrize(
    ("expr", "decl", "at", "message"),
    [
        ("log(det(X))", {"matrices": "X:2x2"}, "X=[[1, 2], [3, 4]]", "the function f is undefined"),
        ("inv(X)", {"matrices": "X:2x2"}, "X=[[1, 2], [2, 4]]", "component f11 is undefined"),
        ("abs(x)", {"vectors": "x:2"}, "x=[0, 1]", "∂f1/∂x1 does not exist at this point"),
        ("sqrt(x)", {"vectors": "x:2"}, "x=[0, 1]", "defined on one side only"),
    ],
)
def test_undefined_at_the_point(expr: str, decl: dict[str, str], at: str, message: str) -> None:
    d = matrix_derivative(expr, **decl)
    with pytest.raises(UndefinedError) as info:
        value_at(d, build_point(d, at))
    assert message in str(info.value)
