"""Python values -> the texts a command reads: what a SymPy or notebook user passes.

A command reads texts (``"x+y, x*y"``, ``--at -1,2``). From Python a user passes
SymPy expressions, matrices and symbols, numbers, lists, tuples and dicts; this
module writes each as the text that means it (:func:`jacobi.lang.printing.to_text`,
which reads back), so that it goes through jacobi's own parser, with the checks and
the results of the command line. Strings are passed on as they are: they are never
given to SymPy. Anything else is a :class:`TypeError` that says what is accepted.

SymPy symbols are matched by name: ``sympy.Symbol('x')`` and jacobi's real ``x`` are
the same variable. :func:`given_symbols` collects the ones a user passed, so that
results can be given back in them (:mod:`jacobi.api`).

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> component_texts([x + y, x * y], "f")
['x + y', 'x*y']
>>> point_text({x: -1, "y": sympy.Rational(1, 3)}, "at"), point_text([-1, 0.5], "at")
('x=-1, y=1/3', '-1, 0.5')
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy

from jacobi.errors import ParseError
from jacobi.lang.printing import to_text
from jacobi.model import Point, VectorFunction

__all__ = [
    "component_texts",
    "given_symbols",
    "matrix_text",
    "name_of",
    "names",
    "param_texts",
    "point_text",
    "value_text",
]

_ACCEPTED = "a string, a number, a SymPy expression"


def _kind(value: Any) -> str:
    return type(value).__name__


def _sympy_text(value: sympy.Basic, what: str) -> str:
    """A SymPy expression as jacobi text, checked to read back with jacobi's parser."""
    from jacobi.lang.parse import parse_expression

    if not isinstance(value, sympy.Expr):
        raise TypeError(f"{what}: expected an expression, not the SymPy {_kind(value)} {value}")
    text = to_text(value)
    try:
        parse_expression(text)
    except ParseError as err:
        raise TypeError(
            f"{what}: jacobi cannot read the SymPy expression {text}: {err.message}"
        ) from None
    return text


def value_text(value: Any, what: str) -> str:
    """One scalar (a component, a coordinate, a parameter value) as text.

    >>> value_text(sympy.pi / 4, "at"), value_text(Fraction(1, 3), "at"), value_text(2, "at")
    ('pi/4', '1/3', '2')
    >>> value_text(None, "at")
    Traceback (most recent call last):
    ...
    TypeError: at: expected a string, a number, a SymPy expression, not NoneType
    """
    if isinstance(value, str):
        return value
    if isinstance(value, sympy.Basic) and not isinstance(value, sympy.MatrixBase):
        return _sympy_text(value, what)
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected {_ACCEPTED}, not {value!r}")
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        from jacobi.commands.spec import number_text

        return number_text(float(value), what)
    raise TypeError(f"{what}: expected {_ACCEPTED}, not {_kind(value)}")


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _vector_items(value: Any, what: str) -> list[Any]:
    """The entries of a column or row (a SymPy matrix with one row or column)."""
    if value.rows != 1 and value.cols != 1 and value.rows * value.cols != 0:
        raise TypeError(
            f"{what}: a {value.rows}×{value.cols} matrix is not a vector; give a column, "
            "a row or a list"
        )
    return list(value)


def component_texts(value: Any, what: str) -> list[str]:
    """The component texts of one function: ``"x+y, x*y"``, an expression, a column or a
    row, a :class:`VectorFunction`, or a list or tuple of those (in order).

    >>> component_texts(sympy.Matrix([[1, 2], [3, 4]]), "f")
    Traceback (most recent call last):
    ...
    TypeError: f: a 2×2 matrix is not a vector; give a column, a row or a list
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, VectorFunction):
        if len(value.texts) == value.m:
            return list(value.texts)
        return [to_text(c) for c in value.components]
    if isinstance(value, sympy.MatrixBase):
        return [value_text(v, what) for v in _vector_items(value, what)]
    if _is_sequence(value):
        if not value:
            raise TypeError(f"{what}: an empty list has no components")
        out: list[str] = []
        for item in value:
            if isinstance(item, VectorFunction | sympy.MatrixBase) or _is_sequence(item):
                out += component_texts(item, what)
            else:
                out.append(value_text(item, what))
        return out
    if isinstance(value, Mapping | set | frozenset):
        raise TypeError(
            f"{what}: the components must be in order: give a list, not a {_kind(value)}"
        )
    return [value_text(value, what)]


def name_of(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, sympy.Symbol):
        return str(value.name)
    raise TypeError(f"{what}: expected a name or a SymPy symbol, not {_kind(value)} {value!r}")


def names(value: Any, what: str) -> str | list[str] | None:
    """Variable names: ``"x,y"``, a symbol, or a list, tuple or column of names/symbols."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, sympy.Symbol):
        return [str(value.name)]
    if isinstance(value, sympy.MatrixBase):
        value = _vector_items(value, what)
    if _is_sequence(value):
        return [name_of(v, what) for v in value]
    raise TypeError(
        f'{what}: expected names ("x,y"), SymPy symbols or a list of them, not {_kind(value)}'
    )


def param_texts(value: Any, what: str) -> list[str]:
    """Parameter values: ``"a=2"``, ``{"a": 2}`` or ``{a: 2}``, or a list of ``"a=2"``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [f"{name_of(k, what)}={value_text(v, what)}" for k, v in value.items()]
    if _is_sequence(value):
        out: list[str] = []
        for item in value:
            out += (
                param_texts(item, what) if isinstance(item, Mapping) else [_text_item(item, what)]
            )
        return out
    raise TypeError(f'{what}: expected "a=2", a dict {{a: 2}} or a list, not {_kind(value)}')


def _text_item(item: Any, what: str) -> str:
    if not isinstance(item, str):
        raise TypeError(f'{what}: expected strings such as "a=2" in the list, not {_kind(item)}')
    return item


def matrix_text(value: Any, what: str) -> str:
    """A matrix or a vector literal of jacobi's languages: ``[[1, 2], [3, 4]]``; a column
    (or a flat list) is ``[1, 2]``, a scalar its text.

    >>> matrix_text(sympy.Matrix([[1, sympy.Symbol("y")], [3, 4]]), "against")
    '[[1, y], [3, 4]]'
    >>> matrix_text(sympy.Matrix([1, 2]), "x"), matrix_text([[1, 2]], "x")
    ('[1, 2]', '[[1, 2]]')
    """
    if isinstance(value, sympy.MatrixBase):
        if value.cols == 1 and value.rows > 1:
            return "[" + ", ".join(value_text(v, what) for v in value) + "]"
        value = value.tolist()
    if _is_sequence(value):
        return "[" + ", ".join(matrix_text(v, what) for v in value) + "]"
    return value_text(value, what)


def point_text(value: Any, what: str, *, nested: bool = False) -> str:
    """A point: ``"-1,2"``, values in variable order (list, tuple, column), named values
    (a dict keyed by names or symbols), a :class:`Point`, or one value. ``nested``: values
    may be vectors and matrices (``mjac --at``)."""
    one = matrix_text if nested else value_text
    if isinstance(value, str):
        return value
    if isinstance(value, Point):
        value = dict(zip(value.variables, value.values, strict=True))
    if isinstance(value, Mapping):
        return ", ".join(f"{name_of(k, what)}={one(v, what)}" for k, v in value.items())
    if isinstance(value, sympy.MatrixBase):
        value = _vector_items(value, what)
    if _is_sequence(value):
        return ", ".join(one(v, what) for v in value)
    return one(value, what)


def given_symbols(*values: Any) -> dict[str, sympy.Symbol]:
    """The SymPy symbols in ``values`` (searched through lists, tuples, dicts and
    matrices), by name: the first of each name wins."""
    out: dict[str, sympy.Symbol] = {}

    def visit(v: Any) -> None:
        if isinstance(v, sympy.Basic | sympy.MatrixBase):
            for s in sorted(v.atoms(sympy.Symbol), key=lambda s: s.name):
                out.setdefault(s.name, s)
        elif isinstance(v, Mapping):
            for k, x in v.items():
                visit(k)
                visit(x)
        elif _is_sequence(v):
            for x in v:
                visit(x)

    for v in values:
        visit(v)
    return out
