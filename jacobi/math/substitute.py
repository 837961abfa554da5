"""Exact substitution, and why a value is undefined.

:func:`substitute` replaces symbols by numbers bottom-up, checking on the way
that no exact number grows too large (:func:`jacobi.math.magnitude.guard_exact`).
:func:`checked_value` does the same while checking that every sub-expression is
a finite real number, raising :class:`Undefined` with the reason for the
innermost one that is not (division by zero, log of 0, the square root of a
negative number); :func:`undefined_reason` and :func:`explain` word it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy

from jacobi.math.magnitude import BAD, guard_exact, is_bad, nonreal, real_sign

#: Functions defined (and real) for every real argument: no domain check needed.
_TOTAL = (
    sympy.sin, sympy.cos, sympy.exp, sympy.atan, sympy.sinh, sympy.cosh, sympy.tanh,
    sympy.asinh, sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min,
    sympy.erf, sympy.erfc,
)  # fmt: skip
TOTAL_FUNCTIONS = _TOTAL


def rebuild(expr: sympy.Expr, args: Sequence[sympy.Expr]) -> sympy.Expr:
    """``expr.func(*args)``, keeping atan2 of constants real.

    SymPy rewrites ``atan2(8, tan(E)/x)`` at a point as ``-I*log(...)`` when it cannot
    tell the signs of the arguments, which then looks non-real. With the signs found
    numerically (bounded, see :func:`real_sign`) it is ``atan(y/x)`` plus the quadrant.
    """
    out = expr.func(*args)
    if isinstance(expr, sympy.atan2) and out.has(sympy.I):
        y, x = args
        sx, sy = real_sign(x), real_sign(y)
        if sx is None or sy is None:
            return out
        if sx == 1:
            return sympy.atan(y / x)
        if sx == -1:
            return sympy.atan(y / x) + (sympy.pi if sy >= 0 else -sympy.pi)
        return sympy.pi / 2 * sy if sy else sympy.nan
    return out


def substitute(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """``expr`` with symbols replaced simultaneously, checking number sizes on the way.

    The tree is rebuilt bottom-up (like ``xreplace``), so each power of two
    numbers is checked before SymPy computes it.

    >>> from sympy import symbols
    >>> x, y = symbols("x y", real=True)
    >>> substitute(x**2*y, {x: sympy.Rational(1, 3), y: 3})
    1/3
    >>> substitute(x + y, {x: y, y: x})  # simultaneous, never sequential
    x + y
    """
    if expr in values:
        value = values[expr]  # type: ignore[index]
        return value if isinstance(value, sympy.Basic) else sympy.Integer(value)
    if not expr.args or not (expr.free_symbols & values.keys()):
        return expr
    args = [substitute(a, values) for a in expr.args]
    guard_exact(expr, args)
    try:
        return rebuild(expr, args)
    except (ValueError, TypeError, ArithmeticError):
        # Min(1, atan2(0, 0)): SymPy refuses to compare nan; the value is undefined, which
        # every caller reports with its reason (never an internal error).
        return sympy.nan


# ---------------------------------------------------------------- why undefined


def _reason(sub: sympy.Expr, args: Sequence[sympy.Expr]) -> str:
    """Why ``sub`` (with argument values ``args``) has no real value."""
    from jacobi.lang.printing import to_text

    text = to_text(sub)
    if isinstance(sub, sympy.Pow):
        base, exp = args
        if base == 0 and (exp.is_negative or exp.is_nonpositive):
            den = sympy.Pow(sub.args[0], -sub.args[1])
            den_text = to_text(den)
            if isinstance(den, (sympy.Add, sympy.Mul)):
                den_text = f"({den_text})"
            return f"division by zero in 1/{den_text}"
        if real_sign(base) == -1 and exp.is_Rational and not exp.is_integer:
            root = {2: "square root", 3: "cube root"}.get(exp.q, f"root of order {exp.q}")
            return f"{text} takes the {root} of {to_text(sub.args[0])} = {to_text(base)} < 0"
    if isinstance(sub, sympy.log):
        if args[0] == 0:
            return f"{text} is log of 0"
        if real_sign(args[0]) == -1:
            return f"{text} is log of a negative number"
    if isinstance(sub, sympy.atan2) and args[0] == 0 and args[1] == 0:
        return f"{text} is undefined where both its arguments are 0"
    return f"{text} has no real value there"


class Undefined(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def checked_value(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    *,
    nonreal_only: bool = False,
    memo: dict[sympy.Expr, sympy.Expr] | None = None,
) -> sympy.Expr:
    """The value of ``expr`` at ``values``, checking every sub-expression on the way.

    Raises :class:`Undefined` with the reason for the innermost sub-expression
    that is not a finite real number (only non-real ones with ``nonreal_only``).
    """
    if memo is None:
        memo = {}
    if expr in memo:
        return memo[expr]
    if expr.args and not (expr.free_symbols & values.keys()):
        return expr  # nothing substituted below: constants were checked when parsed
    if expr in values:
        v = values[expr]  # type: ignore[index]
        out: sympy.Expr = v if isinstance(v, sympy.Basic) else sympy.Integer(v)
    elif not expr.args:
        out = expr
    else:
        args = [checked_value(a, values, nonreal_only=nonreal_only, memo=memo) for a in expr.args]
        guard_exact(expr, args)
        try:
            out = rebuild(expr, args)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise Undefined(_reason(expr, args)) from exc
        sensitive = not isinstance(expr, (sympy.Add, sympy.Mul, *_TOTAL)) and not (
            isinstance(expr, sympy.Pow) and args[1].is_Integer and args[1] >= 0
        )
        if nonreal_only:
            bad = out.has(sympy.I) or (sensitive and nonreal(out))
        else:
            bad = out.has(*BAD) or out.has(sympy.I) or (sensitive and is_bad(out))
        if bad:
            raise Undefined(_reason(expr, args))
    memo[expr] = out
    return out


def undefined_reason(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> str | None:
    """Why some sub-expression of ``expr`` is not a finite real number at ``values``, or ``None``.

    ``values`` may give only some of the symbols (parameters): pieces that still
    depend on the others are checked for ``zoo``, ``nan`` and ``I`` only.

    >>> a, x = sympy.symbols("a x", real=True)
    >>> undefined_reason(x / a, {a: 0})
    'division by zero in 1/a'
    >>> undefined_reason(sympy.log(a**3) + x, {a: -3})
    'log(a**3) is log of a negative number'
    >>> undefined_reason(sympy.sqrt(x - a), {a: 5}) is None
    True
    """
    try:
        checked_value(expr, values)
    except Undefined as exc:
        return exc.reason
    return None


def explain(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """Why ``expr`` has no real value at ``values``: the innermost failing piece.

    >>> from sympy import symbols, log, sqrt
    >>> x, y = symbols("x y", real=True)
    >>> explain(x*y/(x**2 + y**2), {x: 0, y: 0})
    'division by zero in 1/(x**2 + y**2)'
    >>> explain(log(x), {x: 0})
    'log(x) is log of 0'
    >>> explain(sqrt(x), {x: -1})
    'sqrt(x) takes the square root of x = -1 < 0'
    """
    try:
        checked_value(expr, values)
    except Undefined as exc:
        return exc.reason
    return "the value is not a finite real number"
