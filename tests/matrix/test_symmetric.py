"""Derivatives by a symmetric matrix (Matrix Cookbook §2.8.2) against independent answers.

A symmetric X has one variable X_ij = X_ji for each pair, so the derivative by X
has entry (i, j) = ∂f/∂X_ij with both entries moved together. The expected answers
are built here without jacobi: the Cookbook's closed forms (eqs. 141-144) written
with SymPy matrices, component-wise derivatives of f written with SymPy directly on a
symmetric matrix of symbols, and central finite differences computed with NumPy on
f itself (moving X_ij and X_ji together).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
import sympy
from sympy import Matrix, eye

from jacobi.commands import api
from jacobi.matrix.calculus import matrix_derivative
from tests.conftest import run_cli


def S(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def general(name: str, n: int) -> Matrix:
    return Matrix(n, n, lambda i, j: S(f"{name}{i + 1}{j + 1}"))


def symmetric(name: str, n: int) -> Matrix:
    return Matrix(n, n, lambda i, j: S(f"{name}{min(i, j) + 1}{max(i, j) + 1}"))


def by_components(f: sympy.Expr, X: Matrix) -> Matrix:
    """Entry (i, j) = ∂f/∂X_ij, where X_ij is the one symbol at (i, j) and (j, i)."""
    return Matrix(X.rows, X.cols, lambda i, j: sympy.diff(f, X[i, j]))


def same(a: Matrix, b: Matrix) -> bool:
    return a.shape == b.shape and all(
        sympy.cancel(sympy.together(x - y)) == 0 for x, y in zip(a, b, strict=True)
    )


X2, X3 = symmetric("X", 2), symmetric("X", 3)
A2, A3 = general("A", 2), general("A", 3)
a2, b2 = Matrix([S("a1"), S("a2")]), Matrix([S("b1"), S("b2")])
I2, I3 = eye(2), eye(3)


def circ_I(m: Matrix) -> Matrix:
    return m.multiply_elementwise(eye(m.rows))


# (expression, declarations, f built with SymPy, Cookbook closed form, compact text)
COOKBOOK: list[tuple[str, dict[str, str], sympy.Expr, Callable[[], Matrix], str]] = [
    # (142): ∂tr(AX)/∂X = A + A^T − (A∘I)
    (
        "tr(A X)",
        {"matrices": "A:3x3", "symmetric": "X:3", "wrt": "X"},
        (A3 * X3).trace(),
        lambda: A3 + A3.T - circ_I(A3),
        "A + A^T - A .* I",
    ),
    # (143): ∂det(X)/∂X = det(X)(2X^-1 − (X^-1∘I))
    (
        "det(X)",
        {"symmetric": "X:3"},
        X3.det(),
        lambda: X3.det() * (2 * X3.inv() - circ_I(X3.inv())),
        "det(X) (2 X^-1 - X^-1 .* I)",
    ),
    # (144): ∂ln det(X)/∂X = 2X^-1 − (X^-1∘I)
    (
        "log(det(X))",
        {"symmetric": "X:2"},
        sympy.log(X2.det()),
        lambda: 2 * X2.inv() - circ_I(X2.inv()),
        "2 X^-1 - X^-1 .* I",
    ),
    # (141) applied to a^T X b, whose unconstrained gradient is a b^T.
    (
        "a^T X b",
        {"vectors": "a:2,b:2", "symmetric": "X:2", "wrt": "X"},
        (a2.T * X2 * b2)[0, 0],
        lambda: a2 * b2.T + b2 * a2.T - circ_I(a2 * b2.T),
        "a b^T + b a^T - (a b^T) .* I",
    ),
    # tr(X) moves only diagonal entries: the identity.
    ("tr(X)", {"symmetric": "X:3"}, X3.trace(), lambda: I3, "I"),
    # ‖X‖_F² = Σ X_ij²: 2X on the diagonal, 4X off it.
    (
        "norm(X)^2",
        {"symmetric": "X:2"},
        sum(e**2 for e in X2),
        lambda: 4 * X2 - 2 * circ_I(X2),
        "4 X - 2 (X .* I)",
    ),
    # A numeric matrix literal: tr([[1,2],[4,7]] X) is [[1, 6], [6, 7]] by (142).
    (
        "tr([[1, 2], [4, 7]] X)",
        {"symmetric": "X:2"},
        (Matrix([[1, 2], [4, 7]]) * X2).trace(),
        lambda: Matrix([[1, 6], [6, 7]]),
        "[[1, 6], [6, 7]]",
    ),
]


@pytest.mark.parametrize(
    ("expr", "decl", "f", "closed", "compact"), COOKBOOK, ids=[c[0] for c in COOKBOOK]
)
def test_cookbook_against_components_and_closed_forms(
    expr: str, decl: dict[str, str], f: sympy.Expr, closed: Callable[[], Matrix], compact: str
) -> None:
    d = matrix_derivative(expr, **decl)
    X = symmetric("X", d.wrt.rows)
    expected = by_components(f, X)
    assert d.kind == "gradient"
    assert same(d.matrix, expected)
    assert same(closed(), expected)  # the Cookbook's formula is the component derivative
    assert d.compact_text == compact
    assert same(Matrix(d.matrix), d.matrix.T)  # a derivative by a symmetric X is symmetric


def test_denominator_layout_and_the_unconstrained_gradient_differ() -> None:
    # The same f by a general X is A^T (no doubling off the diagonal).
    g = matrix_derivative("tr(A X)", matrices="A:2x2,X:2x2", wrt="X")
    s = matrix_derivative("tr(A X)", matrices="A:2x2", symmetric="X:2", wrt="X")
    assert g.compact_text == "A^T" and s.compact_text == "A + A^T - A .* I"
    t = matrix_derivative(
        "tr(A X)", matrices="A:2x2", symmetric="X:2", wrt="X", layout="denominator"
    )
    assert same(t.matrix, s.matrix.T) and t.compact is not None


def test_default_wrt_is_the_only_symmetric_matrix() -> None:
    assert matrix_derivative("det(S)", symmetric="S:2").wrt.name == "S"
    # A general matrix beside it stays the default, as before.
    assert matrix_derivative("tr(W S)", matrices="W:2x2", symmetric="S:2").wrt.name == "W"


def test_a_vector_by_a_symmetric_matrix_is_the_component_tensor() -> None:
    d = matrix_derivative("S x", vectors="x:2", symmetric="S:2", wrt="S")
    x = Matrix([S("x1"), S("x2")])
    Ssym = symmetric("S", 2)
    F = Ssym * x
    for i in range(2):
        for k in range(2):
            for m in range(2):
                assert d.entry((i, k, m)) == sympy.diff(F[i], Ssym[k, m])
    assert d.compact is None and "symmetric" in d.why_not


def _numeric(expr: str) -> Callable[[np.ndarray, np.ndarray], float]:
    return {
        "tr(A X)": lambda A, X: float(np.trace(A @ X)),
        "det(X)": lambda A, X: float(np.linalg.det(X)),
        "log(det(X))": lambda A, X: float(np.log(np.linalg.det(X))),
        "x^T X x + tr(A X X)": lambda A, X: float(
            np.array([1.0, -2.0, 0.5]) @ X @ np.array([1.0, -2.0, 0.5]) + np.trace(A @ X @ X)
        ),
    }[expr]


@pytest.mark.parametrize("expr", ["tr(A X)", "det(X)", "log(det(X))", "x^T X x + tr(A X X)"])
def test_value_at_a_point_agrees_with_finite_differences(expr: str) -> None:
    # X is symmetric positive definite (log det is defined), A general; exact rationals.
    Xq = [["3", "1/2", "-1/4"], ["1/2", "2", "1/3"], ["-1/4", "1/3", "5/2"]]
    Aq = [["1", "2", "0"], ["-1", "1/2", "3"], ["4", "0", "-2"]]
    at = "X=[" + ", ".join("[" + ", ".join(r) + "]" for r in Xq) + "]"
    decl: dict[str, object] = {"symmetric": ["X:3"], "wrt": "X"}
    if "A" in expr:
        at += ", A=[" + ", ".join("[" + ", ".join(r) + "]" for r in Aq) + "]"
        decl["matrices"] = ["A:3x3"]
    if "x" in expr:
        at += ", x=[1, -2, 1/2]"
        decl["vectors"] = ["x:3"]
    report = api.mjac(expr, at=at, **decl)
    assert report.value is not None
    got = np.array(report.value.tolist(), dtype=float)
    X = np.array([[float(Fraction(v)) for v in r] for r in Xq])
    A = np.array([[float(Fraction(v)) for v in r] for r in Aq])
    f = _numeric(expr)
    h = 1e-6
    for i in range(3):
        for j in range(3):
            E = np.zeros((3, 3))
            E[i, j] = E[j, i] = 1.0  # X_ij and X_ji move together
            fd = (f(A, X + h * E) - f(A, X - h * E)) / (2 * h)
            assert got[i, j] == pytest.approx(fd, rel=1e-6, abs=1e-8)


def test_flattened_labels_name_each_position_once() -> None:
    """vec(X) of a symmetric 2x2 X is (X11, X21, X12, X22) by position; X21 is the
    variable X12, and the label used to say X12 twice."""
    out = run_cli(
        ["mjac", "tr(A X)", "--matrix", "A:2x2", "--symmetric", "X:2", "--wrt", "X", "-f", "json"]
    )
    data = json.loads(out.out)
    assert data["flattened_columns"] == ["d/dX11", "d/dX21", "d/dX12", "d/dX22"]
    # Cookbook 2.8.2: A + A^T - A∘I, in vec order.
    assert data["flattened"] == [["A11", "A12 + A21", "A12 + A21", "A22"]]
