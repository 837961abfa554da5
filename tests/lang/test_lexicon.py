"""One lexicon, two languages: every word of one is read the same way by the other, or refused.

Expected meanings are built with SymPy directly; the two parsers are compared with
each other and with those, never with their own earlier output.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
import sympy

from jacobi.errors import JacobiError, LimitError, ParseError
from jacobi.lang import lexicon
from jacobi.lang.parse import parse_expression
from jacobi.matrix import nodes as mx
from jacobi.matrix.declarations import parse_declarations
from jacobi.matrix.parse import KNOWN_FUNCTIONS, parse_matrix_expression

SYMS = parse_declarations(["x:2"])
t, s = sympy.Symbol("t", real=True), sympy.Symbol("s", real=True)


def scalar(text: str) -> Any:
    return parse_expression(text)


def matrix(text: str) -> Any:
    """The single entry of a matrix expression over the scalars t and s."""
    entries = mx.components(parse_matrix_expression(text, SYMS).node)
    assert entries.shape == (1, 1)
    return entries[0, 0]


def call_text(name: str, arity: int, spec: lexicon.Function | None) -> str:
    if arity == 1:
        return f"{name}(t)"
    if spec is not None and spec.order in ("natural", "number"):
        return f"{name}(1, t)"
    if spec is not None and spec.order == "branch":
        return f"{name}(t, -1)"
    return f"{name}(t, s)"


@pytest.mark.parametrize("name", sorted(lexicon.FUNCTIONS))
def test_every_scalar_function_works_in_mjac_or_is_refused_there(name: str) -> None:
    spec = lexicon.FUNCTIONS[name]
    text = call_text(name, spec.low, spec)
    expected = spec.build([t] if spec.low == 1 else [sympy.Integer(1), t] if spec.order else [t, s])
    if spec.order == "branch":
        expected = spec.build([t, sympy.Integer(-1)]) if spec.low == 2 else spec.build([t])
    assert scalar(text) == expected
    try:
        got = matrix(text)
    except ParseError as err:
        assert name in err.message
        assert err.hint  # says what to write instead
        assert err.column == 0
        return
    assert got == expected


@pytest.mark.parametrize("name", sorted(KNOWN_FUNCTIONS))
def test_every_mjac_function_works_in_jac_or_is_refused_there(name: str) -> None:
    arity = lexicon.MATRIX_FUNCTIONS.get(name, 1)
    text = call_text(name, arity, lexicon.FUNCTIONS.get(name))
    try:
        got = scalar(text)
    except ParseError as err:
        assert name in lexicon.MATRIX_FUNCTIONS
        assert f"unknown function '{name}'" in err.message
        assert err.hint is not None and "matrix function" in err.hint
        return
    assert got == matrix(text)


def test_the_cross_check_covers_both_directions() -> None:
    shared = set(lexicon.FUNCTIONS) & set(KNOWN_FUNCTIONS)
    assert {"sin", "arcsin", "ln", "sgn", "cosec", "sigmoid", "erf"} <= shared
    assert {"csch", "gamma", "atan2", "relu"} <= set(lexicon.FUNCTIONS) - shared
    assert {"det", "kron", "tr"} <= set(KNOWN_FUNCTIONS) - shared


@pytest.mark.parametrize(("letter", "name"), sorted(lexicon.GREEK.items()))
def test_greek_letters_are_the_same_names_in_both(letter: str, name: str) -> None:
    sym = sympy.Symbol(name, real=True)
    text = f"{letter}*t" if name != "pi" else f"{letter}*t + 0"
    meaning = sympy.pi * t if name == "pi" else sym * t
    assert scalar(text) == meaning
    assert matrix(text) == meaning


GREEK_BLOCK = [
    chr(c) for c in range(0x0391, 0x03CA) if unicodedata.category(chr(c)) in ("Lu", "Ll")
]


@pytest.mark.parametrize("letter", [c for c in GREEK_BLOCK if c not in lexicon.GREEK])
def test_other_greek_letters_are_refused_by_both(letter: str) -> None:
    for parse in (scalar, matrix):
        with pytest.raises(ParseError, match="unknown character") as info:
            parse(f"{letter}*t")
        assert info.value.column == 0


def test_upsilon_is_read_by_both() -> None:  # issue 8: jac refused it, mjac accepted it
    upsilon = sympy.Symbol("Upsilon", real=True)
    assert scalar("Υ*t") == upsilon * t == matrix("Υ*t")


@pytest.mark.parametrize(("char", "ascii_op"), sorted(lexicon.OPERATORS.items()))
def test_unicode_operators_mean_the_same_in_both(char: str, ascii_op: str) -> None:
    meaning = {"*": 3 * t, "-": t - 3, "/": t / 3}[ascii_op]
    text = f"t {char} 3" if ascii_op != "*" else f"t {char} 3"
    assert scalar(text) == meaning
    assert matrix(text) == meaning


NESTINGS: list[tuple[str, Callable[[int], str], int]] = [
    ("parentheses", lambda n: "(" * n + "t" + ")" * n, lexicon.MAX_DEPTH),
    ("sin", lambda n: "sin(" * n + "t" + ")" * n, lexicon.MAX_DEPTH),
    ("sigmoid", lambda n: "sigmoid(" * n + "t" + ")" * n, lexicon.MAX_DEPTH // 4),
    ("softplus", lambda n: "softplus(" * n + "t" + ")" * n, lexicon.MAX_DEPTH // 3),
    ("signs", lambda n: "-" * n + "t", lexicon.MAX_DEPTH),
    ("powers", lambda n: "^".join(["t"] * (n + 1)), lexicon.MAX_DEPTH),
]


@pytest.mark.parametrize(("what", "build", "deepest"), NESTINGS, ids=[n[0] for n in NESTINGS])
def test_depth_costs_are_the_same_in_both(what: str, build: Any, deepest: int) -> None:
    for parse in (scalar, matrix):
        parse(build(deepest))
        with pytest.raises(LimitError, match="nested more than"):
            parse(build(deepest + 1))


@pytest.mark.parametrize(
    "text",
    ["gamma(t)", "zeta(t)", "theta(t + 1)", "log_2(t)", "sinx + t", "t*acos(2)", "(-2)^t", "0^t"],
)
def test_both_languages_refuse_the_same_mistakes(text: str) -> None:
    for parse in (scalar, matrix):
        try:
            parse(text)
        except JacobiError as err:
            assert type(err) is ParseError
            assert err.column is not None
        else:
            assert text == "gamma(t)" and parse is scalar  # jac has gamma; mjac does not


@pytest.mark.parametrize(
    ("name", "meant"),
    [("sinx", "sin(x)"), ("cosy", "cos(y)"), ("expx", "exp(x)"), ("logx", "log(x)"),
     ("sqrtx", "sqrt(x)"), ("lnx", "ln(x)"), ("arcsinx", "arcsin(x)"), ("tanhphi", "tanh(phi)"),
     ("cosx_1", "cos(x_1)"), ("x", None), ("sinh", None), ("sinxy", None), ("signal", None),
     ("cosine", None), ("exponent", None)],
)  # fmt: skip
def test_glued(name: str, meant: str | None) -> None:
    assert lexicon.glued(name) == meant


def test_aliases_point_at_functions_with_the_same_builder() -> None:
    for alias, target in lexicon.ALIASES.items():
        assert lexicon.FUNCTIONS[alias] is lexicon.FUNCTIONS[target]
        assert target not in lexicon.ALIASES
