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
* An unevaluated derivative prints as ``diff(f, x)`` (``diff(diff(f, x), y)`` for
  ``Derivative(f, x, y)``), which the parser reads back with ``keep_derivatives``.

The text is exactly what ``StrPrinter`` with these rules gives (``_reference_text``), sooner:
each distinct sub-expression is printed once (remembered within a call, and short texts
between calls, in a table bounded by count), sums and products are ordered by
:mod:`jacobi.lang.termorder` without rebuilding expressions, and a polynomial's terms
(``c*x**a*y**b``) are written directly. ``benchmarks/printing.py`` measures it against
the reference on the issue's large results (the 40-link arm, a 12,870-term determinant).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sympy
from sympy import Add, Basic, Mul, Number, Rational
from sympy.core.mul import _keep_coeff
from sympy.printing.str import StrPrinter

from jacobi.lang.termorder import (
    Power,
    monomial,
    negative,
    ordered_factors,
    ordered_terms,
    polynomial_terms,
    precedence,
)

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

    def _print_Derivative(self, expr: Any) -> str:
        text: str = self._print(expr.expr)
        for v, n in expr.variable_count:
            for _ in range(n):
                text = f"diff({text}, {self._print(v)})"
        return text

    def _print_Rational(self, expr: Any) -> str:
        if expr.q == 1:
            return _int_text(expr.p)
        return f"{_int_text(expr.p)}/{_int_text(expr.q)}"

    def _print_Mul(self, expr: Any) -> str:
        c, rest = expr.as_coeff_Mul()
        if c.is_Rational and c is not sympy.S.One and _needs_grouping(c, rest.as_ordered_factors()):
            sign = "-" if c.is_negative else ""
            head = "" if abs(c.p) == 1 else f"{_int_text(abs(c.p))}*"
            tail = "" if c.q == 1 else f"/{_int_text(c.q)}"
            return f"{sign}{head}({self._print(rest)}){tail}"
        text: str = super()._print_Mul(expr)
        return text


def _needs_grouping(c: Any, factors: Sequence[Any]) -> bool:
    """Whether ``str`` would put the coefficient ``c`` directly before a sum.

    ``StrPrinter`` writes ``c*rest`` as ``-p*F1*F2/(q*D1*D2)`` with the factors in
    ``as_ordered_factors`` order (``factors``); reading that left to right distributes
    ``p`` (or the sign) over ``F1`` when ``F1`` is a sum, and ``q`` over ``D1`` when ``D1`` is.
    """
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


#: Texts of sub-expressions kept from one call to the next, one table per setting: at most
#: ``_SHARED_LIMIT`` of them (then the table starts over), each of at most ``_SHARED_TEXT``
#: characters. What is kept never changes a text, only how soon it is ready.
_SHARED_LIMIT = 8192
_SHARED_TEXT = 2000
_SHARED: dict[bool, dict[Any, str]] = {False: {}, True: {}}


def _plain_product(args: Sequence[Any]) -> bool:
    """Whether ``StrPrinter._print_Mul`` takes its usual (evaluated) branch on these
    arguments, with no nested product and every factor commutative."""
    if args[0] is sympy.S.One:
        return False
    for a in args[1:]:
        if isinstance(a, Number) or (a.is_Pow and all(ai.is_Integer for ai in a.args)):
            return False
    return all(a.is_commutative is True and not a.is_Mul for a in args)


def _in_denominator(factor: Any) -> bool:
    """:func:`_is_neg_pow`, comparing rationals directly."""
    return bool(factor.is_Pow and negative(factor.exp.as_coeff_Mul()[0]))


def _grouped(c: Any, factors: Sequence[Any]) -> bool:
    """:func:`_needs_grouping` with :func:`_in_denominator`."""
    if c.p != 1:
        for f in factors:
            if not _in_denominator(f):
                if f.is_Add:
                    return True
                break
    if c.q != 1:
        for f in factors:
            if _in_denominator(f):
                return f.exp is sympy.S.NegativeOne and f.base.is_Add
    return False


def _positive_power(item: Any) -> Any:
    """``apow`` of ``StrPrinter._print_Mul``: ``x**(-e)`` as ``x**e``."""
    b, e = item.as_base_exp()
    eargs = list(Mul.make_args(e))
    if eargs[0] is sympy.S.NegativeOne:
        eargs = eargs[1:]
    else:
        eargs[0] = -eargs[0]
    e = Mul._from_args(eargs)
    if isinstance(item, sympy.Pow):
        return item.func(b, e, evaluate=False)
    return item.func(e, evaluate=False)


def _power_text(name: str, n: int) -> str:
    return name if n == 1 else f"{name}**{_int_text(n)}"


def _term_text(c: Any, powers: Sequence[Power]) -> str:
    """``StrPrinter``'s text of the monomial ``c*x**a*y**b*...`` (its powers in print order):
    ``c = ±p/q`` shows as ``-p*...`` and ``.../q``, and nothing needs parentheses."""
    texts = [_power_text(name, n) for name, n, _ in powers]
    p, q = c.p, c.q
    if not texts:
        return _int_text(p) if q == 1 else f"{_int_text(p)}/{_int_text(q)}"
    head = [_int_text(abs(p))] if abs(p) != 1 else []
    tail = f"/{_int_text(q)}" if q != 1 else ""
    return ("-" if p < 0 else "") + "*".join(head + texts) + tail


def _polynomial(expr: Any) -> str | None:
    """``StrPrinter``'s text of a sum of monomials (see ``termorder.polynomial_terms``), or
    None for any other sum. No term needs parentheses, and a term's sign is its text's."""
    terms = polynomial_terms(expr)
    if terms is None:
        return None
    parts: list[str] = []
    for c, powers in terms:
        text = _term_text(c, powers)
        if text.startswith("-"):
            parts.extend(["-", text[1:]])
        else:
            parts.extend(["+", text])
    sign = parts.pop(0)
    return ("" if sign == "+" else sign) + " ".join(parts)


class _FastPrinter(_JacobiPrinter):
    """:class:`_JacobiPrinter`'s text, sooner.

    Each distinct sub-expression is printed once (equal SymPy expressions print alike:
    equality compares classes and arguments, a float's precision included), and sums,
    products and precedences follow :mod:`jacobi.lang.termorder` instead of SymPy's
    ``as_ordered_terms`` and ``could_extract_minus_sign``, which rebuild expressions.
    Anything the fast paths do not cover goes to the methods inherited unchanged.
    """

    def __init__(self, pi_is_a_name: bool) -> None:
        super().__init__({"pi_is_a_name": pi_is_a_name})
        self._memo: dict[Any, str] = {}
        self._shared = _SHARED[pi_is_a_name]
        #: How many times the constant pi was printed (texts with it are not shared).
        self.pis = 0

    @classmethod
    def fresh(cls, pi_is_a_name: bool) -> _FastPrinter:
        """A printer with nothing remembered yet: a copy of one made at import, with the
        settings ``_PRINTER`` has (building the settings anew costs more than the text of
        a small expression)."""
        printer = copy.copy(_FAST[pi_is_a_name])
        printer._memo = {}
        printer._context = {}
        printer.pis = 0
        return printer

    def _print_Pi(self, expr: Any) -> str:
        self.pis += 1
        return super()._print_Pi(expr)

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not isinstance(expr, Basic) or not expr.args:
            text: str = super()._print(expr, **kwargs)
            return text
        found = self._memo.get(expr)
        if found is None:
            found = self._shared.get(expr)
            if found is None:
                pis = self.pis
                found = super()._print(expr)
                if len(found) <= _SHARED_TEXT and self.pis == pis:
                    if len(self._shared) >= _SHARED_LIMIT:
                        self._shared.clear()
                    self._shared[expr] = found
            self._memo[expr] = found
        return found

    def parenthesize(self, item: Any, level: int, strict: bool = False) -> str:
        prec = precedence(item)
        if prec < level or (not strict and prec <= level):
            return f"({self._print(item)})"
        return self._print(item)

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        if (order or self.order) is None and type(expr) is Add:
            return ordered_terms(expr)
        terms: list[Any] = super()._as_ordered_terms(expr, order=order)
        return terms

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        if type(expr) is Add and (order or self.order) is None:
            text = _polynomial(expr)
            if text is not None:
                return text
        # StrPrinter._print_Add, with termorder's precedence.
        terms = self._as_ordered_terms(expr, order=order)
        prec = precedence(expr)
        parts: list[str] = []
        for term in terms:
            t = self._print(term)
            if t.startswith("-") and not term.is_Add:
                sign = "-"
                t = t[1:]
            else:
                sign = "+"
            if precedence(term) < prec or term.is_Add:
                parts.extend([sign, f"({t})"])
            else:
                parts.extend([sign, t])
        sign = parts.pop(0)
        if sign == "+":
            sign = ""
        return sign + " ".join(parts)

    def _print_Mul(self, expr: Any) -> str:
        args = expr.args
        if type(expr) is not Mul or not _plain_product(args):
            return super()._print_Mul(expr)
        found = monomial(expr)
        if found is not None:
            return _term_text(*found)
        first = args[0]
        if isinstance(first, Number):
            if not isinstance(first, Rational):
                return super()._print_Mul(expr)
            c, rest = first, args[1:]
        else:
            c, rest = sympy.S.One, args
        if c is not sympy.S.One and _grouped(c, ordered_factors(rest)):
            return super()._print_Mul(expr)
        return self._print_product(expr, c, rest)

    def _print_product(self, expr: Any, c: Any, rest: Sequence[Any]) -> str:
        """The evaluated branch of ``StrPrinter._print_Mul`` for ``expr = c*rest``, with the
        factors of ``_keep_coeff(-c, rest)`` ordered without building it."""
        prec = precedence(expr)
        if c.p < 0:
            sign, coeff = "-", -c
            if coeff is sympy.S.One:
                factors = ordered_factors(rest)
            elif len(rest) > 1 or rest[0].is_Add:
                factors = ordered_factors([coeff, *rest])
            else:
                factors = _keep_coeff(coeff, rest[0]).as_ordered_factors()
        else:
            sign, factors = "", ordered_factors(expr.args)
        a: list[Any] = []  # numerator
        b: list[Any] = []  # denominator
        pow_paren = []  # powers with exponent -1 of a product or power
        for item in factors:
            if (
                item.is_commutative
                and isinstance(item, sympy.Pow)
                and negative(item.exp.as_coeff_Mul()[0])
            ):
                if item.exp is not sympy.S.NegativeOne:
                    b.append(_positive_power(item))
                else:
                    if len(item.args[0].args) != 1 and isinstance(item.base, (Mul, sympy.Pow)):
                        pow_paren.append(item)
                    b.append(item.base)
            elif item.is_Rational and item is not sympy.S.Infinity:
                if item.p != 1:
                    a.append(sympy.Rational(item.p))
                if item.q != 1:
                    b.append(sympy.Rational(item.q))
            else:
                a.append(item)
        a = a or [sympy.S.One]
        a_str = [self.parenthesize(x, prec, strict=False) for x in a]
        b_str = [self.parenthesize(x, prec, strict=False) for x in b]
        for item in pow_paren:
            if item.base in b:
                b_str[b.index(item.base)] = f"({b_str[b.index(item.base)]})"
        if not b:
            return sign + "*".join(a_str)
        if len(b) == 1:
            return sign + "*".join(a_str) + "/" + b_str[0]
        return sign + "*".join(a_str) + "/({})".format("*".join(b_str))


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
    if variables is not None:
        text: str = _FastPrinter.fresh("pi" in variables).doprint(expr)
        return text
    return _texts([expr])[0]


_FAST = {False: _FastPrinter(False), True: _FastPrinter(True)}


def _texts(exprs: list[Any]) -> list[str]:
    """The texts of ``exprs``, π spelled as the names in all of them and those declared
    decide; the names are only looked up when π was printed."""
    pi = "pi" in _DECLARED.get()
    printer = _FastPrinter.fresh(pi)
    texts = [printer.doprint(e) for e in exprs]
    if not pi and printer.pis and "pi" in _names(exprs):
        printer = _FastPrinter.fresh(True)
        texts = [printer.doprint(e) for e in exprs]
    return texts


def _reference_text(expr: Any, variables: Collection[str] | None = None) -> str:
    """:func:`to_text` the plain way: ``StrPrinter`` with jacobi's rules, nothing remembered
    and SymPy's own term order (the tests hold the fast printer to it)."""
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
        texts = iter(_texts([entry for row in rows for entry in row]))
        return [[next(texts) for _ in row] for row in rows]
    printer = _FastPrinter.fresh("pi" in variables)
    return [[printer.doprint(entry) for entry in row] for row in rows]
