"""``diff(f, x)`` in the scalar language: evaluated, kept for read-back, refused with carets."""

from __future__ import annotations

import pytest
import sympy

from jacobi.errors import ParseError
from jacobi.lang.parse import parse_components, parse_expression, symbol
from jacobi.lang.printing import to_text

x, y, a = symbol("x"), symbol("y"), symbol("a")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diff(x^2 y, x)", 2 * x * y),
        ("diff(sin(x y), y)", x * sympy.cos(x * y)),
        ("diff(diff(x^3, x), x)", 6 * x),
        ("diff(a x, a)", x),  # a parameter is a name too
        ("diff(5, x)", 0),
        ("diff(abs(x), x)", sympy.sign(x)),
        ("2 + diff(x^2, x)", 2 * x + 2),
    ],
)
def test_diff_is_the_derivative(text: str, expected: sympy.Expr) -> None:
    assert parse_expression(text) == expected


def test_diff_keeps_the_guard_of_what_it_differentiates() -> None:
    (c,) = parse_components("diff(log(x), x)")
    assert c.expr == 1 / x
    assert c.guards == (sympy.log(x),)


@pytest.mark.parametrize(
    "expr",
    [
        sympy.Derivative(x**2 * y, x, evaluate=False),
        3 * sympy.Derivative(sympy.sin(x * y), x, evaluate=False) + y,
        sympy.Derivative(x**2 * y, x, y, evaluate=False),
        sympy.Derivative(x**3, (x, 2), evaluate=False),
        sympy.Derivative(y, x, evaluate=False)
        * sympy.Derivative(sympy.Integer(2), x, evaluate=False),
        -(sympy.Derivative(x + y, x, evaluate=False) ** 2) / 2,
    ],
)
def test_unevaluated_derivatives_print_as_diff_and_read_back(expr: sympy.Expr) -> None:
    text = to_text(expr)
    assert "Derivative" not in text and "diff(" in text
    assert parse_expression(text, keep_derivatives=True) == expr
    assert parse_expression(text) == expr.doit()


def test_printed_form() -> None:
    d = sympy.Derivative(x**2 * y, x, y, evaluate=False)
    assert to_text(d) == "diff(diff(x**2*y, x), y)"
    assert to_text(2 * sympy.Derivative(sympy.sin(x), x, evaluate=False)) == "2*diff(sin(x), x)"


def test_diff_is_still_a_name_when_not_called_or_declared() -> None:
    assert parse_expression("diff + 2") == symbol("diff") + 2
    assert parse_expression("diff(x)", variables=["diff", "x"]) == symbol("diff") * x


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("diff(x)", "diff expects 2 arguments, got 1", 0),
        ("diff(x, y, x)", "diff expects 2 arguments, got 3", 0),
        ("diff(x, 2)", "not by the constant 2", 8),
        ("diff(x, pi)", "not by the constant pi", 8),
        ("diff(x^2, 2*x)", "not by the expression 2*x", 10),
        ("y + diff(x^2,  x + 1)", "not by the expression x + 1", 15),
    ],
)
def test_misuse_is_refused_with_a_caret(text: str, message: str, column: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    assert message in info.value.message
    assert info.value.column == column
    assert info.value.hint == "write diff(f, x) with a variable name x"
