"""Read jacobi's expression language into SymPy objects, without ever evaluating text.

User text is never passed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``. It goes
through jacobi's own stages, each a module of :mod:`jacobi.lang`:

1. :mod:`~jacobi.lang.unicode` normalises superscripts, Greek letters and operators;
2. :mod:`~jacobi.lang.tokens` splits the text into tokens and reads exact numbers;
3. :mod:`~jacobi.lang.parser` is an operator-precedence (shunting-yard) parser, and
   :mod:`~jacobi.lang.lists` reads the list forms (matrices, names, points) with it;
4. :mod:`~jacobi.lang.build` makes the SymPy objects from Python ints, validated names
   and the functions of the shared :mod:`~jacobi.lang.lexicon`.

This module is the public front: the functions below, and the names other packages
use (:func:`symbol`, the limits), re-exported from the stages that define them.

The language
------------
* Components are separated by top-level commas or newlines; the whole list may be
  wrapped in ``[...]``, or in ``(...)`` when that holds a top-level comma.
* Numbers are exact: ``0.1`` is ``1/10``, ``2.5E+4`` is ``25000``.
* ``+ - * /``, powers ``^`` or ``**`` (right-associative, tighter than unary minus:
  ``-x^2`` is ``-(x**2)``, ``2^-1`` is ``1/2``), parentheses, unary signs.
* Implicit multiplication binds like ``*``: ``2x``, ``2(x+1)``, ``x y``, ``2 sin(x)``.
  A number may not follow another factor without an operator (``2 3``, ``x 2``).
* Names are ASCII identifiers (``x1``, ``alpha_2``); Greek letters are spelled out
  (``θ`` is ``theta``). ``pi`` and ``e`` are constants unless listed in ``variables``.
  Every other name is a real symbol, including ``E``, ``I``, ``N``, ``S``, ``beta``.
* ``name(`` is a call for the functions in :data:`FUNCTIONS` (the shared
  :mod:`jacobi.lang.lexicon`). Any other name of two or more characters written directly
  before ``(`` is an error with a hint (``gamma2(x)``, ``log_2(x)``), never a silent
  product; ``pi``, ``e``, declared names, names followed by a blank (``ab (x+1)``)
  and one-letter names that also occur on their own (``x(1+x)``) stay products, while
  a one-letter name that only ever precedes ``(`` (``f(x)``) is an error. A declared
  ``gamma`` (or another name of :data:`SOFT_FUNCTIONS`) is a variable, so ``gamma(x)``
  is then ``gamma*x``.
* ``diff(f, x)`` is the derivative of ``f`` by the name ``x`` (evaluated; kept as the
  unevaluated ``Derivative(f, x)`` with ``keep_derivatives``, to read back the lines of
  a derivation). ``diff`` stays a name when it is not called, or when it is declared.
* A function glued to a one-letter or Greek name (``sinx``, ``costheta``) is an error
  with the hint ``did you mean sin(x)?``, unless the name is declared.
* Constants must be real: ``acos(2)``, ``log(-1)``, ``(-8)^(1/3)`` are refused, and so
  are ``(-2)^x`` (a negative number to a variable power) and ``0^x``.
* ``#`` starts a comment running to the end of the line.

Columns in errors are 0-based offsets into the text the user gave (before Unicode
normalisation).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sympy

from jacobi import progress
from jacobi.errors import ParseError
from jacobi.lang import lexicon, lists
from jacobi.lang.build import MAX_GUARDS, MAX_RESULT_DIGITS, MAX_SYMBOLIC_EXPONENT, symbol
from jacobi.lang.lexicon import (
    MAX_DEPTH,
    MAX_INPUT_CHARS,
    MAX_LITERAL_DIGITS,
    MAX_ROOT_DIGITS,
    SOFT_FUNCTIONS,
)
from jacobi.lang.parser import Parser, run

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_GUARDS",
    "MAX_INPUT_CHARS",
    "MAX_LITERAL_DIGITS",
    "MAX_RESULT_DIGITS",
    "MAX_ROOT_DIGITS",
    "MAX_SYMBOLIC_EXPONENT",
    "SOFT_FUNCTIONS",
    "Component",
    "Definition",
    "parse_assignments",
    "parse_components",
    "parse_expression",
    "parse_matrix",
    "parse_name_list",
    "parse_point",
    "split_definition",
    "symbol",
]

Expr = Any  # sympy is untyped; this alias documents intent.

FUNCTIONS = lexicon.FUNCTIONS
"""The function names of the language, aliases included: the lexicon's one table."""


@dataclass(frozen=True)
class Component:
    """One component of a parsed function.

    Attributes
    ----------
    expr
        The parsed expression.
    text
        The component's source exactly as typed, without surrounding blanks.
    start
        0-based column of ``text`` in the original input.
    """

    expr: Expr
    text: str
    start: int
    #: Pieces with a restricted real domain that SymPy simplified away while the
    #: expression was built (``log(x)`` in ``exp(log(x))``, which SymPy makes ``x``):
    #: the function is defined only where these are.
    guards: tuple[Expr, ...] = ()


def parse_components(text: str, *, variables: Collection[str] = ()) -> list[Component]:
    """Parse a list of expressions (the components of a function).

    Parameters
    ----------
    text
        Components separated by top-level commas or newlines, optionally wrapped in
        ``[...]`` (or ``(...)`` when it holds a top-level comma). ``#`` starts a comment.
    variables
        Names to treat as variables; ``"e"`` or ``"pi"`` here stop them being constants.

    Returns
    -------
    list[Component]
        One per component, with its source text and start column.

    Raises
    ------
    ParseError
        Malformed input, an empty input or an empty component.
    LimitError
        Input too long, too deeply nested, or numbers too large.

    Examples
    --------
    >>> [c.expr for c in parse_components("[x*y, sin(x) + y^2]")]
    [x*y, y**2 + sin(x)]
    >>> parse_components("x, 2y")[1]
    Component(expr=2*y, text='2y', start=3, guards=())
    >>> parse_components("exp(log(x))")[0].guards  # SymPy makes it x; defined for x > 0
    (log(x),)
    """

    def body(p: Parser) -> list[Component]:
        p.equals_hint = (
            "jacobi names the components f1, f2, ...: write their right-hand sides, after at "
            "most one left-hand side such as f(x, y) ="
        )
        result = []
        progress.stage("parsing")
        for expr, first, stop, _ in p.items(p.component):
            source, start = p.tokens.span(first, stop)
            result.append(Component(expr, source, start, p.lost_guards(expr, first)))
        return result

    return run(text, variables, body)


def parse_expression(
    text: str, *, variables: Collection[str] = (), keep_derivatives: bool = False
) -> sympy.Expr:
    """Parse exactly one expression.

    Parameters
    ----------
    text
        The expression, e.g. ``"2x^2 + sin(y)"``.
    variables
        Names to treat as variables; ``"e"`` or ``"pi"`` here stop them being constants.
    keep_derivatives
        Keep ``diff(f, x)`` as the unevaluated ``Derivative(f, x)`` (as the lines of a
        derivation are written) instead of evaluating it.

    Returns
    -------
    sympy.Expr
        The expression, with every symbol real.

    Raises
    ------
    ParseError
        Malformed input, or more than one expression.
    LimitError
        Input too long, too deeply nested, or numbers too large.

    Examples
    --------
    >>> parse_expression("2x^2 + sin(y)")
    2*x**2 + sin(y)
    >>> parse_expression("0.1 + e", variables=["e"])
    e + 1/10
    >>> parse_expression("diff(x^2 y, x)"), parse_expression("diff(x^2, x)", keep_derivatives=True)
    (2*x*y, Derivative(x**2, x))
    """

    def body(p: Parser) -> Expr:
        found = p.items(p.component)
        if len(found) > 1:
            _, first, _, separator = found[1]
            where = separator if separator is not None else first
            p.fail_at(
                f"expected one expression, found {len(found)}",
                where,
                "components are separated by ',' or newlines",
            )
        return found[0][0]

    return run(text, variables, body, keep_derivatives)


def parse_matrix(text: str, *, variables: Collection[str] = ()) -> list[list[sympy.Expr]]:
    """Parse a matrix given as nested lists or as rows separated by ``;`` or newlines.

    Parameters
    ----------
    text
        ``"[[1, 1], [y, x]]"``, a single row ``"[1, 2*x]"``, or ``"1, 1; y, x"``
        (rows separated by ``;`` or newlines, optionally inside one ``[...]``).
    variables
        Names to treat as variables (see :func:`parse_expression`).

    Returns
    -------
    list[list[sympy.Expr]]
        The rows, all of the same length.

    Raises
    ------
    ParseError
        Malformed input or rows of different lengths.

    Examples
    --------
    >>> parse_matrix("[[1, 1], [y, x]]")
    [[1, 1], [y, x]]
    >>> parse_matrix("1, 2x; 3, 4")
    [[1, 2*x], [3, 4]]
    """

    return run(text, variables, lists.matrix_rows)


#: ``f(x, y) =`` or ``f =`` at the start of an input: a definition's left-hand side.
_DEFINITION = re.compile(r"(?:\s*#[^\n]*\n)*\s*([^\W\d]\w*)\s*(?:\(([^()=]*)\))?\s*=(?!=)")


@dataclass(frozen=True)
class Definition:
    """The left-hand side of ``f(x, y) = ...``: the function's name, its variables (None for
    ``f = ...``) and the length of the text it took (the right-hand side starts there)."""

    name: str
    variables: list[str] | None
    length: int


def split_definition(text: str) -> Definition | None:
    """The left-hand side ``f(x, y) =`` that ``text`` starts with, if it has one.

    The variables in parentheses are read as ``--vars`` are (:func:`parse_name_list`);
    the caller blanks the left-hand side out, so that columns in errors stay those of
    the text typed.

    >>> split_definition("f(x, θ) = x sin(θ)")
    Definition(name='f', variables=['x', 'theta'], length=9)
    >>> split_definition("g = x^2").variables is None, split_definition("x^2 + y") is None
    (True, True)
    >>> split_definition("sin(x) = 1") is None  # a function of the language is no name
    True
    >>> split_definition("# a comment line first\\nf(x) = x^2").variables  # as in a file
    ['x']
    """
    found = _DEFINITION.match(text)
    if found is None or found.group(1) in FUNCTIONS:
        return None
    args = found.group(2)
    if args is None:
        return Definition(found.group(1), None, found.end())
    if not args.strip():
        raise ParseError(
            "a definition needs its variables between the parentheses",
            source=text,
            column=found.start(2),
            hint="write f(x, y) = ..., or leave the left-hand side out",
        )
    try:
        names = parse_name_list(args)
    except ParseError as error:
        raise ParseError(
            f"the variables of {found.group(1)}(...) are not a list of names: {error.message}",
            source=text,
            column=found.start(2) + (error.column or 0),
            hint="write f(x, y) = ... with the variables' names",
        ) from None
    return Definition(found.group(1), names, found.end())


def parse_name_list(text: str) -> list[str]:
    """Parse a list of variable names, e.g. for ``--vars``.

    Parameters
    ----------
    text
        Names separated by commas and/or blanks: ``"x,y"``, ``"x y"``, ``"θ, φ"``.
        ``e`` and ``pi`` are allowed (they then become variables).

    Returns
    -------
    list[str]
        The normalised names (``θ`` becomes ``"theta"``), in order.

    Raises
    ------
    ParseError
        An empty list, an empty name, a number, a function name or a duplicate.

    Examples
    --------
    >>> parse_name_list("θ, φ x_1")
    ['theta', 'phi', 'x_1']
    """

    return run(text, (), lists.name_list)


def parse_point(
    text: str, *, variables: Collection[str] = ()
) -> list[tuple[str | None, sympy.Expr]]:
    """Parse a point, e.g. for ``--at``: positional ``"-1, 2"`` or named ``"x=-1, y=2"``.

    Parameters
    ----------
    text
        Values separated by commas or newlines, optionally wrapped in ``(...)`` or
        ``[...]``. Each value is a number expression (``pi/4``, ``sqrt(2)``, ``1/3``).
    variables
        Names that are variables (so ``e``/``pi`` in it are not constants).

    Returns
    -------
    list[tuple[str | None, sympy.Expr]]
        ``(None, value)`` for positional values, ``(name, value)`` for named ones.

    Raises
    ------
    ParseError
        Malformed input, a value with a free symbol, mixed named and positional
        values, or a repeated name.

    Examples
    --------
    >>> parse_point("x=-1, y=pi/4")
    [('x', -1), ('y', pi/4)]
    >>> parse_point("(1, 1/3)")
    [(None, 1), (None, 1/3)]
    """

    def body(p: Parser) -> list[tuple[str | None, Expr]]:
        found = lists.assignment_items(p, "point")
        named = found[0][0] is not None
        for name, _, start in found:
            if (name is not None) != named:
                p.fail_at(
                    "cannot mix named (x=1) and positional values in a point",
                    start,
                    "name every value or none",
                )
        return [(name, value) for name, value, _ in found]

    spaced = _SPACED_NUMBERS.fullmatch(text)
    if spaced:
        from jacobi.errors import ParseError

        raise ParseError(
            "the values of a point are separated by commas, not spaces",
            hint=f"e.g. --at {','.join(text.split())}",
            source=text,
            column=spaced.end(1),
        )
    return run(text, variables, body)


#: ``1 2`` or ``-1 0.5 3``: numbers separated by spaces only (meant as ``--at 1,2``).
_SPACED_NUMBERS = re.compile(r"\s*([-+]?[\d.]+)(?:\s+[-+]?[\d.]+)+\s*")


def parse_assignments(
    text: str, *, variables: Collection[str] = ()
) -> list[tuple[str, sympy.Expr]]:
    """Parse parameter assignments, e.g. for ``--param "a=2, b=1/3"``.

    Parameters
    ----------
    text
        ``name=value`` items separated by commas or newlines; values are numbers.
    variables
        Names that are variables (so ``e``/``pi`` in it are not constants).

    Returns
    -------
    list[tuple[str, sympy.Expr]]
        The assignments in order.

    Raises
    ------
    ParseError
        Malformed input, a missing ``name=``, a non-numeric value or a repeated name.

    Examples
    --------
    >>> parse_assignments("a=2, b=1/3")
    [('a', 2), ('b', 1/3)]
    """

    def body(p: Parser) -> list[tuple[str, Expr]]:
        result: list[tuple[str, Expr]] = []
        for name, value, start in lists.assignment_items(p, "parameter"):
            if name is None:
                p.fail_at("expected name=value, e.g. a=2", start)
            result.append((name, value))
        return result

    return run(text, variables, body)
