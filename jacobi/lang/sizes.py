"""How big exact numbers are, measured before SymPy is asked to compute them.

:mod:`jacobi.lang.build` refuses arithmetic on literals whose result would be huge
(``9^9^9``, the product of twenty 1000-digit numbers, the root of a 400-digit number).
It measures the numbers in digits, as base-10 logarithms, with the few functions here:
counting is cheap, and it bounds the work by the size of the numbers, not by a clock.
"""

from __future__ import annotations

import math
from typing import Any

import sympy

__all__ = ["digits_text", "log10_abs", "number_digits", "power_digits", "root_digits", "short"]

Expr = Any  # sympy is untyped; this alias documents intent.

_HUGE = 10**300


def digits_text(log10_digits: float) -> str:
    """``about N`` for a digit count given as its base-10 logarithm.

    >>> digits_text(4.0), digits_text(8.57), digits_text(20.0)
    ('10,000', '370,000,000', '10^20')
    """
    if log10_digits < 15:
        digits = 10**log10_digits
        scale = 10 ** max(0, int(math.floor(math.log10(max(digits, 1)))) - 1)
        return f"{int(round(digits / scale)) * scale:,}"
    return f"10^{int(log10_digits)}"


def log10_abs(n: int) -> float:
    """``log10(|n|)``, and 0 for ``|n| <= 1``: about the number of digits of ``n``."""
    n = abs(n)
    return math.log10(n) if n > 1 else 0.0


def number_digits(e: Expr) -> float:
    """Digits of the exact rational numbers at the top of ``e`` (coefficient-wise)."""
    if e.is_Rational:
        return log10_abs(e.p) + log10_abs(e.q)
    if e.is_Mul:
        c = e.args[0]
        return number_digits(c) if c.is_Rational else 0.0
    if e.is_Add:
        return max(number_digits(t) for t in e.args)
    return 0.0


def root_digits(e: Expr) -> float:
    """Digits of the rational radicands (``2`` in ``sqrt(2)``) that multiply ``e``."""
    if e.is_Pow:
        b, x = e.args
        if b.is_Rational and x.is_Rational and not x.is_Integer:
            return number_digits(b)
        return 0.0
    if e.is_Mul:
        return sum(root_digits(a) for a in e.args if a.is_Pow)
    return 0.0


def power_digits(base: Expr) -> float:
    """Digits per unit exponent of the numbers SymPy computes when raising ``base``."""
    if base.is_Rational:
        return log10_abs(base.p) + log10_abs(base.q)
    if base.is_Mul:
        return sum(power_digits(a) for a in base.args)
    if base.is_Pow:
        b, x = base.args
        if x.is_Rational:
            return abs(float(x)) * power_digits(b) if abs(x.p) < _HUGE else math.inf
    return 0.0


def short(e: Expr) -> str:
    """A short text for a number or expression in a message.

    >>> short(sympy.Integer(10) ** 50), short(sympy.Rational(-1, 2)), short(sympy.pi)
    ('(a 51-digit number)', '(-1/2)', 'pi')
    """
    if number_digits(e) > 40 or root_digits(e) > 40:
        if e.is_Integer:
            return f"(a {int(log10_abs(e.p)) + 1:,}-digit number)"
        return "(a huge number)"
    for nodes, _ in enumerate(sympy.preorder_traversal(e)):
        if nodes >= 30:
            return "(a long expression)"
    try:
        text = str(e)
    except ValueError:  # an integer beyond Python's int-to-str limit
        return "(a huge number)"
    if len(text) > 40:
        return "(a long expression)"
    if e.is_Atom and not (e.is_Rational and (e.q != 1 or e.p < 0)):
        return text
    return f"({text})"
