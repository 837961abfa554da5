"""Numbers of every size jacobi accepts render in every format.

Python's ``str`` refuses integers of more than 4300 digits, and SymPy's LaTeX printer
uses ``str`` and ``%d``; jacobi's own limit (``evaluate.MAX_VALUE_DIGITS``) is 10,000.
"""

from __future__ import annotations

import json
import re

import pytest
import sympy

from conftest import run_cli
from jacobi.lang.parse import parse_expression
from jacobi.lang.printing import to_text
from jacobi.render import FORMATS
from jacobi.render.latex import latex

x, y = sympy.symbols("x y", real=True)
BIG = sympy.Integer(10) ** 5000
R = sympy.Rational


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("args", "digits"),
    [
        (["jac", "x^5000", "--at", "10"], "5" + "0" * 5002),  # 5000 * 10^4999
        (["jac", "x^6000/7", "--at", "10"], "6" + "0" * 6002),  # 6000 * 10^5999 / 7
        (["jac", "x^(-5000)", "--at", "10"], "2" + "0" * 4997),  # -5000 / 10^5001
    ],
)
def test_long_values_in_every_format(args: list[str], digits: str, fmt: str) -> None:
    result = run_cli([*args, "--format", fmt])
    assert result.code == 0, result.err
    assert result.err == ""
    assert digits in squeeze(result.out)
    if fmt == "json":
        f = parse_expression(args[1])
        (var,) = f.free_symbols
        assert json.loads(result.out)["value"] == [[to_text(f.diff(var).subs(var, 10))]]


@pytest.mark.parametrize(
    "expr",
    [
        R(-1, 3),
        R(7, 2) * x,
        x ** R(1, 3),
        x ** R(-1, 2),
        R(1, 2) ** (-y),
        1 / (R(2, 3) ** y),
        x ** R(2, 3),
        sympy.sqrt(2) / 2,
        -R(5, 7) * x**2 / y,
        10**30 * x,
        sympy.Integer(-12),
        sympy.exp(R(1, 3)),
        (x + 1) ** R(-3, 2),
        sympy.log(R(1, 9)),
    ],
)
def test_latex_is_sympys_for_ordinary_numbers(expr: sympy.Expr) -> None:
    assert latex(expr) == sympy.latex(expr)


D = "1" + "0" * 5000  # the digits of BIG (str(BIG) itself is refused)
D3 = "3" + "0" * 5000


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (BIG, D),
        (-BIG * x, f"- {D} x"),
        (R(1, 3) * BIG * x, rf"\frac{{{D} x}}{{3}}"),
        (x / (3 * BIG), rf"\frac{{x}}{{{D3}}}"),
        (R(-1, BIG), rf"- \frac{{1}}{{{D}}}"),
        (x ** (1 / BIG), rf"x^{{\frac{{1}}{{{D}}}}}"),
        (x**BIG, f"x^{{{D}}}"),
        ((1 / BIG) ** (-y), rf"\left(\frac{{1}}{{{D}}}\right)^{{- y}}"),
    ],
    ids=["int", "product", "rational-coeff", "denominator", "rational", "root", "power", "base"],
)
def test_latex_prints_integers_of_any_size(expr: sympy.Expr, expected: str) -> None:
    assert latex(expr) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_tower_of_exponentials(fmt: str) -> None:
    """A value too large for a float (and for any digit string) renders symbolically."""
    result = run_cli(["jac", "x^x", "--at", "exp(exp(exp(10)))", "--format", fmt])
    assert result.code in (0, 4), result.err
    assert "internal error" not in result.err
    if result.code == 0:
        assert "exp(exp(10))" in result.out or "e^{e^{10}}" in result.out
