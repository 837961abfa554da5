"""Matrix calculus against the seeds: every identity, in components and in compact form.

The expected results are written here independently, entry by entry, from the
index formulas in seeds 001-003 (never pasted from jacobi's output). Symbols
follow the documented naming: a vector x has components x1, x2, ...; a matrix W
has W11, W12, ... (row, column).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import product

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational, eye

from jacobi.errors import InputError, LimitError, ShapeError
from jacobi.matrix import algebra as alg
from jacobi.matrix import nodes as mx
from jacobi.matrix.calculus import agrees, jvec, matrix_derivative, sparse_jacobian
from jacobi.matrix.declarations import parse_declarations
from jacobi.matrix.parse import parse_matrix_expression


def S(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def V(name: str, n: int) -> Matrix:
    """The column vector name1..namen."""
    return Matrix(n, 1, [S(f"{name}{i + 1}") for i in range(n)])


def M(name: str, rows: int, cols: int) -> Matrix:
    """The matrix with entries name11 ... (row, column)."""
    return Matrix(rows, cols, lambda i, j: S(f"{name}{i + 1}{j + 1}"))


def SYM(name: str, n: int) -> Matrix:
    """A symmetric matrix: entry (i, j) is name_{min}{max}."""
    return Matrix(n, n, lambda i, j: S(f"{name}{min(i, j) + 1}{max(i, j) + 1}"))


def same(a: Matrix, b: Matrix) -> bool:
    if a.shape != b.shape:
        return False
    for x, y in zip(a, b, strict=True):
        d = sympy.expand(x - y)
        if d == 0:
            continue
        numerator = sympy.expand(sympy.fraction(sympy.together(d))[0])
        if numerator != 0 and sympy.simplify(numerator) != 0:
            return False
    return True


def sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


x3, a3, c3, y2, y3 = V("x", 3), V("a", 3), V("c", 3), V("y", 2), V("y", 3)
W23, A23, B33 = M("W", 2, 3), M("A", 2, 3), M("B", 3, 3)


def diag_of(f: Callable[[sympy.Expr], sympy.Expr], v: Matrix) -> Matrix:
    return sympy.diag(*[f(e) for e in v])


def row(n: int, f: Callable[[int], sympy.Expr]) -> Matrix:
    return Matrix(1, n, lambda _, j: f(j))


# (name, expression, declarations, expected compact, expected components by index formula)
IDENTITIES: list[tuple[str, str, dict[str, str], str, Callable[[], Matrix]]] = [
    # seed 001 / 002
    ("d(Wx)/dx = W", "W x", {"vectors": "x:3", "matrices": "W:2x3"}, "W", lambda: W23),
    ("W*x", "W*x", {"vectors": "x:3", "matrices": "W:2x3"}, "W", lambda: W23),
    ("W@x", "W@x", {"vectors": "x:3", "matrices": "W:2x3"}, "W", lambda: W23),
    (
        "d||x||^2/dx = 2x^T",
        "norm(x)^2",
        {"vectors": "x:3"},
        "2 x^T",
        lambda: row(3, lambda j: 2 * x3[j]),
    ),
    ("bars", "||x||^2", {"vectors": "x:3"}, "2 x^T", lambda: row(3, lambda j: 2 * x3[j])),
    ("x^T x", "x^T x", {"vectors": "x:3"}, "2 x^T", lambda: row(3, lambda j: 2 * x3[j])),
    ("x' x", "x' x", {"vectors": "x:3"}, "2 x^T", lambda: row(3, lambda j: 2 * x3[j])),
    (
        "d(sin∘x)/dx = diag(cos(x))",
        "sin(x)",
        {"vectors": "x:3"},
        "diag(cos(x))",
        lambda: diag_of(sympy.cos, x3),
    ),
    (
        "cos",
        "cos(x)",
        {"vectors": "x:3"},
        "-diag(sin(x))",
        lambda: diag_of(lambda u: -sympy.sin(u), x3),
    ),
    ("exp", "exp(x)", {"vectors": "x:3"}, "diag(exp(x))", lambda: diag_of(sympy.exp, x3)),
    ("log", "log(x)", {"vectors": "x:3"}, "diag(1 ./ x)", lambda: diag_of(lambda u: 1 / u, x3)),
    (
        "tanh",
        "tanh(x)",
        {"vectors": "x:3"},
        "diag(tanh'(x))",
        lambda: diag_of(lambda u: 1 - sympy.tanh(u) ** 2, x3),
    ),
    (
        "sigmoid",
        "sigmoid(x)",
        {"vectors": "x:3"},
        "diag(sigmoid'(x))",
        lambda: diag_of(lambda u: sigmoid(u) * (1 - sigmoid(u)), x3),
    ),
    (
        "d(a^T x)/dx = a^T (5.105)",
        "a^T x",
        {"vectors": "x:3,a:3", "wrt": "x"},
        "a^T",
        lambda: a3.T,
    ),
    ("d(x^T a)/dx = a^T (5.104)", "x^T a", {"vectors": "x:3,a:3", "wrt": "x"}, "a^T", lambda: a3.T),
    ("dot(a, x)", "dot(a, x)", {"vectors": "x:3,a:3", "wrt": "x"}, "a^T", lambda: a3.T),
    (
        "d(y^T A x)/dx = y^T A",
        "y^T A x",
        {"vectors": "x:3,y:2", "matrices": "A:2x3", "wrt": "x"},
        "y^T A",
        lambda: row(3, lambda j: sum(y2[k] * A23[k, j] for k in range(2))),
    ),
    (
        "d(x^T B x)/dx = x^T (B + B^T) (5.107)",
        "x^T B x",
        {"vectors": "x:3", "matrices": "B:3x3"},
        "x^T (B + B^T)",
        lambda: row(3, lambda j: sum(x3[k] * (B33[k, j] + B33[j, k]) for k in range(3))),
    ),
    (
        "5.107 at 2x2",
        "x^T B x",
        {"vectors": "x:2", "matrices": "B:2x2"},
        "x^T (B + B^T)",
        lambda: row(
            2,
            lambda j: sum(
                V("x", 2)[k] * (M("B", 2, 2)[k, j] + M("B", 2, 2)[j, k]) for k in range(2)
            ),
        ),
    ),
    (
        "x ⊙ c → diag(c)",
        "x .* c",
        {"vectors": "x:3,c:3", "wrt": "x"},
        "diag(c)",
        lambda: sympy.diag(*c3),
    ),
    (
        "hadamard",
        "hadamard(x, c)",
        {"vectors": "x:3,c:3", "wrt": "x"},
        "diag(c)",
        lambda: sympy.diag(*c3),
    ),
    ("x + c → I", "x + c", {"vectors": "x:3,c:3", "wrt": "x"}, "I", lambda: eye(3)),
    # seed 003, example 5.9: f = A x, df/dx = A (M = 2, N = 3)
    ("5.9", "A x", {"vectors": "x:3", "matrices": "A:2x3", "wrt": "x"}, "A", lambda: A23),
    # 5.11 least squares: dL/dθ = -2 (y - Φθ)^T Φ (N = 4, D = 2)
    (
        "5.11 least squares",
        "L = norm(y - Phi theta)^2",
        {"vectors": "theta:2,y:4", "matrices": "Phi:4x2", "wrt": "theta"},
        "-2 (y - Phi theta)^T Phi",
        lambda: row(
            2,
            lambda d: (
                -2
                * sum(
                    (V("y", 4)[n] - sum(M("Phi", 4, 2)[n, k] * V("theta", 2)[k] for k in range(2)))
                    * M("Phi", 4, 2)[n, d]
                    for n in range(4)
                )
            ),
        ),
    ),
    (
        "5.84 (y - Φθ)^T (y - Φθ)",
        "(y - Φ θ)ᵀ (y - Φ θ)",
        {"vectors": "theta:2,y:4", "matrices": "Phi:4x2", "wrt": "theta"},
        "-2 (y - Phi theta)^T Phi",
        lambda: row(
            2,
            lambda d: (
                -2
                * sum(
                    (V("y", 4)[n] - sum(M("Phi", 4, 2)[n, k] * V("theta", 2)[k] for k in range(2)))
                    * M("Phi", 4, 2)[n, d]
                    for n in range(4)
                )
            ),
        ),
    ),
    # 5.106: d(a^T X b)/dX = a b^T, entry (k, l) = a_k b_l
    (
        "5.106",
        "a^T X b",
        {"vectors": "a:2,b:3", "matrices": "X:2x3", "wrt": "X"},
        "a b^T",
        lambda: Matrix(2, 3, lambda k, m: S(f"a{k + 1}") * S(f"b{m + 1}")),
    ),
    # 5.108 with W symmetric: -2 (x - A s)^T W A
    (
        "5.108",
        "(x - A s)^T W (x - A s)",
        {"vectors": "x:3,s:2", "matrices": "A:3x2", "symmetric": "W:3", "wrt": "s"},
        "-2 (x - A s)^T W A",
        lambda: row(
            2,
            lambda j: (
                -2
                * sum(
                    (x3[i] - sum(M("A", 3, 2)[i, m] * V("s", 2)[m] for m in range(2)))
                    * SYM("W", 3)[i, k]
                    * M("A", 3, 2)[k, j]
                    for i in range(3)
                    for k in range(3)
                )
            ),
        ),
    ),
    (
        "5.108 without symmetry",
        "(x - A s)^T W (x - A s)",
        {"vectors": "x:3,s:2", "matrices": "A:3x2,W:3x3", "wrt": "s"},
        "-(x - A s)^T (W + W^T) A",
        lambda: row(
            2,
            lambda j: (
                -sum(
                    (x3[i] - sum(M("A", 3, 2)[i, m] * V("s", 2)[m] for m in range(2)))
                    * (M("W", 3, 3)[i, k] + M("W", 3, 3)[k, i])
                    * M("A", 3, 2)[k, j]
                    for i in range(3)
                    for k in range(3)
                )
            ),
        ),
    ),
    # 5.100 with f(X) = X and f(X) = A X: d tr(A X)/dX = A^T
    ("tr(X) 2x2", "tr(X)", {"matrices": "X:2x2"}, "I", lambda: eye(2)),
    ("tr(X) 3x3", "trace(X)", {"matrices": "X:3x3"}, "I", lambda: eye(3)),
    ("tr(A X)", "tr(A X)", {"matrices": "X:2x2,A:2x2", "wrt": "X"}, "A^T", lambda: M("A", 2, 2).T),
    (
        "tr(A X) 3x3",
        "tr(A X)",
        {"matrices": "X:3x3,A:3x3", "wrt": "X"},
        "A^T",
        lambda: M("A", 3, 3).T,
    ),
    # 5.101 with f(X) = X: d det(X)/dX = the cofactor matrix
    (
        "det(X) 2x2",
        "det(X)",
        {"matrices": "X:2x2"},
        "det(X) (X^-1)^T",
        lambda: Matrix([[S("X22"), -S("X21")], [-S("X12"), S("X11")]]),
    ),
    (
        "det(X) 3x3",
        "det(X)",
        {"matrices": "X:3x3"},
        "det(X) (X^-1)^T",
        lambda: Matrix(
            3,
            3,
            lambda i, j: (-1) ** (i + j) * M("X", 3, 3).minor_submatrix(i, j).det(),
        ),
    ),
]


@pytest.mark.parametrize(
    ("expr", "decl", "compact", "expected"),
    [row_[1:] for row_ in IDENTITIES],
    ids=[row_[0] for row_ in IDENTITIES],
)
def test_identity_in_components_and_compact_form(
    expr: str, decl: dict[str, str], compact: str, expected: Callable[[], Matrix]
) -> None:
    d = matrix_derivative(expr, **decl)  # type: ignore[arg-type]
    want = expected()
    assert same(Matrix(d.matrix), want), (d.matrix, want)
    assert d.compact_text == compact
    # The compact form, expanded on its own, equals the independent index formula.
    assert d.compact is not None
    assert same(Matrix(mx.components(d.compact)), want)


def test_sigmoid_layer_chain_rule() -> None:
    """d sigmoid(W x + b)/dx = diag(sigmoid'(W x + b)) W: entry (i, j) = σ'(z_i) W_ij."""
    d = matrix_derivative("sigmoid(W x + b)", vectors="x:3,b:2", matrices="W:2x3", wrt="x")
    z = W23 * x3 + V("b", 2)
    want = Matrix(2, 3, lambda i, j: sigmoid(z[i]) * (1 - sigmoid(z[i])) * W23[i, j])
    assert same(Matrix(d.matrix), want)
    assert d.compact_text == "diag(sigmoid'(W x + b)) W"
    assert d.notes() == ["sigmoid'(u) = sigmoid(u) (1 - sigmoid(u)), entrywise"]


def test_5_103_inverse_quadratic_form() -> None:
    """∂(a^T X^-1 b)/∂X = -(X^-1)^T a b^T (X^-1)^T, entry (k, l)."""
    d = matrix_derivative("a^T X^-1 b", vectors="a:2,b:2", matrices="X:2x2", wrt="X")
    inv = M("X", 2, 2).inv()
    a, b = V("a", 2), V("b", 2)
    want = Matrix(
        2,
        2,
        lambda k, m: (
            -sum(inv[i, k] * a[i] for i in range(2)) * sum(b[j] * inv[m, j] for j in range(2))
        ),
    )
    assert same(Matrix(d.matrix), want)
    assert d.compact_text == "-(X^-1)^T a b^T (X^-1)^T"


# ---------------------------------------------------------------------------
# Tensors: 5.12, 5.13, 5.99-5.102
# ---------------------------------------------------------------------------


def delta(i: int, j: int) -> int:
    return 1 if i == j else 0


def test_5_12_vector_by_matrix() -> None:
    """df/dA for f = A x: shape M × (M × N); ∂f_i/∂A_kq = δ_ik x_q (5.89-5.91)."""
    m_, n_ = 2, 3
    d = matrix_derivative("A x", vectors="x:3", matrices="A:2x3", wrt="A")
    assert d.kind == "tensor"
    assert d.tensor_shape == (m_, m_, n_)
    x = V("x", n_)
    for i, k, q in product(range(m_), range(m_), range(n_)):
        assert d.entry((i, k, q)) == delta(i, k) * x[q]
    # Flattened with column-stacking vec: column of A_kq is q*M + k.
    assert d.flattened.shape == (m_, m_ * n_)
    for i, k, q in product(range(m_), range(m_), range(n_)):
        assert d.flattened[i, q * m_ + k] == delta(i, k) * x[q]
    assert d.variable_labels == ["A11", "A21", "A12", "A22", "A13", "A23"]
    assert d.output_labels == ["f1", "f2"]
    assert d.compact_text == "kron(x^T, I_2)"


def formula_5_98(R: Matrix, p: int, q: int, i: int, j: int) -> sympy.Expr:
    """The seed's four cases for ∂K_pq/∂R_ij with K = R^T R."""
    if j == p and p != q:
        return R[i, q]
    if j == q and p != q:
        return R[i, p]
    if j == p and p == q:
        return 2 * R[i, q]
    return sympy.S.Zero


@pytest.mark.parametrize(("m_", "n_"), [(3, 2), (2, 3), (4, 3)])
def test_5_13_matrix_by_matrix_four_cases(m_: int, n_: int) -> None:
    d = matrix_derivative("K = R^T R", matrices=f"R:{m_}x{n_}")
    R = M("R", m_, n_)
    assert d.tensor_shape == (n_, n_, m_, n_)
    for p, q, i, j in product(range(n_), range(n_), range(m_), range(n_)):
        assert d.entry((p, q, i, j)) == formula_5_98(R, p, q, i, j), (p, q, i, j)
    nested = d.tensor()
    assert nested[0][1][2 % m_][0] == formula_5_98(R, 0, 1, 2 % m_, 0)
    assert d.flattened.shape == (n_ * n_, m_ * n_)
    assert d.compact is not None  # verified against the components inside


def test_5_13_labels_follow_column_stacking() -> None:
    d = matrix_derivative("K = R^T R", matrices="R:3x2")
    assert d.output_labels == ["K11", "K21", "K12", "K22"]
    assert d.variable_labels == ["R11", "R21", "R31", "R12", "R22", "R32"]
    assert d.flattened.shape == (4, 6)


@pytest.mark.parametrize("n", [2, 3])
def test_5_99_transpose_swaps_the_output_indices(n: int) -> None:
    decl = {"matrices": f"X:{n}x{n},A:{n}x{n}", "wrt": "X"}
    t = matrix_derivative("(A X)^T", **decl)  # type: ignore[arg-type]
    f = matrix_derivative("A X", **decl)  # type: ignore[arg-type]
    A = M("A", n, n)
    for i, j, k, m in product(range(n), repeat=4):
        assert f.entry((i, j, k, m)) == A[i, k] * delta(j, m)  # ∂(AX)_ij/∂X_km
        assert t.entry((i, j, k, m)) == f.entry((j, i, k, m))
    assert t.compact is not None and f.compact is not None


@pytest.mark.parametrize("n", [2, 3])
def test_5_100_trace_contracts_the_output_indices(n: int) -> None:
    decl = {"matrices": f"X:{n}x{n},A:{n}x{n}", "wrt": "X"}
    g = matrix_derivative("tr(A X)", **decl)  # type: ignore[arg-type]
    f = matrix_derivative("A X", **decl)  # type: ignore[arg-type]
    for k, m in product(range(n), repeat=2):
        traced = sum(f.entry((i, i, k, m)) for i in range(n))
        assert g.matrix[k, m] == traced


def test_5_101_determinant_rule() -> None:
    """∂det(F)/∂X = det(F) tr(F^-1 ∂F/∂X) with F = A X, 2×2."""
    decl = {"matrices": "X:2x2,A:2x2", "wrt": "X"}
    g = matrix_derivative("det(A X)", **decl)  # type: ignore[arg-type]
    f = matrix_derivative("A X", **decl)  # type: ignore[arg-type]
    F = M("A", 2, 2) * M("X", 2, 2)
    Finv = F.inv()
    for k, m in product(range(2), repeat=2):
        want = F.det() * sum(Finv[b, a] * f.entry((a, b, k, m)) for a in range(2) for b in range(2))
        assert same(Matrix([[g.matrix[k, m]]]), Matrix([[want]]))
    assert g.compact_text == "det(A X) A^T ((A X)^-1)^T"


@pytest.mark.parametrize("expr", ["inv(X)", "X^-1"])
def test_5_102_inverse_rule(expr: str) -> None:
    """∂(X^-1)_ab/∂X_kl = -(X^-1)_ak (X^-1)_lb."""
    d = matrix_derivative(expr, matrices="X:2x2")
    inv = M("X", 2, 2).inv()
    for a, b, k, m in product(range(2), repeat=4):
        assert same(Matrix([[d.entry((a, b, k, m))]]), Matrix([[-inv[a, k] * inv[m, b]]]))
    assert d.compact_text == "-kron((X^-1)^T, X^-1)"


def test_5_102_with_a_function_of_x() -> None:
    """∂F^-1/∂X = -F^-1 (∂F/∂X) F^-1 with F = A X."""
    decl = {"matrices": "X:2x2,A:2x2", "wrt": "X"}
    d = matrix_derivative("inv(A X)", **decl)  # type: ignore[arg-type]
    f = matrix_derivative("A X", **decl)  # type: ignore[arg-type]
    Finv = (M("A", 2, 2) * M("X", 2, 2)).inv()
    for a, b, k, m in product(range(2), repeat=4):
        want = -sum(
            Finv[a, c] * f.entry((c, e, k, m)) * Finv[e, b] for c in range(2) for e in range(2)
        )
        assert same(Matrix([[d.entry((a, b, k, m))]]), Matrix([[want]]))
    assert d.compact is not None


def test_matrix_by_scalar() -> None:
    d = matrix_derivative("exp(t) W", matrices="W:2x2", wrt="t")
    assert d.kind == "by-scalar"
    assert same(Matrix(d.matrix), sympy.exp(S("t")) * M("W", 2, 2))
    assert d.compact_text == "exp(t) W"


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "decl", "compact"),
    [
        ("W x", {"vectors": "x:3", "matrices": "W:2x3"}, "W^T"),
        ("norm(x)^2", {"vectors": "x:3"}, "2 x"),
        ("x^T B x", {"vectors": "x:3", "matrices": "B:3x3"}, "(B^T + B) x"),
        (
            "norm(y - Phi theta)^2",
            {"vectors": "theta:2,y:4", "matrices": "Phi:4x2", "wrt": "theta"},
            "-2 Phi^T (y - Phi theta)",
        ),
        ("a^T X b", {"vectors": "a:2,b:3", "matrices": "X:2x3", "wrt": "X"}, "b a^T"),
    ],
)
def test_denominator_layout_is_the_transpose(expr: str, decl: dict[str, str], compact: str) -> None:
    num = matrix_derivative(expr, **decl)  # type: ignore[arg-type]
    den = matrix_derivative(expr, layout="denominator", **decl)  # type: ignore[arg-type]
    assert den.matrix == num.matrix.T
    assert den.flattened == num.flattened.T
    assert den.compact_text == compact


def test_tensor_index_order_does_not_depend_on_layout() -> None:
    num = matrix_derivative("K = R^T R", matrices="R:3x2")
    den = matrix_derivative("K = R^T R", matrices="R:3x2", layout="denominator")
    assert num.tensor() == den.tensor()
    assert den.flattened.shape == (6, 4)


# ---------------------------------------------------------------------------
# The compact-form engine: only verified forms are shown
# ---------------------------------------------------------------------------


def test_agrees_rejects_a_wrong_form() -> None:
    x = mx.vector("x", 3)
    wrong = alg.mul(2, x)  # the gradient of ||x||^2 is 2 x^T, not 2 x
    assert not agrees(mx.components(wrong), Matrix(1, 3, [2 * e for e in x3]))
    assert agrees(mx.components(alg.transpose(wrong)), Matrix(1, 3, [2 * e for e in x3]))


def test_agrees_sees_through_rational_forms() -> None:
    X = mx.matrix("X", 2, 2)
    inv = Matrix(mx.components(alg.inverse(X)))
    assert agrees(inv * Matrix(M("X", 2, 2)), eye(2).as_immutable())


def test_no_compact_form_is_invented() -> None:
    d = matrix_derivative("diag(x)", vectors="x:2")
    assert d.compact is None
    assert d.kind == "tensor"
    assert d.entry((0, 0, 0)) == 1 and d.entry((0, 1, 0)) == 0


@pytest.mark.parametrize(
    ("expr", "decl", "compact"),
    [
        ("tr(X^T X)", {"matrices": "X:2x3"}, "2 X"),
        ("norm(X)^2", {"matrices": "X:2x3"}, "2 X"),
        ("log(det(X))", {"matrices": "X:2x2"}, "(X^-1)^T"),
        (
            "norm(W x - y)^2",
            {"vectors": "x:3,y:2", "matrices": "W:2x3", "wrt": "W"},
            "2 (W x - y) x^T",
        ),
        ("sum(x)", {"vectors": "x:3"}, "1^T"),
        ("norm(x)", {"vectors": "x:3"}, "x^T / norm(x)"),
        ("x / norm(x)", {"vectors": "x:3"}, "I / norm(x) - x x^T / norm(x)^3"),
        ("x.^2", {"vectors": "x:3"}, "2 diag(x)"),
        ("diag(x) y", {"vectors": "x:3,y:3", "wrt": "x"}, "diag(y)"),
        ("x .* sin(x)", {"vectors": "x:3"}, "diag(sin(x) + x .* cos(x))"),
        ("exp(-norm(x)^2/2)", {"vectors": "x:3"}, "-exp(-1/2 norm(x)^2) x^T"),
        ("(x^T x)^2", {"vectors": "x:3"}, "4 (x^T x) x^T"),
        ("x^T W", {"vectors": "x:3", "matrices": "W:3x2"}, "W^T"),
        (
            "a^T sin(X) b",
            {"vectors": "a:2,b:2", "matrices": "X:2x2", "wrt": "X"},
            "(a b^T) .* cos(X)",
        ),
        ("x x^T", {"vectors": "x:2"}, "kron(I_2, x) + kron(x, I_2)"),
    ],
)
def test_more_compact_forms(expr: str, decl: dict[str, str], compact: str) -> None:
    d = matrix_derivative(expr, **decl)  # type: ignore[arg-type]
    assert d.compact_text == compact


def test_jvec_raises_without_a_rule() -> None:
    x = mx.vector("x", 2)
    with pytest.raises(mx.NotCompact):
        jvec(alg.diag(x), x)


def test_sparse_jacobian_matches_sympy() -> None:
    f = [S("x1") ** 2 * S("y") + S("x2"), sympy.sin(S("x1") * S("x2")), Rational(3)]
    xs = [S("x1"), S("x2")]
    assert sparse_jacobian(f, xs) == Matrix(f).jacobian(xs)


# ---------------------------------------------------------------------------
# Declarations and errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vectors", "matrices", "symmetric", "names"),
    [
        (["x:3"], [], [], {"x": ("x1", "x2", "x3")}),
        (["x:3,y:2"], [], [], {"x": ("x1", "x2", "x3"), "y": ("y1", "y2")}),
        ([], ["W:2x2"], [], {"W": ("W11", "W12", "W21", "W22")}),
        ([], ["W:2×2"], [], {"W": ("W11", "W12", "W21", "W22")}),
        ([], [], ["S:2"], {"S": ("S11", "S12", "S12", "S22")}),
        (["θ:2"], [], [], {"theta": ("theta1", "theta2")}),
        (["h2:2"], [], [], {"h2": ("h2_1", "h2_2")}),
        ([], ["A:10x1"], [], {"A": tuple(f"A_{i}_1" for i in range(1, 11))}),
    ],
)
def test_declarations_and_component_names(
    vectors: list[str], matrices: list[str], symmetric: list[str], names: dict[str, tuple[str, ...]]
) -> None:
    syms = parse_declarations(vectors, matrices, symmetric)
    assert {k: v.names for k, v in syms.items()} == names


@pytest.mark.parametrize(
    ("vectors", "matrices", "error", "message"),
    [
        (["x"], [], InputError, "--vector expects NAME:SIZE"),
        (["x:0"], [], InputError, "sizes start at 1"),
        (["x:three"], [], InputError, "is not a size"),
        ([], ["W:2"], InputError, "--matrix expects NAME:ROWSxCOLS"),
        (["x:2", "x:3"], [], InputError, "x is declared twice"),
        (["sin:2"], [], InputError, "sin is a function name"),
        (["x:5000"], [], LimitError, "over the limit"),
        ([], ["W:200x200"], LimitError, "the limit is 10,000"),
        (["x:12", "x1:2"], [], InputError, "the component x1 of x has the same name"),
        (["2x:3"], [], InputError, "is not a name"),
    ],
)
def test_bad_declarations(
    vectors: list[str], matrices: list[str], error: type, message: str
) -> None:
    with pytest.raises(error) as info:
        parse_declarations(vectors, matrices)
    assert message in str(info.value)


def test_wrt_errors() -> None:
    with pytest.raises(InputError, match="say which symbol"):
        matrix_derivative("x^T y", vectors="x:2,y:2")
    with pytest.raises(InputError, match="no such symbol"):
        matrix_derivative("x^T x", vectors="x:2", wrt="z")
    with pytest.raises(InputError, match="unknown layout"):
        matrix_derivative("x", vectors="x:2", layout="sideways")


def test_singular_inverse_is_an_input_error() -> None:
    with pytest.raises(ShapeError, match="singular"):
        matrix_derivative("inv(x x^T)", vectors="x:2")


def test_size_limits() -> None:
    with pytest.raises(LimitError, match="entries"):
        matrix_derivative("K = R^T R", matrices="R:100x100")
    with pytest.raises(LimitError, match="too large to expand"):
        matrix_derivative("inv(X)", matrices="X:6x6")


def test_parse_keeps_the_name_and_scalars() -> None:
    syms = parse_declarations(["x:2"])
    e = parse_matrix_expression("L = a x^T x + b", syms)
    assert (e.name, e.scalars, e.body) == ("L", ("a", "b"), "a x^T x + b")


# ---------------------------------------------------------------------------
# Property: components and compact forms agree with finite differences
# ---------------------------------------------------------------------------

DECL = {"vectors": "x:3,c:3", "matrices": "A:3x3,B:3x3", "wrt": "x"}
_VEC = ["x", "c"]
_SCAL = ["k", "2", "norm(x)^2", "x^T c", "sum(x)"]


def _vectors(depth: int) -> st.SearchStrategy[str]:
    base = st.sampled_from(_VEC)
    if depth == 0:
        return base
    inner = _vectors(depth - 1)
    return st.one_of(
        base,
        st.builds(lambda u, v: f"({u} + {v})", inner, inner),
        st.builds(lambda s, v: f"({s} {v})", st.sampled_from(_SCAL), inner),
        st.builds(lambda v: f"(A {v})", inner),
        st.builds(lambda v: f"(B^T {v})", inner),
        st.builds(lambda f, v: f"{f}({v})", st.sampled_from(["sin", "tanh", "exp"]), inner),
        st.builds(lambda u, v: f"({u} .* {v})", inner, inner),
    )


def _scalar_of(v: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f"norm({v})^2", f"x^T {v}", f"{v}^T A {v}", f"sum({v})"])


@settings(max_examples=25, deadline=None)
@given(st.one_of(_vectors(2), _vectors(1).flatmap(_scalar_of)), st.randoms(use_true_random=False))
def test_derivative_matches_finite_differences(text: str, rng: random.Random) -> None:
    d = matrix_derivative(text, **DECL)  # type: ignore[arg-type]
    symbols = set().union(*[e.free_symbols for e in d.value]) | set(x3)
    point = {s: rng.uniform(-1.0, 1.0) for s in sorted(symbols, key=str)}

    def f(values: dict[sympy.Symbol, float]) -> list[float]:
        return [float(e.evalf(subs=values)) for j in range(d.value.cols) for e in d.value[:, j]]

    h = 1e-6
    for col, var in enumerate(x3):
        up, down = dict(point), dict(point)
        up[var] += h
        down[var] -= h
        fd = [(a - b) / (2 * h) for a, b in zip(f(up), f(down), strict=True)]
        exact = [float(e.evalf(subs=point)) for e in d.flattened[:, col]]
        assert exact == pytest.approx(fd, rel=1e-4, abs=1e-5)
        if d.compact is not None:
            compact = mx.components(d.compact)
            got = [float(e.evalf(subs=point)) for e in compact[:, col]]
            assert got == pytest.approx(exact, rel=1e-9, abs=1e-9)
