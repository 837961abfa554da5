"""Values at points: exact substitution, floats alongside, and honest "undefined".

A point where an entry is undefined (division by zero, log of zero, a square
root of a negative number, a kink such as |x| at 0) raises
:class:`~jacobi.errors.UndefinedError` naming the entry and the reason; ``nan``,
``zoo`` or ``oo`` are never returned as if they were values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping

import sympy

from jacobi.errors import LimitError, UndefinedError
from jacobi.model import Point

#: Exact results with more digits than this are refused (exit 4) rather than printed.
MAX_VALUE_DIGITS = 10_000

_KINKS = (sympy.sign, sympy.Heaviside)
_BAD = (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)


def _digits(n: sympy.Integer) -> float:
    v = abs(int(n))
    return v.bit_length() * 0.30103 if v else 1.0


def _number_digits(x: sympy.Expr) -> float:
    if isinstance(x, sympy.Rational):
        return _digits(sympy.Integer(x.p)) + _digits(sympy.Integer(x.q))
    return 0.0


def _guard_pow(base: sympy.Expr, exp: sympy.Expr) -> None:
    """Refuse exact powers whose result would be astronomically large."""
    if isinstance(base, sympy.Rational) and isinstance(exp, sympy.Rational):
        size = abs(float(exp)) * max(_number_digits(base), 1.0)
        if size > MAX_VALUE_DIGITS:
            raise LimitError(
                f"the exact value would have about {size:,.0f} digits "
                f"(jacobi refuses numbers over {MAX_VALUE_DIGITS:,} digits)",
                hint="evaluate at a smaller point",
            )


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
    if isinstance(expr, sympy.Pow):
        _guard_pow(args[0], args[1])
    return expr.func(*args)


def is_bad(value: sympy.Expr) -> bool:
    """True if ``value`` is not a finite real number (or a finite real expression)."""
    if value.has(*_BAD) or value.has(sympy.I):
        return True
    from jacobi.limits import Interrupted, soft_limit

    # SymPy's assumption queries may evaluate numerically, which for exp(exp(exp(20)))
    # takes minutes; an exact expression with no zoo/nan/I atoms that SymPy cannot
    # classify quickly is taken as it stands.
    try:
        with soft_limit(1.0):
            if value.is_real is False:
                return True
            return bool(value.free_symbols == set() and value.is_finite is False)
    except Interrupted:
        return False


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
    from jacobi.printing import to_text

    # Post-order: report the innermost sub-expression that fails.
    stack: list[sympy.Expr] = list(sympy.postorder_traversal(expr))
    for sub in stack:
        if not sub.args or not sub.free_symbols:
            continue
        if any(is_bad(substitute(a, values)) for a in sub.args):
            continue
        val = substitute(sub, values)
        if not is_bad(val):
            continue
        args = [substitute(a, values) for a in sub.args]
        text = to_text(sub)
        if isinstance(sub, sympy.Pow):
            base, exp = args
            if base == 0 and (exp.is_negative or exp.is_nonpositive):
                den = sympy.Pow(sub.args[0], -sub.args[1])
                den_text = to_text(den)
                if isinstance(den, (sympy.Add, sympy.Mul)):
                    den_text = f"({den_text})"
                return f"division by zero in 1/{den_text}"
            if base.is_negative and exp.is_Rational and not exp.is_integer:
                root = {2: "square root", 3: "cube root"}.get(exp.q, f"root of order {exp.q}")
                return f"{text} takes the {root} of {to_text(sub.args[0])} = {to_text(base)} < 0"
        if isinstance(sub, sympy.log):
            if args[0] == 0:
                return f"{text} is log of 0"
            if args[0].is_negative:
                return f"{text} is log of a negative number"
        return f"{text} has no real value there"
    return "the value is not a finite real number"


def _kink_atoms(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> list[sympy.Expr]:
    return [
        atom
        for atom in expr.atoms(*_KINKS)
        if atom.free_symbols and substitute(atom.args[0], values) == 0
    ]


def value_at(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    *,
    where: str,
) -> sympy.Expr:
    """The exact value of ``expr`` at ``values``, or :class:`UndefinedError`.

    ``where`` names the entry for the message, e.g. ``"entry (2, 1) ∂f2/∂x"``.
    Terms that jump at the point (``sign``, ``Heaviside``: derivatives of ``|x|``,
    ``max``) are tried from both sides; if the sides disagree the derivative does
    not exist there.
    """
    branch = [
        a
        for a in expr.atoms(sympy.atan2)
        if substitute(a.args[0], values) == 0 and (substitute(a.args[1], values)).is_negative
    ]
    if branch:
        raise UndefinedError(
            f"{where} is undefined at this point: {branch[0]} jumps by 2*pi across "
            "the negative x-axis (y = 0, x < 0)"
        )
    if expr.has(sympy.DiracDelta):
        deltas = [d for d in expr.atoms(sympy.DiracDelta) if substitute(d.args[0], values) == 0]
        if deltas:
            # x**2*DiracDelta(x) is 0 at x = 0 (the derivative of sign(x)*x**2 exists there):
            # only a delta whose coefficient survives at the point is a real jump.
            marker = sympy.Dummy("delta")
            probe = substitute(expr.xreplace({d: marker for d in deltas}), values)
            if marker not in probe.free_symbols:
                expr = expr.xreplace({d: sympy.S.Zero for d in deltas})
                deltas = []
        if deltas:
            raise UndefinedError(
                f"{where} is undefined at this point: "
                f"{deltas[0]} is infinite (a jump in the function)"
            )
    kinks = _kink_atoms(expr, values)
    if kinks:
        sides = set()
        for signs in itertools.islice(itertools.product((-1, 1), repeat=len(kinks)), 64):
            repl = {
                k: sympy.Integer(s if isinstance(k, sympy.sign) else (1 + s) // 2)
                for k, s in zip(kinks, signs, strict=True)
            }
            sides.add(substitute(expr.xreplace(repl), values))
        if len(sides) > 1:
            from jacobi.printing import to_text

            raise UndefinedError(
                f"{where} does not exist at this point: "
                f"{to_text(kinks[0].args[0])} = 0 is a kink where the derivative jumps",
                hint="the one-sided derivatives differ",
            )
        return sides.pop()
    val = substitute(expr, values)
    if is_bad(val):
        raise UndefinedError(f"{where} is undefined at this point: {explain(expr, values)}")
    return val


def evaluate_matrix(
    matrix: sympy.MatrixBase,
    point: Point,
    *,
    entry_name: Callable[[int, int], str] | None = None,
) -> sympy.ImmutableMatrix:
    """Every entry of ``matrix`` at ``point``, exactly; raises on the first undefined one.

    ``entry_name(i, j)`` names entry (i, j) (0-based) in messages, e.g. ``∂f2/∂x``.
    """
    values = point.mapping()
    out = []
    for i in range(matrix.rows):
        for j in range(matrix.cols):
            where = f"entry ({i + 1}, {j + 1})"
            if entry_name is not None:
                where += " " + entry_name(i, j)
            out.append(value_at(matrix[i, j], values, where=where))
    return sympy.ImmutableMatrix(matrix.rows, matrix.cols, out)


def to_float(value: sympy.Expr) -> float | None:
    """A float for an exact value, or ``None`` if it is not a finite real number.

    >>> to_float(sympy.pi / 4)
    0.7853981633974483
    >>> to_float(sympy.Symbol("a")) is None
    True
    """
    if value.free_symbols:
        return None
    from jacobi.limits import Interrupted, soft_limit

    try:
        # evalf of exp(exp(exp(20))) would run for minutes: a float is not worth that.
        with soft_limit(1.0):
            num = value.evalf(17)
        if not num.is_real:
            return None
        out = float(num)
    except (TypeError, ValueError, OverflowError, Interrupted):
        return None
    return out if math.isfinite(out) else None
