"""Tests for jacobi.lang.parse: expected values are built by hand with SymPy, not by the parser."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sympy
from sympy import E, Integer, pi
from sympy import Rational as R

from jacobi.errors import LimitError, ParseError
from jacobi.lang import lexicon
from jacobi.lang.parse import (
    MAX_DEPTH,
    Component,
    parse_assignments,
    parse_components,
    parse_expression,
    parse_matrix,
    parse_name_list,
    parse_point,
    symbol,
)


def sym(name: str) -> sympy.Symbol:
    """A real symbol made independently of jacobi.parse.symbol."""
    return sympy.Symbol(name, real=True)


x, y, z, n = sym("x"), sym("y"), sym("z"), sym("n")
theta, phi = sym("theta"), sym("phi")


# --------------------------------------------------------------------------- expressions

EXPRESSIONS: list[tuple[str, Any]] = [
    # arithmetic and precedence
    ("x + y", x + y),
    ("x - y", x - y),
    ("x*y", x * y),
    ("x/y", x / y),
    ("x + y*z", x + y * z),
    ("(x + y)*z", (x + y) * z),
    ("x - y - z", x - y - z),
    ("x/y/z", x / y / z),
    ("x/y*z", x / y * z),
    ("(1/2)x", x / 2),
    ("x/(2y)", x / (2 * y)),
    ("x*(y + z)", x * (y + z)),
    ("-(x + 1)", -x - 1),
    ("-x*y", -x * y),
    ("+x", x),
    ("--x", x),
    ("x - -y", x + y),
    ("2*-x", -2 * x),
    # powers
    ("x^2", x**2),
    ("x**2", x**2),
    ("x^y^z", x ** (y**z)),
    ("2^3^2", Integer(512)),
    ("(x^y)^z", (x**y) ** z),
    ("-x^2", -(x**2)),
    ("-2^2", Integer(-4)),
    ("(-2)^2", Integer(4)),
    ("2^-1", R(1, 2)),
    ("x^-y", x ** (-y)),
    ("x^-2", x**-2),
    ("x**-y*z", x ** (-y) * z),
    ("x^2^-1", sympy.sqrt(x)),
    ("2^(1/2)", sympy.sqrt(2)),
    ("x^1000", x**1000),
    ("x^-1000", x**-1000),
    # implicit multiplication
    ("2x", 2 * x),
    ("2(x+1)", 2 * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x y", x * y),
    ("2 sin(x)", 2 * sympy.sin(x)),
    ("sin(x)cos(y)", sympy.sin(x) * sympy.cos(y)),
    ("2x^2", 2 * x**2),
    ("x(1+x)", x * (1 + x)),
    ("2x y z", 2 * x * y * z),
    ("(x)(y)", x * y),
    ("-2x", -2 * x),
    ("x^2y", x**2 * y),
    ("2exp(x)", 2 * sympy.exp(x)),
    ("2 pi x", 2 * pi * x),
    ("3(x)^2", 3 * x**2),
    # names
    ("x1", sym("x1")),
    ("x_1", sym("x_1")),
    ("theta", theta),
    ("alpha_2", sym("alpha_2")),
    ("x1y", sym("x1y")),
    ("sinxy", sym("sinxy")),
    ("_t", sym("_t")),
    ("ex", sym("ex")),
    ("2x3", 2 * sym("x3")),
    # functions and aliases
    ("sin(x)", sympy.sin(x)),
    ("cos(x)", sympy.cos(x)),
    ("tan(x)", sympy.tan(x)),
    ("sec(x)", sympy.sec(x)),
    ("csc(x)", sympy.csc(x)),
    ("cot(x)", sympy.cot(x)),
    ("asin(x)", sympy.asin(x)),
    ("acos(x)", sympy.acos(x)),
    ("atan(x)", sympy.atan(x)),
    ("arcsin(x)", sympy.asin(x)),
    ("arccos(x)", sympy.acos(x)),
    ("arctan(x)", sympy.atan(x)),
    ("asec(x) + acsc(x) + acot(x)", sympy.asec(x) + sympy.acsc(x) + sympy.acot(x)),
    ("atan2(y, x)", sympy.atan2(y, x)),
    ("sinh(x)", sympy.sinh(x)),
    ("cosh(x)", sympy.cosh(x)),
    ("tanh(x)", sympy.tanh(x)),
    ("sech(x) + csch(x) + coth(x)", sympy.sech(x) + sympy.csch(x) + sympy.coth(x)),
    ("asinh(x)", sympy.asinh(x)),
    ("acosh(x)", sympy.acosh(x)),
    ("atanh(x)", sympy.atanh(x)),
    ("arsinh(x) + arcosh(y)", sympy.asinh(x) + sympy.acosh(y)),
    ("arcsinh(x) + arccosh(y) + arctanh(z)", sympy.asinh(x) + sympy.acosh(y) + sympy.atanh(z)),
    ("artanh(x)", sympy.atanh(x)),
    ("asech(x) + acsch(x) + acoth(x)", sympy.asech(x) + sympy.acsch(x) + sympy.acoth(x)),
    ("exp(x)", sympy.exp(x)),
    ("log(x)", sympy.log(x)),
    ("ln(x)", sympy.log(x)),
    ("log(x, 2)", sympy.log(x) / sympy.log(2)),
    ("log(8, 2)", Integer(3)),
    ("log(x, b)", sympy.log(x) / sympy.log(sym("b"))),
    ("sqrt(x)", sympy.sqrt(x)),
    ("sqrt(8)", 2 * sympy.sqrt(2)),
    ("abs(x)", sympy.Abs(x)),
    ("Abs(x)", sympy.Abs(x)),
    ("sign(x)", sympy.sign(x)),
    ("erf(x) + erfc(y)", sympy.erf(x) + sympy.erfc(y)),
    ("sigmoid(x)", 1 / (1 + sympy.exp(-x))),
    ("softplus(x)", sympy.log(1 + sympy.exp(x))),
    ("relu(x)", sympy.Max(0, x)),
    ("max(x, y)", sympy.Max(x, y)),
    ("min(x, y, 1)", sympy.Min(x, y, 1)),
    ("Max(x, y) + Min(x, y)", sympy.Max(x, y) + sympy.Min(x, y)),
    ("heaviside(x)", sympy.Heaviside(x)),
    ("Heaviside(x, 1)", sympy.Heaviside(x, 1)),
    ("DiracDelta(x) + DiracDelta(y, 1)", sympy.DiracDelta(x) + sympy.DiracDelta(y, 1)),
    ("re(x^y) + im(x^y) + re*im", sympy.re(x**y) + sympy.im(x**y) + sym("re") * sym("im")),
    ("atan(x/2^1296)", sympy.atan(x / Integer(2) ** 1296)),
    ("sin(x)^2", sympy.sin(x) ** 2),
    ("sin(cos(x))", sympy.sin(sympy.cos(x))),
    # constants and names SymPy reserves
    ("pi", pi),
    ("e", E),
    ("e^x", sympy.exp(x)),
    ("exp(1)", E),
    ("E", sym("E")),
    ("I^2", sym("I") ** 2),
    ("beta + gamma + zeta + lambda", sym("beta") + sym("gamma") + sym("zeta") + sym("lambda")),
    ("N + S + O + Q", sym("N") + sym("S") + sym("O") + sym("Q")),
    ("oo", sym("oo")),
    # unicode
    ("θ", theta),
    ("θ1 + θ_2", sym("theta1") + sym("theta_2")),
    ("x×y", x * y),
    ("x·y", x * y),
    ("x⋅y", x * y),
    ("x∗y", x * y),
    ("x−y", x - y),
    ("x–y", x - y),
    ("x÷y", x / y),
    ("x²", x**2),
    ("x³ + y²", x**3 + y**2),
    ("x²³", x**23),
    ("x⁻¹", 1 / x),
    ("xⁿ", x**n),
    ("2x²e", 2 * x**2 * E),
    ("ｘ + １", x + 1),
    ("x₁", sym("x1")),
    ("2πr", 2 * pi * sym("r")),
    ("αβ", sym("alpha") * sym("beta")),
    ("φ + ϕ", 2 * phi),
    ("ε + ϵ", 2 * sym("epsilon")),
    ("λ x", sym("lambda") * x),
    ("µ", sym("mu")),
    ("Δx", sym("Delta") * x),
    ("Γ + Ω", sym("Gamma") + sym("Omega")),
    ("x_θ", sym("x_theta")),
    ("sin(θ)²", sympy.sin(theta) ** 2),
    # exact numbers
    ("0.1", R(1, 10)),
    (".5", R(1, 2)),
    ("2.", Integer(2)),
    ("1e-3", R(1, 1000)),
    ("2.5E+4", Integer(25000)),
    ("1.5e2", Integer(150)),
    ("0.1 + 0.2", R(3, 10)),
    ("1e0", Integer(1)),
    ("007", Integer(7)),
    ("1E3x", 1000 * x),
    ("0.125x", x / 8),
    ("1" + "0" * 999, Integer(10) ** 999),
    ("1e1000", Integer(10) ** 1000),
    ("(2^10)^1000", Integer(2) ** 10000),
    # long chains (flat Add / Mul after 16 factors)
    (" ".join(f"x{i}" for i in range(40)), sympy.Mul(*[sym(f"x{i}") for i in range(40)])),
    ("*".join(["x"] * 40) + "/x", x**39),
    ("+".join(f"{i}*x{i}" for i in range(40)), sum(i * sym(f"x{i}") for i in range(40))),
    # whitespace and comments
    ("  x\t+ y  ", x + y),
    ("x + y # a comment", x + y),
    ("# header\nx", x),
    ("(x +\n y)", x + y),
    ("sin(\n x\n)", sympy.sin(x)),
    ("x\r\n", x),
    ("[x^2]", x**2),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_parse_expression(text: str, expected: Any) -> None:
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("e", ["e"], sym("e")),
        ("pi", ["pi"], sym("pi")),
        ("e*pi", ["e"], sym("e") * pi),
        ("e^x", ("x", "e"), sym("e") ** x),
        ("π", {"pi"}, sym("pi")),
        ("e", ["x"], E),
    ],
)
def test_constants_become_variables(text: str, variables: Any, expected: Any) -> None:
    assert parse_expression(text, variables=variables) == expected


def test_symbols_are_real_and_cached() -> None:
    assert symbol("x") is symbol("x")
    assert symbol("x") == x
    assert parse_expression("x").is_real
    assert all(s.is_real for s in parse_expression("theta*E + N").free_symbols)


@pytest.mark.parametrize("bad", ["", "1x", "x-y", "x.y", "θ"])
def test_symbol_rejects_non_identifiers(bad: str) -> None:
    with pytest.raises(ValueError):
        symbol(bad)


# --------------------------------------------------------------------------- components


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x, y", [x, y]),
        ("[x, y]", [x, y]),
        ("(x, y)", [x, y]),
        ("(x+1)", [x + 1]),
        ("x", [x]),
        ("x\ny", [x, y]),
        ("\n\nx\n\n  y\n", [x, y]),
        ("[x,\n y]", [x, y]),
        ("[x\n y]", [x, y]),
        ("x,\ny", [x, y]),
        ("x\n, y", [x, y]),
        ("(x), (y)", [x, y]),
        ("atan2(y, x), max(x, y, 1)", [sympy.atan2(y, x), sympy.Max(x, y, 1)]),
        ("# header\nx^2  # first\n\n# second:\ny # end\n", [x**2, y]),
        ("(x,\n y)\n", [x, y]),
        ("[ x*y , sin(x) + y^2 ]", [x * y, sympy.sin(x) + y**2]),
        ("(\n  x,\n  y,\n  z\n)", [x, y, z]),
    ],
)
def test_parse_components(text: str, expected: list[Any]) -> None:
    assert [c.expr for c in parse_components(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x, 2y", [("x", 0), ("2y", 3)]),
        ("[ x + 1 ,  y ]", [("x + 1", 2), ("y", 11)]),
        ("θ², y", [("θ²", 0), ("y", 4)]),
        ("x\n  sin( y )\n", [("x", 0), ("sin( y )", 4)]),
        ("ｘ×ｙ, z", [("ｘ×ｙ", 0), ("z", 5)]),
    ],
)
def test_component_text_and_start(text: str, expected: list[tuple[str, int]]) -> None:
    found = parse_components(text)
    assert [(c.text, c.start) for c in found] == expected
    for c in found:
        assert text[c.start : c.start + len(c.text)] == c.text


def test_component_is_frozen() -> None:
    c = parse_components("x")[0]
    assert c == Component(x, "x", 0)
    with pytest.raises(AttributeError):
        c.text = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "guards"),
    [
        ("log(x)", ()),  # still in the expression: checked with it
        ("exp(log(x))", (sympy.log(x),)),
        ("exp(ln(x))", (sympy.log(x),)),
        ("sin(asin(x))", (sympy.asin(x),)),
        ("sin(arcsin(x))", (sympy.asin(x),)),  # an alias guards like its function
        ("cosh(arccosh(x))", (sympy.acosh(x),)),
        ("sqrt(x)^2", (sympy.sqrt(x),)),
        ("x/x", (1 / x,)),
    ],
)
def test_lost_domain_guards(text: str, guards: tuple[Any, ...]) -> None:
    assert parse_components(text)[0].guards == guards


def test_many_components_are_linear() -> None:
    text = "\n".join(f"x^{i % 7}*sin(y) + {i}*x*y - exp(x*y)/{i + 1}" for i in range(1000))
    found = parse_components(text)
    assert len(found) == 1000
    assert found[3].expr == x**3 * sympy.sin(y) + 3 * x * y - sympy.exp(x * y) / 4


# --------------------------------------------------------------------------- matrices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[1, 1], [y, x]]", [[1, 1], [y, x]]),
        ("[1, 2*x]", [[1, 2 * x]]),
        ("1, 1; y, x", [[1, 1], [y, x]]),
        ("1, 1\ny, x", [[1, 1], [y, x]]),
        ("[1, 1; y, x]", [[1, 1], [y, x]]),
        ("[[1, 2],\n [3, 4]]\n", [[1, 2], [3, 4]]),
        ("x", [[x]]),
        ("[[x]]", [[x]]),
        ("[[sin(x), atan2(y, x)]]", [[sympy.sin(x), sympy.atan2(y, x)]]),
        ("\n1, 2\n\n3, 4\n", [[1, 2], [3, 4]]),
        ("[[\n1,\n2\n],\n[3, 4]]", [[1, 2], [3, 4]]),
        ("[1\n 2]", [[1], [2]]),
        ("cos(θ), -r sin(θ); sin(θ), r cos(θ)", [
            [sympy.cos(theta), -sym("r") * sympy.sin(theta)],
            [sympy.sin(theta), sym("r") * sympy.cos(theta)],
        ]),
    ],
)  # fmt: skip
def test_parse_matrix(text: str, expected: list[list[Any]]) -> None:
    assert parse_matrix(text) == expected


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x,y", ["x", "y"]),
        ("x y", ["x", "y"]),
        ("θ,φ", ["theta", "phi"]),
        ("θ φ", ["theta", "phi"]),
        ("[x, y]", ["x", "y"]),
        ("(x, y)", ["x", "y"]),
        ("e, pi", ["e", "pi"]),
        ("x1 x_2", ["x1", "x_2"]),
        (" x ,\n y ", ["x", "y"]),
        ("x", ["x"]),
        ("ｘ", ["x"]),
        ("E, I, lambda, gamma", ["E", "I", "lambda", "gamma"]),
        ("re im", ["re", "im"]),
    ],
)
def test_parse_name_list(text: str, expected: list[str]) -> None:
    assert parse_name_list(text) == expected


# --------------------------------------------------------------------------- points


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("-1,2", (), [(None, -1), (None, 2)]),
        ("x=-1, y=2", (), [("x", -1), ("y", 2)]),
        ("pi/4, 1/3, sqrt(2)", (), [(None, pi / 4), (None, R(1, 3)), (None, sympy.sqrt(2))]),
        ("(−1, 2)", (), [(None, -1), (None, 2)]),
        ("[-1,2]", (), [(None, -1), (None, 2)]),
        ("x = 0.5", (), [("x", R(1, 2))]),
        ("e", (), [(None, E)]),
        ("θ=π/2", (), [("theta", pi / 2)]),
        ("e=1, x=e", ("e", "x"), None),
        ("1", (), [(None, 1)]),
        ("x=1e-3\ny=2", (), [("x", R(1, 1000)), ("y", 2)]),
        ("(x=1, y=2)", (), [("x", 1), ("y", 2)]),
    ],
)
def test_parse_point(text: str, variables: Any, expected: Any) -> None:
    if expected is None:
        with pytest.raises(ParseError, match="point values must be numbers; found symbol e"):
            parse_point(text, variables=variables)
    else:
        assert parse_point(text, variables=variables) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=2,b=1/3", [("a", 2), ("b", R(1, 3))]),
        ("a=2", [("a", 2)]),
        ("k = 1e-3", [("k", R(1, 1000))]),
        ("α=2", [("alpha", 2)]),
        ("c = -pi, d = e^2", [("c", -pi), ("d", sympy.exp(2))]),
    ],
)
def test_parse_assignments(text: str, expected: list[tuple[str, Any]]) -> None:
    assert parse_assignments(text) == expected


# --------------------------------------------------------------------------- malformed

E_ = parse_expression
C_ = parse_components
M_ = parse_matrix
N_ = parse_name_list
P_ = parse_point
A_ = parse_assignments

MALFORMED: list[tuple[Callable[..., Any], str, str, int]] = [
    (C_, "x+", "expected an expression after '+'", 1),
    (C_, "x+y,,x", "empty component between commas", 4),
    (C_, "(x", "unclosed '(' opened here", 0),
    (C_, "x)", "unexpected ')'", 1),
    (C_, "sin(", "unclosed '(' opened here", 3),
    (C_, "x.y", "unknown character '.'", 1),
    (C_, "", "expected at least one expression", 0),
    (C_, "   ", "expected at least one expression", 3),
    (C_, "*x", "expected an expression before '*'", 0),
    (C_, "x**", "expected an expression after '**'", 1),
    (C_, "2 3", "missing operator before the number '3'", 2),
    (C_, "x y 2", "missing operator before the number '2'", 4),
    (C_, "sin x", "sin needs parentheses: sin(x)", 0),
    # readers split an implicit product after '/' both ways: refuse rather than guess
    (C_, "1/2x", "ambiguous implicit product after '/'", 3),
    (C_, "x/2y", "ambiguous implicit product after '/'", 3),
    (C_, "1/(x+1)(x-1)", "ambiguous implicit product after '/'", 7),
    # functions jacobi lacks must not silently become products
    (C_, "log10(x)", "unknown function 'log10'", 0),
    (C_, "Sin(x)", "unknown function 'Sin'", 0),
    (C_, "2 Exp(x)", "unknown function 'Exp'", 2),
    # other languages' literals must not silently become products with 0
    (C_, "0x10", "looks like a hexadecimal, binary or octal number", 0),
    (C_, "0b101", "looks like a hexadecimal, binary or octal number", 0),
    (C_, "1j", "looks like a complex number", 0),
    (C_, "sin^2(x)", "sin needs parentheses", 0),
    (C_, "foo(1,2)", "unknown function 'foo'", 0),
    (C_, "x*(1,2)", "a parenthesised list like (a, b) is not a value", 4),
    (C_, "atan2(x)", "atan2 expects 2 arguments, got 1", 0),
    (C_, "log()", "log expects 1 or 2 arguments, got 0", 0),
    (C_, "max(x)", "max expects at least 2 arguments, got 1", 0),
    (C_, "sin(x, y)", "sin expects 1 argument, got 2", 0),
    (C_, "x = 1", "'=' is not allowed in an expression", 2),
    (C_, "x;y", "unexpected ';'", 1),
    (C_, "$x", "unknown character '$'", 0),
    (C_, '"x"', "unknown character '\"'", 0),
    (C_, "'x'", 'unknown character "\'"', 0),
    (C_, "x!", "unknown character '!'", 1),
    (C_, "lambda: 1", "unknown character ':'", 6),
    (C_, "__import__('os')", 'unknown character "\'"', 11),
    (C_, "x.__class__", "unknown character '.'", 1),
    (C_, "__class__", "the name '__class__' is not allowed", 0),
    (C_, "[x, y", "unclosed '[' opened here", 0),
    (C_, "1..2", "malformed number", 0),
    (C_, "1.2.3", "malformed number", 0),
    (C_, "1_000", "malformed number", 0),
    (C_, "1e", "expected digits after '1e'", 0),
    (C_, "1e+", "expected digits after '1e+'", 0),
    (C_, "2e*x", "expected digits after '2e'", 0),
    (C_, "∑x", "unknown character '∑' (U+2211)", 0),
    (C_, "Αx", "unknown character 'Α' (U+0391)", 0),
    (C_, "x\u200by", "unknown character U+200B", 1),
    (C_, "x,", "expected an expression after ','", 1),
    (C_, ",x", "empty component before ','", 0),
    (C_, "()", "empty parentheses", 0),
    (C_, "x^", "expected an expression after '^'", 1),
    (C_, "x+*y", "expected an expression after '+', found '*'", 1),
    (C_, "1/0", "division by zero", 1),
    (C_, "0^-1", "division by zero", 1),
    (C_, "log(0)", "log(0) is undefined", 0),
    (C_, "1 + loggamma(0)", "loggamma(0) is undefined", 4),
    (C_, "tan(pi/2)", "tan(pi/2) is undefined", 0),
    (C_, "sqrt(-1)", "sqrt(-1) is not a real number", 0),
    (C_, "(-8)^(1/3)", "(-8)**(1/3) is not a real number", 4),
    (C_, "(x]", "unexpected ']'", 2),
    (C_, "x [y]", "unexpected '['", 2),
    (C_, "[x]]", "unexpected ']'", 3),
    (C_, "[[x]]", "unexpected '['", 1),
    (C_, "x + y # note\n)", "unexpected ')'", 13),
    (C_, "DiracDelta(x, -1)", "invalid arguments for DiracDelta", 0),
    (C_, "θ + $", "unknown character '$'", 4),
    (C_, "ｘ + ＄", "unknown character '＄' (U+FF04)", 4),
    (C_, "x⁻", "superscript '⁻' is not a power", 1),
    (C_, "x₊1", "unsupported subscript character '₊'", 1),
    (C_, "x⁽²⁾", "unsupported superscript character '⁽'", 1),
    (E_, "x, y", "expected one expression, found 2", 1),
    (E_, "x\ny", "expected one expression, found 2", 1),
    (M_, "[[1,2],[3]]", "rows have different lengths: row 1 has 2 entries but row 2 has 1", 7),
    (M_, "1, 2\n3", "row 1 has 2 entries but row 2 has 1", 5),
    (M_, "[[1,2],]", "expected a row after ','", 6),
    (M_, "1, 2;", "empty row after ';'", 4),
    (M_, "[[1,2] [3,4]]", "unexpected '['", 7),
    (M_, "[[1,2], [3,4]", "unclosed '[' opened here", 0),
    (M_, "[[1,,2]]", "empty entry between commas", 4),
    (N_, "x,,y", "empty name between commas", 2),
    (N_, "x, sin", "'sin' is a function name", 3),
    (N_, "x, x", "duplicate variable 'x'", 3),
    (N_, "x, 2", "expected a variable name, found the number '2'", 3),
    (N_, "", "expected at least one variable name", 0),
    (N_, "x+y", "expected a variable name, found '+'", 1),
    (N_, "x,", "expected a name after ','", 1),
    (P_, "x=1, 2", "cannot mix named (x=1) and positional values", 5),
    (P_, "x=y", "point values must be numbers; found symbol y", 2),
    (P_, "x=1, x=2", "duplicate variable 'x'", 5),
    (P_, "x=", "expected a value after 'x='", 1),
    (P_, "x=1=2", "'=' is not allowed in an expression", 3),
    (A_, "2", "expected name=value", 0),
    (A_, "a=b", "parameter values must be numbers; found symbol b", 2),
    (A_, "a=1, sin=2", "'sin' is a function name", 5),
]


@pytest.mark.parametrize(("parse", "text", "message", "column"), MALFORMED)
def test_malformed(parse: Callable[..., Any], text: str, message: str, column: int) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert type(err) is ParseError
    assert err.exit_code == 2
    assert message in err.message
    assert err.column == column
    assert err.source == text
    assert err.caret_lines()  # renders without error


def test_parse_error_lines_point_at_the_fault() -> None:
    with pytest.raises(ParseError) as info:
        parse_expression("x + * y")
    assert info.value.lines() == [
        "expected an expression after '+', found '*'",
        "  x + * y",
        "    ^",
    ]


# --------------------------------------------------------------------------- limits


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH
    assert parse_expression("(" * depth + "x" + ")" * depth) == x
    assert parse_expression("-" * depth + "x") == x
    assert parse_expression("^".join(["x"] * depth)) is not None


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nested more than", MAX_DEPTH),
        ("-" * (MAX_DEPTH + 1) + "x", f"nested more than {MAX_DEPTH} levels", MAX_DEPTH),
        ("sigmoid(" * 30 + "x" + ")" * 30, "nested more than", 25 * len("sigmoid(")),
        ("1" + "0" * 1000, "a number with 1,001 digits", 0),
        ("x + 1e1001", "the exponent in '1e1001' is too large", 4),
        ("9**9**9", "the number 9**387420489 would have about 370,000,000 digits", 1),
        ("2^2^2^2^2^2", "the number 2**65536 would have about 20,000 digits", 3),
        ("x^(10^100)", "the exponent (a 101-digit number) is too large", 1),
        ("x^100001", "exponents over 100,000", 1),
        ("(2x)^99999", "(2*x)**99999 would have about 30,000 digits", 4),
        ("sqrt(2)^99999", "(sqrt(2))**99999 would have about 15,000 digits", 7),
        ("sqrt(" + "7" * 301 + ")", "a number over 300 digits inside sqrt(...)", 0),
    ],
)
def test_limits(text: str, message: str, column: int) -> None:
    with pytest.raises(LimitError) as info:
        parse_expression(text)
    assert info.value.exit_code == 4
    assert message in info.value.message
    assert info.value.column == column


def test_input_too_long() -> None:
    with pytest.raises(LimitError, match="500,000"):
        parse_components("x+" * 250_001)


# Inputs that would run code or take unbounded time if parsed carelessly; MARKER is the
# file an evaluated input would create.
MARKER = "<marker>"
HOSTILE = [
    f"__import__('os').system('touch {MARKER}')",
    f"__import__(os).system(touch {MARKER})",
    "().__class__.__bases__[0].__subclasses__()",
    "x.diff.__globals__",
    "__builtins__",
    "lambda: 0",
    "'a'*10**9",
    "9**9**9",
    "10**10**100",
    "2^2^2^2^2^2",
    "(10^999)^(10^999)",
    "x^(10^100)",
    "(" * 10_000 + "x" + ")" * 10_000,
    "-" * 10_000 + "x",
    "^".join(["x"] * 10_000),
    "sin(" * 10_000 + "x" + ")" * 10_000,
    "1" + "0" * 2000,
    "1e100000",
    "x+" * 500_000 + "x",
    "*".join(["9" * 1000] * 20),
    "+".join(f"1/{10**999 + i}" for i in range(20)),
    "*".join(f"sqrt({10**150 + i})" for i in range(5)),
    "sigmoid(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
    "((sqrt(2)^99999)^99999)",
    "1/(1+" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1),
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_input_fails_fast(hostile: str, tmp_path: Path) -> None:
    text = hostile.replace(MARKER, str(tmp_path / "pwned"))
    start = time.perf_counter()
    with pytest.raises((LimitError, ParseError)) as info:
        parse_components(text)
    assert time.perf_counter() - start < 2.0
    assert info.value.exit_code in (2, 4)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("error", [RecursionError, MemoryError])
def test_runaway_sympy_becomes_limit_error(
    monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    def explode(args: list[Any]) -> Any:
        raise error()

    sin = dataclasses.replace(lexicon.FUNCTIONS["sin"], build=explode)
    monkeypatch.setitem(lexicon.FUNCTIONS, "sin", sin)
    with pytest.raises(LimitError):
        parse_expression("sin(x)")


# --------------------------------------------------------------------------- special functions

W = sympy.LambertW
SPECIAL: list[tuple[str, Any, Any]] = [
    # (text, its meaning built directly, d/dx written by hand from DLMF)
    ("gamma(x)", sympy.gamma(x), sympy.gamma(x) * sympy.polygamma(0, x)),  # DLMF 5.2.2
    ("loggamma(x)", sympy.loggamma(x), sympy.polygamma(0, x)),
    ("digamma(x)", sympy.polygamma(0, x), sympy.polygamma(1, x)),
    ("polygamma(2, x)", sympy.polygamma(2, x), sympy.polygamma(3, x)),  # DLMF 5.15.1
    ("LambertW(x)", W(x), W(x) / (x * (1 + W(x)))),  # DLMF 4.13.4
    ("LambertW(x, -1)", W(x, -1), W(x, -1) / (x * (1 + W(x, -1)))),
    ("Ei(x)", sympy.Ei(x), sympy.exp(x) / x),  # DLMF 6.2.5
    ("Si(x)", sympy.Si(x), sympy.sin(x) / x),  # DLMF 6.2.9
    ("Ci(x)", sympy.Ci(x), sympy.cos(x) / x),  # DLMF 6.2.11
    ("li(x)", sympy.li(x), 1 / sympy.log(x)),  # DLMF 6.2.8
    ("erfinv(x)", sympy.erfinv(x), sympy.sqrt(pi) / 2 * sympy.exp(sympy.erfinv(x) ** 2)),
    ("erfcinv(x)", sympy.erfcinv(x), -sympy.sqrt(pi) / 2 * sympy.exp(sympy.erfcinv(x) ** 2)),
    ("besselj(0, x)", sympy.besselj(0, x), -sympy.besselj(1, x)),  # DLMF 10.6.3
    ("bessely(1, x)", sympy.bessely(1, x), (sympy.bessely(0, x) - sympy.bessely(2, x)) / 2),
    ("besselj(1/2, x)", sympy.besselj(R(1, 2), x), None),
    ("sgn(x)", sympy.sign(x), None),
    ("cosec(x)", sympy.csc(x), -sympy.csc(x) * sympy.cot(x)),
    ("arcsec(x) + arccot(x)", sympy.asec(x) + sympy.acot(x), None),
]


@pytest.mark.parametrize(("text", "expected", "derivative"), SPECIAL)
def test_special_functions(text: str, expected: Any, derivative: Any) -> None:
    parsed = parse_expression(text)
    assert parsed == expected
    if derivative is not None:
        assert sympy.simplify(sympy.diff(parsed, x) - derivative) == 0


@pytest.mark.parametrize(
    ("text", "message", "column", "hint"),
    [
        # a name of two or more letters directly before '(' is a call, never a product
        ("zeta(x)", "unknown function 'zeta'", 0, "cannot differentiate"),
        ("f2(x)", "unknown function 'f2'", 0, "f2*(...)"),
        ("x + theta(x + 1)", "unknown function 'theta'", 4, "theta*(...)"),
        ("log_2(x)", "unknown function 'log_2'", 0, "log(x, 2)"),
        ("log2(x)", "unknown function 'log2'", 0, "log(x, 2)"),
        ("factorint(12)", "unknown function 'factorint'", 0, "factorint*(...)"),
        ("sinn(x)", "unknown function 'sinn'", 0, "sin(...) or sinh(...)"),
        ("det(x)", "unknown function 'det'", 0, "jacobi mjac"),
        ("log10 (x)", "unknown function 'log10'", 0, "log(x, 10)"),
        # arity and orders
        ("polygamma(x)", "polygamma expects 2 arguments, got 1", 0, "polygamma(n, x)"),
        ("besselj(x)", "besselj expects 2 arguments, got 1", 0, "besselj(nu, x)"),
        ("gamma(x, y)", "gamma expects 1 argument, got 2", 0, None),
        ("polygamma(y, x)", "the order of polygamma must be a number, not y", 0, None),
        ("polygamma(1/2, x)", "must be 0, 1, 2, ..., not (1/2)", 0, None),
        ("polygamma(-1, x)", "must be 0, 1, 2, ..., not (-1)", 0, None),
        ("2 besselj(y, x)", "the order of besselj must be a number", 2, None),
        ("bessely(pi, x)", "the order of bessely must be a rational number", 0, None),
        ("LambertW(x, 1)", "the branch of LambertW must be 0 or -1", 0, None),
        ("LambertW(x, y)", "the branch of LambertW must be 0 or -1", 0, None),
        # glued names
        ("sinx + cosy", "'sinx' is one name, not sin(x)", 0, "write sin(x)"),
        ("x + cosy", "'cosy' is one name, not cos(y)", 4, "write cos(y)"),
        ("2expx", "'expx' is one name, not exp(x)", 1, None),
        ("sqrtx1", "'sqrtx1' is one name, not sqrt(x1)", 0, None),
        ("logt", "'logt' is one name, not log(t)", 0, None),
        ("sintheta", "'sintheta' is one name, not sin(theta)", 0, None),
        ("sinhx", "'sinhx' is one name, not sinh(x)", 0, None),
        ("sinθ", "sin needs parentheses", 0, None),  # θ is a name of its own
        # constants that are not real numbers
        ("x*acos(2)", "acos(2) is not a real number", 2, "over the reals"),
        ("x + asin(-3)", "asin(-3) is not a real number", 4, None),
        ("log(-1)*x", "log(-1) is not a real number", 0, None),
        ("x*li(-1)", "li(-1) is not a real number", 2, None),
        ("x*Ci(-1)", "Ci(-1) is not a real number", 2, None),
        ("x*erfinv(2)", "erfinv(2) is not a real number", 2, None),
        ("x*erfcinv(3)", "erfcinv(3) is not a real number", 2, None),
        ("x*loggamma(-1/2)", "loggamma(-1/2) is not a real number", 2, None),
        ("x*LambertW(-1)", "LambertW(-1) is not a real number", 2, None),
        ("x + sqrt(-3)", "sqrt(-3) is not a real number", 4, None),
        ("x + (-8)^(1/3)", "(-8)**(1/3) is not a real number", 8, None),
        ("x*(-pi)^(1/2)", "(-pi)**(1/2) is not a real number", 7, None),
        ("x*(-2)^pi", "(-2)**pi is not a real number", 6, None),
        # a base that is never positive to a fractional power: not real for any x
        (
            "(-exp(x))**(-(2/3))",
            "(-exp(x))**(-2/3) is not a real number: the base is negative for every real x",
            9,
            "for the real root write (exp(x))**(-2/3)",
        ),
        ("(-x^2-y^2-1)^(1/3)", "the base is negative for every real x, y", 12, "-(x**2"),
        ("(-x^2)^(1/2)", "the base is negative wherever it is not 0", 6, "no real even root"),
        ("(-x^2)^(3/5)", "the base is negative wherever it is not 0", 6, "-(x**2)**(3/5)"),
        # a negative or zero constant to a variable power
        ("(-2)^x", "(-2)**x is not a real number", 4, "2**x or -(2**x)"),
        (
            "1 + (-1/2)^(x y)",
            "is not a real number: a negative number to a variable power",
            10,
            None,
        ),
        ("(1 - pi)^x", "a negative number to a variable power", 8, None),
        ("0^y", "0**y is 0 where the exponent is positive", 1, None),
        ("(1 - 1)^(x + 1)", "0**(x + 1) is 0 where", 7, None),
    ],
)
def test_refused(text: str, message: str, column: int, hint: str | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_components(text)
    err = info.value
    assert message in err.message, err.message
    assert err.column == column
    assert err.exit_code == 2
    if hint is not None:
        assert err.hint is not None and hint in err.hint, err.hint
    assert len(err.lines()) == 3  # message, input, caret


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        # a declared name keeps the implicit product
        ("gamma(x + 1)", ["gamma", "x"], sym("gamma") * (x + 1)),
        ("Ci(x)", ["Ci", "x"], sym("Ci") * x),
        ("re(x)", ["re", "x"], sym("re") * x),
        ("theta(x + 1)", ["theta"], theta * (x + 1)),
        ("ab(x + 1)", ["ab"], sym("ab") * (x + 1)),
        ("sinx + cosy", ["sinx", "cosy"], sym("sinx") + sym("cosy")),
        # undeclared soft functions: a bare name is a symbol, a call is a call
        ("gamma*x + Ci", [], sym("gamma") * x + sym("Ci")),
        ("gamma(x) + Si(x)", [], sympy.gamma(x) + sympy.Si(x)),
        # constants and blanks keep the product
        ("pi(x + 1)", [], pi * (x + 1)),
        ("ab (x + 1)", [], sym("ab") * (x + 1)),
        ("x(1 + x)", [], x * (1 + x)),
        # names that are not a function glued to a one-letter name
        ("sinxy + signal + cosine_x", [], sym("sinxy") + sym("signal") + sym("cosine_x")),
        # real constants of the new functions are fine
        ("x*gamma(1/2)", [], x * sympy.sqrt(pi)),
        ("x*Ei(-1)", [], x * sympy.Ei(-1)),
        ("x*LambertW(-1/10, -1)", [], x * W(R(-1, 10), -1)),
        ("(-2)^3 x", [], -8 * x),
        ("Υ*x", [], sym("Upsilon") * x),
    ],
)
def test_accepted(text: str, variables: list[str], expected: Any) -> None:
    assert parse_expression(text, variables=variables) == expected


def test_soft_functions_may_be_variables() -> None:
    assert parse_name_list("gamma, Ci, li, re") == ["gamma", "Ci", "li", "re"]
    with pytest.raises(ParseError, match="'polygamma' is a function name"):
        parse_name_list("x, polygamma")


@pytest.mark.parametrize("text", ["f(x)", "g(x) + x", "x*y, h(y)", "a(b+c)"])
def test_a_one_letter_name_used_only_as_a_call_is_an_unknown_function(text: str) -> None:
    # f(x) was silently the product f*x.
    with pytest.raises(ParseError, match="unknown function"):
        parse_components(text)


def test_a_one_letter_name_that_also_stands_alone_is_a_product() -> None:
    x, f = symbol("x"), symbol("f")
    assert [c.expr for c in parse_components("x(1+x)")] == [x * (1 + x)]
    assert [c.expr for c in parse_components("f(x) + f")] == [f * x + f]
    assert [c.expr for c in parse_components("f(x)", variables=["f", "x"])] == [f * x]


def test_euler_gamma_reads_back_as_the_constant() -> None:
    """jac "loggamma(x)" --at 1 prints -EulerGamma; read back, it must be γ, not a variable."""
    import sympy

    from jacobi.lang.printing import to_text

    value = sympy.digamma(1)
    assert parse_expression(to_text(value)) == value == -sympy.EulerGamma
    assert parse_expression("EulerGamma", variables=["EulerGamma"]).is_Symbol
