"""Print SymPy expressions as text that reads back to the very same expression.

The output is SymPy's ``str`` syntax (``x**2``, ``2*x``, ``sqrt(x)``, ``Abs(x)``,
``atan2(y, x)``, ``x**(1/3)``), which both :func:`jacobi.lang.parse.parse_expression` and
``sympy.sympify`` read back to a structurally equal expression. Differences from plain
``str(expr)``:

* Euler's number prints as ``exp(1)``: in jacobi's language ``E`` is a variable.
* Where a variable is called ``pi`` (``--vars x,pi``), the constant π prints as
  ``acos(-1)``, which no variable can be confused with.
* A product whose rational coefficient would otherwise be applied to a sum first
  (``2*(x + 1)*sin(x)``, ``-(x - 1)*(x + 1)``, ``y/(2*(x + 1))``) is grouped
  (``2*((x + 1)*sin(x))``, ``(1/(x + 1))/2``): evaluated left to right, ``2*(x + 1)`` would be
  distributed to ``2*x + 2`` and give a different (equal-valued) expression.
* Integers longer than Python's ``int``-to-``str`` limit still print.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sympy
from sympy.printing.str import StrPrinter

__all__ = ["to_text", "to_text_matrix"]

_CHUNK = 10**1000


def _int_text(n: int) -> str:
    """Decimal digits of ``n``, for any size (``str`` refuses more than 4300 digits)."""
    if -_CHUNK < n < _CHUNK:
        return str(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    chunks: list[str] = []
    while n >= _CHUNK:
        n, low = divmod(n, _CHUNK)
        chunks.append(str(low).rjust(1000, "0"))
    chunks.append(str(n))
    return sign + "".join(reversed(chunks))


def _is_neg_pow(factor: Any) -> bool:
    """Whether ``factor`` is printed in a denominator (a power with negative exponent)."""
    return bool(factor.is_Pow and factor.exp.as_coeff_Mul()[0] < 0)


class _JacobiPrinter(StrPrinter):  # type: ignore[misc]  # sympy is untyped
    """``StrPrinter`` with jacobi's round-trip fixes (see the module docstring)."""

    _default_settings = {**StrPrinter._default_settings, "pi_is_a_name": False}

    def _print_Exp1(self, expr: Any) -> str:
        return "exp(1)"

    def _print_Pi(self, expr: Any) -> str:
        return "acos(-1)" if self._settings["pi_is_a_name"] else "pi"

    def _print_Integer(self, expr: Any) -> str:
        return _int_text(expr.p)

    def _print_Rational(self, expr: Any) -> str:
        if expr.q == 1:
            return _int_text(expr.p)
        return f"{_int_text(expr.p)}/{_int_text(expr.q)}"

    def _print_Mul(self, expr: Any) -> str:
        c, rest = expr.as_coeff_Mul()
        if c.is_Rational and c is not sympy.S.One and _needs_grouping(c, rest):
            sign = "-" if c.is_negative else ""
            head = "" if abs(c.p) == 1 else f"{_int_text(abs(c.p))}*"
            tail = "" if c.q == 1 else f"/{_int_text(c.q)}"
            return f"{sign}{head}({self._print(rest)}){tail}"
        text: str = super()._print_Mul(expr)
        return text


def _needs_grouping(c: Any, rest: Any) -> bool:
    """Whether ``str`` would put the coefficient ``c`` directly before a sum.

    ``StrPrinter`` writes ``c*rest`` as ``-p*F1*F2/(q*D1*D2)`` with the factors in
    ``as_ordered_factors`` order; reading that left to right distributes ``p`` (or
    the sign) over ``F1`` when ``F1`` is a sum, and ``q`` over ``D1`` when ``D1`` is.
    """
    factors = rest.as_ordered_factors()
    numerator = [f for f in factors if not _is_neg_pow(f)]
    denominator = [f for f in factors if _is_neg_pow(f)]
    if c.p != 1 and numerator and numerator[0].is_Add:
        return True
    if c.q != 1 and denominator:
        first = denominator[0]
        if first.exp is sympy.S.NegativeOne and first.base.is_Add:
            return True
    return False


_PRINTER = _JacobiPrinter()
_PI_NAME_PRINTER = _JacobiPrinter({"pi_is_a_name": True})


#: Names declared for the result being printed (see :func:`declared`).
_DECLARED: ContextVar[frozenset[str]] = ContextVar("declared", default=frozenset())


@contextmanager
def declared(names: Iterable[str]) -> Iterator[None]:
    """Print every expression inside as text read back where ``names`` are declared.

    Renderers wrap a whole report in it, so a result entry with the constant π
    prints ``acos(-1)`` when ``pi`` is a variable of the function, even if that
    entry has no variable ``pi`` in it.

    >>> with declared(["x", "pi"]):
    ...     to_text(sympy.pi * 2)
    '2*acos(-1)'
    >>> to_text(sympy.pi * 2)
    '2*pi'
    """
    token = _DECLARED.set(frozenset(names))
    try:
        yield
    finally:
        _DECLARED.reset(token)


def _names(exprs: Iterable[Any]) -> set[str]:
    names: set[str] = set(_DECLARED.get())
    for e in exprs:
        names.update(s.name for s in getattr(e, "free_symbols", ()))
    return names


def to_text(expr: Any, variables: Collection[str] | None = None) -> str:
    """Print ``expr`` in SymPy syntax that jacobi's parser and ``sympify`` read back.

    Parameters
    ----------
    expr
        A SymPy expression (or anything SymPy can print).
    variables
        The names declared where the text will be read back (the variables and
        parameters of the function). When ``pi`` is one of them, the constant π is
        printed ``acos(-1)``. Without it, the names in ``expr`` itself decide.

    Returns
    -------
    str
        The text, e.g. ``"exp(1)*x**2 + sqrt(y)"``.

    Examples
    --------
    >>> from jacobi.lang.parse import parse_expression
    >>> to_text(parse_expression("e*x^2 + sqrt(y)/3"))
    'exp(1)*x**2 + sqrt(y)/3'
    >>> to_text(parse_expression("2*((x+1)*sin(x))"))
    '2*((x + 1)*sin(x))'
    >>> import sympy
    >>> to_text(sympy.pi * parse_expression("pi", variables=["pi"]))
    'acos(-1)*pi'
    >>> to_text(sympy.pi / 2, variables=["x", "pi"]), to_text(sympy.pi / 2)
    ('acos(-1)/2', 'pi/2')
    """
    names = _names([expr]) if variables is None else variables
    printer = _PI_NAME_PRINTER if "pi" in names else _PRINTER
    text: str = printer.doprint(expr)
    return text


def to_text_matrix(m: Any, variables: Collection[str] | None = None) -> list[list[str]]:
    """Print every entry of a matrix (a SymPy matrix or a list of rows) with :func:`to_text`.

    Parameters
    ----------
    m
        A SymPy ``Matrix`` or a sequence of rows of expressions.
    variables
        As for :func:`to_text`; without it, the names in all of ``m`` decide, so that
        every entry spells π the same way.

    Returns
    -------
    list[list[str]]
        The printed entries, row by row.

    Examples
    --------
    >>> import sympy
    >>> to_text_matrix(sympy.Matrix([[1, sympy.E], [sympy.pi, sympy.Rational(1, 3)]]))
    [['1', 'exp(1)'], ['pi', '1/3']]
    """
    rows = m.tolist() if hasattr(m, "tolist") else m
    if variables is None:
        variables = _names(entry for row in rows for entry in row)
    return [[to_text(entry, variables) for entry in row] for row in rows]
