"""The order and precedence SymPy's printers give terms and factors, computed faster.

SymPy's ``StrPrinter`` and ``LatexPrinter`` order the terms of every sum with
``Expr.as_ordered_terms`` and ask ``precedence`` of every factor. Both are slow on large
results: ``as_terms`` converts each coefficient to ``complex`` through ``evalf``, and
``precedence`` of a product asks ``Mul.could_extract_minus_sign``, which builds ``-self``
(a new ``Mul`` whose assumptions are deduced from scratch). The functions here give the
very same answers from the expressions' arguments, without building anything: each one
follows SymPy 1.14's code step by step (the comments name the original), and hands any
case it does not cover to SymPy's own function.

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> e = 3 * x**2 * y - x + 7
>>> ordered_terms(e) == e.as_ordered_terms()
True
>>> [precedence(t) for t in ordered_terms(e)] == [sympy.printing.precedence.precedence(t)
...                                              for t in ordered_terms(e)]
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mpmath.libmp import from_int, from_rational
from sympy import Add, Basic, Float, Integer, Mul, Number, NumberSymbol, Pow, Rational, S, Symbol
from sympy.core.expr import UnevaluatedExpr
from sympy.core.exprtools import decompose_power
from sympy.core.function import Function
from sympy.printing.precedence import (
    PRECEDENCE,
    PRECEDENCE_FUNCTIONS,
    PRECEDENCE_TRADITIONAL,
    PRECEDENCE_VALUES,
)
from sympy.printing.precedence import precedence as sympy_precedence

__all__ = [
    "complex_value",
    "negative",
    "number_first",
    "monomial",
    "ordered_factors",
    "ordered_terms",
    "precedence",
    "precedence_traditional",
]

_EXACT = 2**53
_EVALF_PREC = 53  # dps_to_prec(15): the precision of evalf()


def complex_value(number: Any) -> complex:
    """``complex(number)``, which SymPy computes through ``evalf``: for a rational, its value
    to ``dps_to_prec(15) + 4`` = 57 bits rounded down (``evalf_rational``), then to 53 bits
    to nearest (``Float._new``), then ``float``. The same steps here, without the rest of
    ``evalf``; an integer of fewer than 54 bits is exact either way.
    """
    if not isinstance(number, Rational):
        return complex(number)
    p, q = number.p, number.q
    if q == 1:
        if -_EXACT < p < _EXACT:
            return complex(float(p), 0.0)
        value = from_int(p, _EVALF_PREC + 4)
    else:
        value = from_rational(p, q, _EVALF_PREC + 4)
    return complex(float(Float._new(value, _EVALF_PREC)), 0.0)


def negative(number: Any) -> bool:
    """``bool(number < 0)`` for the coefficient of an exponent (a SymPy number)."""
    if isinstance(number, Rational):
        return bool(number.p < 0)
    return bool(number < 0)


def _not_number(term: Any) -> bool:
    return not isinstance(term, (Number, NumberSymbol))


def number_first(args: Sequence[Any]) -> list[Any] | None:
    """The special case at the top of ``Expr.as_ordered_terms``: ``2 - 3*x`` keeps ``2`` first."""
    add_args = sorted(args, key=_not_number)
    if isinstance(add_args[0], (Number, NumberSymbol)) and isinstance(add_args[1], Mul):
        mul_args = sorted(Mul.make_args(add_args[1]), key=_not_number)
        if (
            len(mul_args) == 2
            and isinstance(mul_args[0], Number)
            and add_args[0].is_positive
            and mul_args[0].is_negative
        ):
            return add_args
    return None


def _coeff_factors(term: Any) -> tuple[Any, Sequence[Any]]:
    """``coeff, rest = term.as_coeff_Mul()`` and ``Mul.make_args(rest)``, without building ``rest``.

    An empty sequence stands for ``rest is S.One``.
    """
    if type(term) is Mul:
        args = term.args
        if args[0].is_Number:  # Mul.as_coeff_Mul: the leading number and the others
            rest = args[1:]
            if len(rest) == 1:
                only = rest[0]
                return args[0], () if only is S.One else Mul.make_args(only)
            return args[0], rest  # a Mul of rest has exactly these args
        return S.One, args
    coeff, rest = term.as_coeff_Mul()
    return coeff, () if rest is S.One else Mul.make_args(rest)


#: What ``Expr.as_terms`` finds in a term, remembered for at most ``_TERMS_LIMIT`` terms
#: (then the table starts over) of at most ``_TERM_NODES`` nodes each.
_TERMS_LIMIT = 8192
_TERM_NODES = 200
_TERMS: dict[Any, tuple[complex, tuple[tuple[Any, int], ...] | None]] = {}


def _small(expr: Any) -> bool:
    """Whether ``expr`` has at most ``_TERM_NODES`` nodes (counted until there are more)."""
    stack, seen = [expr], 0
    while stack:
        seen += 1
        if seen > _TERM_NODES:
            return False
        stack.extend(getattr(stack.pop(), "args", ()))
    return True


def _term_data(term: Any) -> tuple[complex, tuple[tuple[Any, int], ...] | None]:
    """The loop body of ``Expr.as_terms`` for one term: its coefficient's complex value
    (numeric factors multiplied in) and its (base, exponent) pairs in factor order; None
    for the pairs when a factor is not commutative."""
    coeff, factors = _coeff_factors(term)
    value = complex_value(coeff)
    powers = []
    for factor in factors:
        if factor.is_number:
            try:
                value *= complex_value(factor)
            except (TypeError, ValueError):
                pass
            else:
                continue
        if not factor.is_commutative:
            return value, None
        powers.append(decompose_power(factor))
    return value, tuple(powers)


def ordered_terms(expr: Any) -> list[Any]:
    """``expr.as_ordered_terms()`` (the default order) for a sum.

    Follows ``Expr.as_ordered_terms``, ``Expr.as_terms`` and ``Expr._parse_order`` with
    ``order=None`` (lex): terms sort by their exponents over the generators (sorted by
    ``default_sort_key``), highest first, then by the coefficient's complex value; the
    sort is stable. Non-commutative factors and ``O(...)`` terms go to SymPy itself.
    """
    if type(expr) is not Add:
        return list(expr.as_ordered_terms())
    args = expr.args
    if len(args) == 2:
        first = number_first(args)
        if first is not None:
            return first
    gens: set[Any] = set()
    terms: list[tuple[Any, complex, dict[Any, int]]] = []
    for term in args:
        if term.is_Order:
            return list(expr.as_ordered_terms())
        data = _TERMS.get(term)
        if data is None:
            data = _term_data(term)
            if _small(term):
                if len(_TERMS) >= _TERMS_LIMIT:
                    _TERMS.clear()
                _TERMS[term] = data
        value, powers = data
        if powers is None:
            return list(expr.as_ordered_terms())
        cpart: dict[Any, int] = {}
        for base, exp in powers:
            cpart[base] = exp
            gens.add(base)
        terms.append((term, value, cpart))
    # default_sort_key of a SymPy object is its sort_key(order=None)
    index = {g: i for i, g in enumerate(sorted(gens, key=_sort_key))}
    k = len(index)
    keyed = []
    for term, value, cpart in terms:
        monom = [0] * k
        for base, exp in cpart.items():
            monom[index[base]] = exp
        re, im = value.real, value.imag
        key = (tuple([-m for m in monom]), (), ((bool(im), im), (re, im)))
        keyed.append((key, term))
    keyed.sort(key=lambda pair: pair[0])
    return [term for _, term in keyed]


#: A factor of a monomial: the symbol's name, the exponent, and the factor itself.
Power = tuple[str, int, Any]


def _powers(factors: Sequence[Any], names: dict[str, Any]) -> list[Power] | None:
    """The factors as :data:`Power`, if all are commutative symbols of class ``Symbol`` or
    their integer powers of at least 2, and no two symbols share a name; else None."""
    out = []
    for f in factors:
        cls = type(f)
        if cls is Symbol:
            s, n = f, 1
        elif cls is Pow:
            s, e = f.args
            if type(s) is not Symbol or type(e) is not Integer or e.p < 2:
                return None
            n = e.p
        else:
            return None
        name = s.name
        seen = names.setdefault(name, s)
        if (seen is not s and seen != s) or s.is_commutative is not True:
            return None
        out.append((name, n, f))
    return out


def _monomial(term: Any, names: dict[str, Any]) -> tuple[Any, list[Power]] | None:
    if type(term) is Mul:
        args = term.args
        first = args[0]
        if isinstance(first, Rational):
            if first is S.One or len(args) == 1:
                return None  # an unevaluated product
            c, factors = first, args[1:]
        else:
            c, factors = S.One, args
    elif isinstance(term, Rational):
        c, factors = term, ()
    else:
        c, factors = S.One, (term,)
    powers = _powers(factors, names)
    if powers is None:
        return None
    # as_ordered_factors: the number first, then sort_key, which for these factors is
    # (name, exponent); the sort is stable.
    powers.sort(key=lambda power: (power[0], power[1]))
    return c, powers


def monomial(term: Any) -> tuple[Any, list[Power]] | None:
    """``(c, powers)`` for a term ``c*x**a*y**b*...``: a rational ``c`` (1 when absent) and
    commutative symbols of class ``Symbol`` with integer exponents (1 or at least 2), the
    powers in the order ``as_ordered_factors`` gives them; None for any other term.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> monomial(-3 * y * x**2)
    (-3, [('x', 2, x**2), ('y', 1, y)])
    >>> monomial(x + 1) is None
    True
    """
    return _monomial(term, {})


def polynomial_terms(expr: Any) -> list[tuple[Any, list[Power]]] | None:
    """The terms of a sum of :func:`monomial` terms in :func:`ordered_terms` order; None for
    any other sum (and for ``2 - 3*x``, which that order treats apart).

    The generators are the symbols, which ``default_sort_key`` sorts by name (no two share
    one here); the terms sort by their exponents, highest first, then by the coefficient's
    value, in a stable sort, as in ``Expr.as_terms`` (a repeated factor overwrites).
    """
    if type(expr) is not Add:
        return None
    args = expr.args
    if len(args) == 2 and number_first(args) is not None:
        return None
    names: dict[str, Any] = {}
    terms = []
    for term in args:
        found = _monomial(term, names)
        if found is None:
            return None
        terms.append(found)
    index = {name: i for i, name in enumerate(sorted(names))}
    keyed = []
    for c, powers in terms:
        monom = [0] * len(index)
        for name, n, _ in powers:
            monom[index[name]] = n
        value = complex_value(c)
        re, im = value.real, value.imag
        keyed.append(((tuple([-m for m in monom]), ((bool(im), im), (re, im))), (c, powers)))
    keyed.sort(key=lambda pair: pair[0])
    return [term for _, term in keyed]


def _sort_key(expr: Any) -> Any:
    return expr.sort_key(order=None)


def ordered_factors(factors: Sequence[Any]) -> list[Any]:
    """``Mul(*factors).as_ordered_factors()`` for commutative factors, the first of which is
    not a negative number other than -1 (``args_cnc`` would split it), without the ``Mul``."""
    return sorted(factors, key=_sort_key)


_MUL: int = PRECEDENCE["Mul"]
_ADD: int = PRECEDENCE["Add"]
_ATOM: int = PRECEDENCE["Atom"]


def _precedence_mul(item: Any) -> int:
    """``precedence_Mul``: ``could_extract_minus_sign`` is a negative rational leading factor.

    ``Mul.could_extract_minus_sign`` is ``self != -self and args[0]`` a negative number;
    ``-self`` differs from ``self`` whenever ``args[0]`` is a non-zero rational, unless the
    next factor is ``zoo`` (which ``Mul.__neg__`` leaves alone): that case goes to SymPy.
    """
    args = item.args
    for arg in args:
        if hasattr(arg, "precedence") and isinstance(arg, Function) and arg.precedence < _MUL:
            return _MUL
    first = args[0]
    if not isinstance(first, Number):
        return _MUL
    if isinstance(first, Rational) and not any(a is S.ComplexInfinity for a in args):
        return _ADD if first.p < 0 else _MUL
    return _ADD if item.could_extract_minus_sign() else _MUL


_Rule = Callable[[Any], int] | int
_RULES: dict[type, _Rule] = {}
_RULES_LIMIT = 1024


def _rule(cls: type) -> _Rule:
    """What ``precedence`` does for instances of ``cls``: a number, or a function to call."""
    if cls is Mul:
        return _precedence_mul
    if not issubclass(cls, Basic) or hasattr(cls, "precedence") or cls.__dictoffset__:
        # Instances with their own attributes could carry a ``precedence``: ask SymPy.
        ask: Callable[[Any], int] = sympy_precedence
        return ask
    for c in cls.__mro__:
        name = c.__name__
        if name in PRECEDENCE_FUNCTIONS:
            fn: Callable[[Any], int] = PRECEDENCE_FUNCTIONS[name]
            return fn
        if name in PRECEDENCE_VALUES:
            value: int = PRECEDENCE_VALUES[name]
            return value
    return _ATOM


def precedence(item: Any) -> int:
    """``sympy.printing.precedence.precedence(item)``, decided once per class where it can be."""
    cls = type(item)
    rule = _RULES.get(cls)
    if rule is None:
        if len(_RULES) >= _RULES_LIMIT:  # classes made on the fly (undefined functions)
            _RULES.clear()
        rule = _RULES[cls] = _rule(cls)
    if isinstance(rule, int):
        return rule
    return rule(item)


def precedence_traditional(item: Any) -> int:
    """``sympy.printing.precedence.precedence_traditional`` (the LaTeX printer's), with
    :func:`precedence` for the classes it does not name."""
    if isinstance(item, UnevaluatedExpr):
        return precedence_traditional(item.args[0])
    name = item.__class__.__name__
    if name in PRECEDENCE_TRADITIONAL:
        value: int = PRECEDENCE_TRADITIONAL[name]
        return value
    return precedence(item)
