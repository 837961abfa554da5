"""The matrix language: what each input means, and how every bad input is reported."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sympy import Matrix

from jacobi.errors import InputError, JacobiError, LimitError, ParseError, ShapeError
from jacobi.matrix import nodes as mx
from jacobi.matrix.declarations import parse_declarations
from jacobi.matrix.parse import parse_matrix_expression


def S(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


SYMS = parse_declarations(
    ["x:3,y:3,c:3,a:3,b:2,theta:2,v:4"],
    ["W:2x3,A:3x3,B:3x3,Phi:4x2,R:3x2,X:2x2"],
    ["S:3"],
)
x = Matrix(3, 1, [S(f"x{i}") for i in (1, 2, 3)])
y = Matrix(3, 1, [S(f"y{i}") for i in (1, 2, 3)])
c = Matrix(3, 1, [S(f"c{i}") for i in (1, 2, 3)])
b = Matrix(2, 1, [S("b1"), S("b2")])
W = Matrix(2, 3, lambda i, j: S(f"W{i + 1}{j + 1}"))
A = Matrix(3, 3, lambda i, j: S(f"A{i + 1}{j + 1}"))
B = Matrix(3, 3, lambda i, j: S(f"B{i + 1}{j + 1}"))
X = Matrix(2, 2, lambda i, j: S(f"X{i + 1}{j + 1}"))
k, t = S("k"), S("t")


def comps(text: str) -> Matrix:
    return Matrix(mx.components(parse_matrix_expression(text, SYMS).node))


# (input, its meaning written with SymPy matrices directly)
MEANING = [
    ("W x", W * x),
    ("W*x", W * x),
    ("W@x", W * x),
    ("W (x)", W * x),
    ("x^T", x.T),
    ("x'", x.T),
    ("transpose(x)", x.T),
    ("xᵀ", x.T),
    ("x^T^T", x),
    ("x''", x),
    ("(W x)^T", (W * x).T),
    ("x^T y", x.T * y),
    ("x' y", x.T * y),
    ("dot(x, y)", x.T * y),
    ("norm(x)^2", Matrix([[x.dot(x)]])),
    ("||x||^2", Matrix([[x.dot(x)]])),
    ("||x||_2^2", Matrix([[x.dot(x)]])),
    ("‖x‖²", Matrix([[x.dot(x)]])),
    ("norm(x)", Matrix([[sympy.sqrt(x.dot(x))]])),
    ("x .* c", x.multiply_elementwise(c)),
    ("x ⊙ c", x.multiply_elementwise(c)),
    ("hadamard(x, c)", x.multiply_elementwise(c)),
    ("x ./ c", Matrix(3, 1, lambda i, _: x[i] / c[i])),
    ("1 ./ x", Matrix(3, 1, lambda i, _: 1 / x[i])),
    ("x.^2", x.applyfunc(lambda e: e**2)),
    ("sin(x)", x.applyfunc(sympy.sin)),
    ("exp(W x + b)", (W * x + b).applyfunc(sympy.exp)),
    ("sigmoid(W x + b)", (W * x + b).applyfunc(lambda e: 1 / (1 + sympy.exp(-e)))),
    ("tanh(x)", x.applyfunc(sympy.tanh)),
    ("arctan(x)", x.applyfunc(sympy.atan)),
    ("ln(x)", x.applyfunc(sympy.log)),
    ("x + y", x + y),
    ("x - y", x - y),
    ("-x", -x),
    ("+x", x),
    ("2 x", 2 * x),
    ("2x", 2 * x),
    ("x/2", x / 2),
    ("0.5 x", x / 2),
    ("1e-1 x", x / 10),
    ("k x", k * x),
    ("x k", k * x),
    ("(x^T x) y", x.dot(x) * y),
    ("x^T x y", x.dot(x) * y),
    ("y x^T x", x.dot(x) * y),
    ("x / norm(x)", x / sympy.sqrt(x.dot(x))),
    ("(c^T c) c + (c^T x) c", (c.dot(c) + c.dot(x)) * c),
    ("diag(x) x + x / norm(c)", x.multiply_elementwise(x) + x / sympy.sqrt(c.dot(c))),
    ("x^T A x", x.T * A * x),
    ("x^T (A + B) x", x.T * (A + B) * x),
    ("tr(A)", Matrix([[A.trace()]])),
    ("trace(A B)", Matrix([[(A * B).trace()]])),
    ("det(X)", Matrix([[X.det()]])),
    ("inv(X)", X.adjugate() / X.det()),
    ("X^-1", X.adjugate() / X.det()),
    ("X⁻¹", X.adjugate() / X.det()),
    ("X^(-1)", X.adjugate() / X.det()),
    ("X^2", X * X),
    ("X^0", sympy.eye(2)),
    ("diag(x)", sympy.diag(*x)),
    ("diag(x^T)", sympy.diag(*x)),
    ("diag(A)", Matrix(3, 1, [A[0, 0], A[1, 1], A[2, 2]])),
    ("sum(x)", Matrix([[sum(x)]])),
    ("vec(X)", Matrix([X[0, 0], X[1, 0], X[0, 1], X[1, 1]])),
    ("kron(X, X)", sympy.kronecker_product(X, X)),
    ("pi x", sympy.pi * x),
    ("e^t", Matrix([[sympy.exp(t)]])),
    ("2^3 x", 8 * x),
    ("-x^T x", -(x.T * x)),
    ("f = W x", W * x),
    ("θ^T θ", Matrix([[S("theta1") ** 2 + S("theta2") ** 2]])),
    ("x^T S x", x.T * Matrix(3, 3, lambda i, j: S(f"S{min(i, j) + 1}{max(i, j) + 1}")) * x),
]


@pytest.mark.parametrize(("text", "meaning"), MEANING, ids=[m[0] for m in MEANING])
def test_meaning(text: str, meaning: Matrix) -> None:
    got = comps(text)
    assert got.shape == meaning.shape
    assert all(sympy.expand(g - m) == 0 for g, m in zip(got, meaning, strict=True))


# (input, error class, message fragment, caret column)
ERRORS = [
    ("W b", ShapeError, "cannot multiply W (2×3) by b (2×1)", 2),
    ("x y", ShapeError, "cannot multiply x (3×1) by y (3×1)", 2),
    ("x W", ShapeError, "cannot multiply x (3×1) by W (2×3)", 2),
    ("W*b", ShapeError, "cannot multiply W (2×3) by b (2×1)", 1),
    ("x + b", ShapeError, "cannot add x (3×1) and b (2×1)", 2),
    ("x - W x", ShapeError, "cannot subtract W x (2×1) from x (3×1)", 2),
    ("x + 1", ShapeError, "cannot add x (3×1) and 1 (1×1)", 2),
    ("x^2", ShapeError, "cannot raise x (3×1) to a power", 1),
    ("W^2", ShapeError, "cannot raise W (2×3) to a power: it is not square", 1),
    ("X^0.5", ShapeError, "whole-number exponent", 2),
    ("X^x", ShapeError, "the exponent x (3×1) must be a scalar", 2),
    ("x / y", ShapeError, "cannot divide by y (3×1)", 2),
    ("x .* b", ShapeError, "cannot multiply entrywise", 2),
    ("x ./ b", ShapeError, "cannot divide entrywise", 2),
    ("tr(W)", ShapeError, "tr needs a square matrix, not W (2×3)", 0),
    ("det(x)", ShapeError, "det needs a square matrix", 0),
    ("inv(W)", ShapeError, "inv needs a square matrix", 0),
    ("diag(W)", ShapeError, "diag needs a vector or a square matrix", 0),
    ("dot(x, b)", ShapeError, "dot needs two vectors of one length", 0),
    ("hadamard(x, W)", ShapeError, "hadamard needs equal shapes", 0),
    ("", ParseError, "expected an expression", 0),
    ("x +", ParseError, "expected a value, found the end of the input", 3),
    ("(x", ParseError, "expected ')'", 2),
    ("x)", ParseError, "unexpected ')'", 1),
    ("||x", ParseError, "expected '||' to close the norm", 3),
    ("sin x", ParseError, "sin is a function: write sin(...)", 0),
    ("sin(x, y)", ParseError, "sin takes 1 argument, given 2", 0),
    ("kron(x)", ParseError, "kron takes 2 arguments, given 1", 0),
    ("x | y", ParseError, "unexpected character '|'", 2),
    ("x # y", ParseError, "unexpected character '#'", 2),
    ("x1 + x", ParseError, "x1 is a component of x", 0),
    ("T", ParseError, "T marks a transpose only after ^", 0),
    ("x = x", ParseError, "the result cannot be named x", 0),
    ("f = g = x", ParseError, "unexpected '='", 6),
    ("x ** ", ParseError, "expected a value", 5),
    ("__import__('os')", ParseError, "unknown function '__import__'", 0),
    ("eval(x)", ParseError, "unknown function 'eval'", 0),
    ("x.__class__", ParseError, "unexpected", None),
    ("lambda: x", ParseError, "unexpected character ':'", 6),
    ("2^2^2^2^2^2", LimitError, "digits", None),
    ("9**9**9", LimitError, "digits", None),
    ("(" * 300 + "x" + ")" * 300, LimitError, "nested more than", None),
    ("sin(" * 120 + "x" + ")" * 120, LimitError, "nested more than", None),
    ("x" * 30000, LimitError, "more than 20,000 characters", None),
    ("1" * 1001 + " x", LimitError, "more than 1000 digits", 0),
    ("X^100", LimitError, "matrix powers above 64", 2),
    # scalar-only functions are refused, never read as scalar names (issue 8)
    ("csch(x)", ParseError, "csch is not a function of matrix expressions", 0),
    ("2 gamma(x)", ParseError, "gamma is not a function of matrix expressions", 2),
    ("atan2(k, t) x", ParseError, "atan2 is not a function of matrix expressions", 0),
    ("x + csch x", ParseError, "csch is not a function of matrix expressions", 4),
    ("phi(x)", ParseError, "unknown function 'phi'", 0),
    ("sinx + k", ParseError, "'sinx' is one name, not sin(x)", 0),
    ("Αx", ParseError, "unknown character 'Α' (U+0391)", 0),
    ("x*acos(2)", ParseError, "acos(2) is not a real number", 2),
    ("(-8)^(1/3) x", ParseError, "(-8)^(1/3) is not a real number", 4),
    ("(-2)^k x", ParseError, "a negative number to a variable power", 4),
    ("0^k x", ParseError, "0^k is 0 where the exponent is positive", 1),
    ("x*log(0)", ParseError, "log(0) is undefined", 2),
    ("sqrt(" + "7" * 301 + ") x", LimitError, "a number over 300 digits inside sqrt", 0),
]


@pytest.mark.parametrize(
    ("text", "error", "message", "column"), ERRORS, ids=[e[0][:30] for e in ERRORS]
)
def test_errors(text: str, error: type[JacobiError], message: str, column: int | None) -> None:
    with pytest.raises(error) as info:
        parse_matrix_expression(text, SYMS)
    assert message in info.value.message
    if column is not None:
        assert info.value.column == column
    lines = info.value.lines()
    if info.value.column is not None:
        assert lines[-1].strip() == "^"
    assert info.value.exit_code == (4 if error is LimitError else 2)


def test_nothing_is_evaluated() -> None:
    """Python syntax is not the language: attribute chains and calls never reach Python."""
    for text in ["x.T", "().__class__", "exec('1')", "x.__dict__", "[x]"]:
        with pytest.raises(JacobiError):
            parse_matrix_expression(text, SYMS)


# ---------------------------------------------------------------------------
# Printing reads back: text(node) parses to the same components
# ---------------------------------------------------------------------------

V3 = ["x", "y", "c", "(W^T b)"]
SCALARS = ["k", "2", "1/3", "norm(x)^2", "x^T y", "sum(c)", "det(X)"]


def vectors(depth: int) -> st.SearchStrategy[str]:
    base = st.sampled_from(V3)
    if depth == 0:
        return base
    inner = vectors(depth - 1)
    scal = st.sampled_from(SCALARS)
    return st.one_of(
        base,
        st.builds(lambda u, v: f"({u} + {v})", inner, inner),
        st.builds(lambda u, v: f"({u} - {v})", inner, inner),
        st.builds(lambda s, v: f"({s} {v})", scal, inner),
        st.builds(lambda v: f"(A {v})", inner),
        st.builds(lambda v: f"(B^T {v})", inner),
        st.builds(lambda f, v: f"{f}({v})", st.sampled_from(["sin", "exp", "tanh"]), inner),
        st.builds(lambda u, v: f"({u} .* {v})", inner, inner),
        st.builds(lambda u, v: f"(({u}^T {v}) {u})", inner, inner),
    )


@settings(max_examples=60, deadline=None)
@given(vectors(2))
def test_printed_form_parses_back_to_the_same_components(text: str) -> None:
    node = parse_matrix_expression(text, SYMS).node
    # A zero, identity or all-ones matrix prints as 0, I or 1, whose size the text cannot carry.
    assume(not any(isinstance(n, mx.Zero | mx.Identity | mx.Ones) for n in mx.walk(node)))
    again = parse_matrix_expression(mx.text(node), SYMS).node
    one, two = mx.components(node), mx.components(again)
    assert all(sympy.expand(p - q) == 0 for p, q in zip(one, two, strict=True))


@pytest.mark.parametrize("size", ["²", "³", "١", "x", "-1", "2.5", ""])
def test_sizes_must_be_ascii_digits(size: str) -> None:
    with pytest.raises(InputError) as info:
        parse_declarations([f"x:{size}"])
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("arcsinh(k) + sgn(t) + cosec(k)", sympy.asinh(k) + sympy.sign(t) + sympy.csc(k)),
        ("Υ k", S("Upsilon") * k),
        ("gamma k + pi(k + 1)", S("gamma") * k + sympy.pi * (k + 1)),
        ("ab (k + 1)", S("ab") * (k + 1)),
    ],
)
def test_scalar_words_shared_with_jac(text: str, meaning: object) -> None:
    assert comps(text) == Matrix([[meaning]])


def test_every_node_class_owns_its_rules() -> None:
    # Adding a node is adding one class: each concrete class expands and prints itself.
    from jacobi.matrix import nodes, operations

    classes = [
        c
        for module in (nodes, operations)
        for c in vars(module).values()
        if isinstance(c, type) and issubclass(c, mx.Node) and c.__module__ == module.__name__
    ]
    concrete = [c for c in classes if not c.__name__.startswith("_") and c not in BASES]
    for cls in concrete:
        for rule in ("_components", "_print_text", "_print_latex"):
            assert getattr(cls, rule) is not getattr(mx.Node, rule), (cls.__name__, rule)


BASES = (mx.Node, mx.Unary, mx.Binary)
