"""Matrices of numbers in the matrix language: shapes, exact entries, printing, errors.

Expected values are written by hand (or built with SymPy directly); printed literals
must read back to the same node.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Matrix, Rational, sqrt

from jacobi.errors import LimitError, ParseError, ShapeError
from jacobi.matrix import nodes as mx
from jacobi.matrix.calculus import matrix_derivative
from jacobi.matrix.declarations import parse_declarations
from jacobi.matrix.parse import parse_matrix_expression

SYMS = parse_declarations(["x:2"], ["X:2x2"])


def node(text: str) -> mx.Node:
    return parse_matrix_expression(text, SYMS).node


@pytest.mark.parametrize(
    ("text", "expected", "printed"),
    [
        ("[[1, 2], [4, 7]]", Matrix([[1, 2], [4, 7]]), "[[1, 2], [4, 7]]"),
        ("[1, 2]", Matrix([[1], [2]]), "[1, 2]"),  # a flat list is a column
        ("[[1, 2]]", Matrix([[1, 2]]), "[[1, 2]]"),  # one row
        ("[[1], [2]]", Matrix([[1], [2]]), "[1, 2]"),
        ("[1/2, 0.25, -3]", Matrix([Rational(1, 2), Rational(1, 4), -3]), "[1/2, 1/4, -3]"),
        ("[pi/4, sqrt(2), e]", Matrix([sympy.pi / 4, sqrt(2), sympy.E]), "[pi/4, sqrt(2), e]"),
        ("[2 pi, 1 - 2]", Matrix([2 * sympy.pi, -1]), "[2*pi, -1]"),
        ("[1, 2]^T", Matrix([[1, 2]]), "[[1, 2]]"),
        ("[1, 2] + [3, 4]", Matrix([4, 6]), "[4, 6]"),  # literals fold
        ("[[1, 2], [3, 4]] .* [[2, 0], [0, 2]]", Matrix([[2, 0], [0, 8]]), "[[2, 0], [0, 8]]"),
        ("[5]", Matrix([[5]]), "5"),  # 1×1 is a number
    ],
)
def test_literals(text: str, expected: Matrix, printed: str) -> None:
    n = node(text)
    assert n.shape == expected.shape
    assert mx.components(n) == expected
    assert mx.text(n) == printed
    assert node(printed) == n  # reads back


def test_literals_mix_with_symbols() -> None:
    x = Matrix([mx.symbol("x1"), mx.symbol("x2")])
    X = Matrix(2, 2, lambda i, j: mx.symbol(f"X{i + 1}{j + 1}"))
    L = Matrix([[1, 2], [4, 7]])
    assert mx.components(node("[[1, 2], [4, 7]] X")) == L * X
    assert (
        mx.components(node("x^T [[1, 2], [4, 7]] x"))[0, 0].expand() == (x.T * L * x)[0, 0].expand()
    )
    assert mx.text(node("2 [1, 2] + x")) == "2 [1, 2] + x"
    assert mx.latex(node("[[1, 2], [4, 7]] X")) == (
        r"\begin{bmatrix} 1 & 2 \\ 4 & 7 \end{bmatrix} \mathbf{X}"
    )


def test_derivatives_with_literals_match_sympy() -> None:
    L = Matrix([[1, 2], [4, 7]])
    x = Matrix([mx.symbol("x1"), mx.symbol("x2")])
    d = matrix_derivative("x^T [[1, 2], [4, 7]] x", vectors="x:2")
    assert d.matrix == Matrix([[(x.T * L * x)[0, 0].diff(v) for v in x]]).applyfunc(sympy.expand)
    assert d.compact_text == "x^T [[2, 6], [6, 14]]"  # x^T (L + L^T)
    k = matrix_derivative("[[1, 2], [4, 7]] X", matrices="X:2x2")
    X = Matrix(2, 2, lambda i, j: mx.symbol(f"X{i + 1}{j + 1}"))
    F = L * X
    vecF = [F[i, j] for j in range(2) for i in range(2)]
    vecX = [X[i, j] for j in range(2) for i in range(2)]
    assert k.flattened == Matrix([[f.diff(v) for v in vecX] for f in vecF])
    assert k.compact_text == "kron(I_2, [[1, 2], [4, 7]])"


@pytest.mark.parametrize(
    ("text", "error", "message", "column"),
    [
        ("[[1, 2], [3]]", ShapeError, "row 2 of the matrix has 1 entry but row 1 has 2", 9),
        ("[1 2]", ParseError, "entries of a matrix are separated by commas", 3),
        ("[1 -2]", ParseError, "'-' with a space before it and none after", 3),
        ("[[1, 2], 3]", ParseError, "expected '[' to open the next row", 9),
        ("[1, [2]]", ParseError, "all rows or all numbers", 4),
        ("[]", ParseError, "a matrix needs at least one number", 1),
        ("[[]]", ParseError, "a row needs at least one number", 2),
        ("[1, ]", ParseError, "expected a number after ','", 4),
        ("[[[1]]]", ParseError, "brackets nest two deep at most", 2),
        ("[1, 2", ParseError, "expected ',' or ']' to close the matrix", 5),
        ("[1; 2]", ParseError, "write a matrix as its rows", 2),
        ("[x, 1]", ShapeError, "an entry of a matrix must be a number, not x (2×1)", 1),
        ("[a, 1]", ParseError, "an entry of a matrix must be a number: a is not", 1),
        ("[1/0]", ParseError, "division by zero", 2),
        ("[sqrt(-1)]", ParseError, "is not a real number", 1),
        ("[[1, 2], [4, 7]] x^T", ShapeError, "cannot multiply", 17),
        ("x / (1 - 1)", ParseError, "division by zero: (1 - 1) is 0", 2),
    ],
)
def test_malformed_literals(text: str, error: type, message: str, column: int) -> None:
    with pytest.raises(error) as info:
        node(text)
    assert message in str(info.value)
    assert info.value.column == column  # type: ignore[attr-defined]


def test_literal_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # The input's length limit comes first at the real bound; the count is checked too.
    from jacobi.matrix import literals

    monkeypatch.setattr(literals, "MAX_LITERAL_ENTRIES", 4)
    with pytest.raises(LimitError, match="the matrix has 6 entries; the limit is 4"):
        node("[[1, 2, 3], [4, 5, 6]]")
