"""Values at points: exact substitution, floats alongside, and honest "undefined".

A point where an entry is undefined (division by zero, log of zero, a square
root of a negative number, a kink such as |x| at 0) raises
:class:`~jacobi.errors.UndefinedError` naming the entry and the reason; ``nan``,
``zoo`` or ``oo`` are never returned as if they were values.

Every effort here is bounded by counts, never by the clock: numbers are
evaluated at a fixed precision only after a bound on their size (from the
expression tree: digits, nesting of exponentials) says that is cheap, so the
same input gives the same answer on any machine.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence

import sympy

from jacobi.errors import LimitError, UndefinedError
from jacobi.model import Point

#: Exact results with more digits than this are refused (exit 4) rather than printed.
MAX_VALUE_DIGITS = 10_000
#: Constants are evaluated numerically only if their magnitude is below 10**this.
MAX_NUMERIC_LOG10 = 100_000.0
#: ... and only if their tree has at most this many nodes.
MAX_NUMERIC_NODES = 5_000
#: Most significant digits used to classify a value (points have up to 1,000-digit numbers).
MAX_NUMERIC_PRECISION = 2_100
#: Significant digits of the numeric classification (real? finite? sign?).
NUMERIC_DIGITS = 30
#: Largest argument magnitude (log10) for which trigonometric and similar functions
#: are evaluated: beyond it argument reduction needs unbounded precision.
_MAX_ARG_LOG10 = 15.0
#: Step (exact) used to find on which side of a kink a nearby point lies.
_SIDE_STEP = sympy.Rational(1, 10**30)

_KINKS = (sympy.sign, sympy.Heaviside)
_BAD = (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)
_GROWING = (sympy.exp, sympy.sinh, sympy.cosh)
_TAME = (
    sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.asin, sympy.acos, sympy.atan, sympy.acot, sympy.asec, sympy.acsc, sympy.atan2,
    sympy.asinh, sympy.acosh, sympy.atanh, sympy.acoth, sympy.tanh, sympy.coth,
    sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.erf, sympy.erfc,
)  # fmt: skip
#: Functions defined (and real) for every real argument: no domain check needed.
_TOTAL = (
    sympy.sin, sympy.cos, sympy.exp, sympy.atan, sympy.sinh, sympy.cosh, sympy.tanh,
    sympy.asinh, sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min,
    sympy.erf, sympy.erfc,
)  # fmt: skip
TOTAL_FUNCTIONS = _TOTAL


def _digits(n: sympy.Integer) -> float:
    """log10 of ``|n|`` (the digits it takes, as a real number); 1 for 0."""
    v = abs(int(n))
    return math.log10(v) if v else 1.0


def _number_digits(x: sympy.Expr) -> float:
    if isinstance(x, sympy.Rational):
        return _digits(sympy.Integer(x.p)) + _digits(sympy.Integer(x.q))
    return 0.0


def _too_many_digits(size: float) -> LimitError:
    return LimitError(
        f"the exact value would have about {size:,.0f} digits "
        f"(jacobi refuses numbers over {MAX_VALUE_DIGITS:,} digits)",
        hint="evaluate at a smaller point",
    )


def _guard_pow(base: sympy.Expr, exp: sympy.Expr) -> None:
    """Refuse exact powers whose result would be astronomically large.

    Any constant base counts, not only a rational one: SymPy expands
    ``(2*E)**(10**20)`` into ``2**(10**20)*exp(10**20)`` and computes the integer.
    """
    if not isinstance(exp, sympy.Rational) or base.free_symbols:
        return
    if base in (sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne):
        return
    size = abs(float(exp)) * _exact_digits(base)
    if size > MAX_VALUE_DIGITS:
        raise _too_many_digits(size)


def _exact_digits(base: sympy.Expr) -> float:
    """Digits per unit of exponent that SymPy computes exactly when it raises ``base``.

    Rational factors are raised exactly (``(2*E)**n`` is ``2**n*exp(n)``), and so are
    rational powers of them; a sum (``cot(10) - 3/2``) or a transcendental constant
    stays an unevaluated power.
    """
    if isinstance(base, sympy.Rational):
        return _number_digits(base)
    if isinstance(base, sympy.Mul):
        return sum(_exact_digits(f) for f in base.args)
    if isinstance(base, sympy.Pow) and isinstance(base.exp, sympy.Rational):
        return _exact_digits(base.base) * abs(float(base.exp))
    return 0.0


def _guard_call(func: type, args: Sequence[sympy.Expr]) -> None:
    """Refuse gamma and polygamma at integers whose exact value SymPy would compute
    digit by digit (gamma(10**8) is a factorial of 750 million digits)."""
    n = args[-1]
    if not isinstance(n, sympy.Rational) or not n.is_integer:
        return
    m = abs(int(n))
    if func is sympy.gamma and m > 2:
        size = m * math.log10(m)
    elif func is sympy.polygamma:
        size = m * 0.4343  # harmonic-like sums: denominators up to lcm(1..n)
    else:
        return
    if size > MAX_VALUE_DIGITS:
        raise _too_many_digits(size)


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


def _guard(expr: sympy.Expr, args: Sequence[sympy.Expr]) -> None:
    """Refuse to rebuild ``expr`` from ``args`` where SymPy would compute a huge exact number."""
    if isinstance(expr, sympy.Pow):
        _guard_pow(args[0], args[1])
    elif isinstance(expr, (sympy.gamma, sympy.polygamma)):
        _guard_call(expr.func, args)


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
    _guard(expr, args)
    try:
        return rebuild(expr, args)
    except (ValueError, TypeError, ArithmeticError):
        # Min(1, atan2(0, 0)): SymPy refuses to compare nan; the value is undefined, which
        # every caller reports with its reason (never an internal error).
        return sympy.nan


# ---------------------------------------------------------------- bounded numerics


def _log10_bound(expr: sympy.Basic, memo: dict[sympy.Basic, float], count: list[int]) -> float:
    """An upper bound on ``|log10 |expr||`` from the tree alone (``inf``: too large to try)."""
    if expr in memo:
        return memo[expr]
    count[0] += 1
    if count[0] > MAX_NUMERIC_NODES:
        return math.inf
    out: float
    if isinstance(expr, sympy.Rational):
        # |log10 (p/q)| (to within 1): 1000000000000000000000000000001/10**30 is about 1.
        out = abs(_digits(sympy.Integer(expr.p)) - _digits(sympy.Integer(expr.q))) + 1.0
    elif isinstance(expr, sympy.Float):
        _, man, exp, bc = expr._mpf_
        out = abs(exp + bc) * 0.30103 + 1.0 if man else 1.0
    elif not expr.args:
        out = 1.0  # pi, E, I, EulerGamma, ...
    else:
        bounds = [_log10_bound(a, memo, count) for a in expr.args]
        top = max(bounds)
        if isinstance(expr, sympy.Function) and all(a.is_Rational for a in expr.args):
            # A function's size depends on how large its argument is, not how close to
            # 0: tanh(10**-30) is tiny (the bound above is symmetric in log10).
            top = max(
                max(_digits(sympy.Integer(a.p)) - _digits(sympy.Integer(a.q)), 0.0) + 1.0
                for a in expr.args
            )
        if isinstance(expr, sympy.Add):
            out = top + math.log10(len(bounds))
        elif isinstance(expr, sympy.Mul):
            out = sum(bounds)
        elif isinstance(expr, sympy.Pow):
            if bounds[1] > _MAX_ARG_LOG10:
                out = math.inf
            else:
                # |log10 b^e| <= |e| |log10 b|: the exponent's size itself where it is a
                # constant cheap to evaluate (5**(1/4) is 1.5, not 10**8).
                size = _constant_size(expr.exp)
                out = (10 ** bounds[1] if size is None else size) * bounds[0] + 1.0
        elif top > _MAX_ARG_LOG10:
            out = math.inf
        elif isinstance(expr, _GROWING):
            size = _constant_size(expr.args[0])
            out = (10**top if size is None else size) * 0.4343 + 1.0
        elif isinstance(expr, sympy.log):
            out = math.log10(2.31 * top + 1.0) + 1.0
        elif isinstance(expr, _TAME):
            out = top + 1.0
        else:  # gamma and friends may grow like x**x: their size at a modest argument
            size = _evalf_size(expr)
            out = 10**top * (top + 1.0) + 1.0 if size is None else math.log10(size + 1.0) + 1.0
    memo[expr] = out
    return out


def _evalf_size(expr: sympy.Expr) -> float | None:
    """``|expr|`` to 15 digits for a constant whose arguments are already bounded."""
    if expr.free_symbols:
        return None
    try:
        v = expr.evalf(15)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    if not v.is_Number or not v.is_finite:
        return None
    return abs(float(v)) if v.is_real else None


def _constant_size(exp: sympy.Expr) -> float | None:
    """``|exp|`` for a constant exponent, to 15 digits; ``None`` if not known cheaply."""
    if isinstance(exp, sympy.Rational):
        return abs(float(exp))
    if exp.free_symbols or _log10_bound(exp, {}, [0]) > _MAX_ARG_LOG10:
        return None
    return _evalf_size(exp)


#: Functions that SymPy cannot evaluate numerically, as ones it can.
_NUMERIC_FORMS = {sympy.erfcinv: lambda a: sympy.erfinv(1 - a)}


def _numeric(value: sympy.Expr, digits: int = NUMERIC_DIGITS) -> sympy.Expr | None:
    """``value.evalf(digits)`` if a size bound says that is cheap, else ``None``.

    Outside a function's real domain (``erfinv(2)``) the result is ``nan``.
    """
    if value.free_symbols:
        return None
    for func, form in _NUMERIC_FORMS.items():
        if value.has(func):
            value = value.replace(func, form)
    if _log10_bound(value, {}, [0]) > MAX_NUMERIC_LOG10:
        return None
    # A point written with 180 digits just below sqrt(2) makes x - sqrt(2) cancel to
    # 0 at 30 digits: work with as many digits as the numbers in the value have.
    longest = max((_number_digits(r) for r in value.atoms(sympy.Rational)), default=0.0)
    digits = max(digits, min(MAX_NUMERIC_PRECISION, int(longest) + digits))
    try:
        return value.evalf(digits)
    except ValueError:  # mpmath: "erfinv(x) is defined only for -1 <= x <= 1"
        return sympy.nan
    except (TypeError, ArithmeticError, RecursionError):
        return None


def _zeroish(x: sympy.Expr) -> bool:
    """True for an exact 0 or a float SymPy could not tell from 0 (``0.e-100``)."""
    if x == 0:
        return True
    # evalf marks a result it could not tell from 0 with almost no precision ("0.e-163").
    return isinstance(x, sympy.Float) and bool(x.is_finite) and (not x._mpf_[1] or x._prec < 10)


def _real_part(num: sympy.Expr) -> sympy.Expr | None:
    """The real number ``num`` (a numeric evalf result), or ``None`` if it is not real."""
    re, im = num.as_real_imag()
    if not _zeroish(im):
        return None
    return re


def real_sign(value: sympy.Expr) -> int | None:
    """-1, 0 or 1 for a constant real value; ``None`` if that cannot be told (or not real).

    >>> real_sign(sympy.pi - 3), real_sign(sympy.sqrt(2)**2 - 2), real_sign(-sympy.E)
    (1, 0, -1)
    """
    if value.has(*_BAD) or value.has(sympy.I):
        return None
    if isinstance(value, sympy.Rational):
        return int(sympy.sign(value))
    num = _numeric(value)
    if num is None:
        return None
    re = _real_part(num)
    if re is None or not (re.is_Number and re.is_finite):
        return None
    if _zeroish(re):
        return 0
    return 1 if re > 0 else -1


def is_bad(value: sympy.Expr) -> bool:
    """True if ``value`` is not a finite real number (or a finite real expression).

    A constant is classified numerically at a fixed precision, after a bound on
    its size; one too large to evaluate (``exp(exp(exp(20)))``) with no ``zoo``,
    ``nan`` or ``I`` in it is taken as it stands.

    >>> is_bad(sympy.acos(-sympy.pi)), is_bad(sympy.log(2)), is_bad(sympy.zoo)
    (True, False, True)
    """
    if value.has(*_BAD) or value.has(sympy.I):
        return True
    if value.free_symbols or value.is_Rational:
        return False
    num = _numeric(value)
    if num is None:
        return False
    re = _real_part(num)
    return re is None or not (re.is_Number and re.is_finite)


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


class _Undefined(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _checked_value(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    *,
    nonreal_only: bool = False,
    memo: dict[sympy.Expr, sympy.Expr] | None = None,
) -> sympy.Expr:
    """The value of ``expr`` at ``values``, checking every sub-expression on the way.

    Raises :class:`_Undefined` with the reason for the innermost sub-expression
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
        args = [_checked_value(a, values, nonreal_only=nonreal_only, memo=memo) for a in expr.args]
        _guard(expr, args)
        try:
            out = rebuild(expr, args)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _Undefined(_reason(expr, args)) from exc
        sensitive = not isinstance(expr, (sympy.Add, sympy.Mul, *_TOTAL)) and not (
            isinstance(expr, sympy.Pow) and args[1].is_Integer and args[1] >= 0
        )
        if nonreal_only:
            bad = out.has(sympy.I) or (sensitive and _nonreal(out))
        else:
            bad = out.has(*_BAD) or out.has(sympy.I) or (sensitive and is_bad(out))
        if bad:
            raise _Undefined(_reason(expr, args))
    memo[expr] = out
    return out


def _nonreal(value: sympy.Expr) -> bool:
    """True if the constant ``value`` is finite or infinite but certainly not real."""
    if value.free_symbols or value.has(*_BAD):
        return False
    num = _numeric(value)
    return num is not None and _real_part(num) is None


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
        _checked_value(expr, values)
    except _Undefined as exc:
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
        _checked_value(expr, values)
    except _Undefined as exc:
        return exc.reason
    return "the value is not a finite real number"


# ---------------------------------------------------------------- kinks


def _expand_kink_derivatives(expr: sympy.Expr) -> sympy.Expr:
    """``Derivative(sign(g), x)`` (SymPy leaves it when g may be undefined) as delta terms."""
    if not expr.has(sympy.Derivative):
        return expr
    from jacobi.math.kinks import clean_derivative

    return clean_derivative(expr, keep_deltas=True)


def _localize(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    memo: dict[sympy.Expr, sympy.Expr],
) -> sympy.Expr:
    """``expr`` with every piecewise piece replaced by its branch near the point.

    ``Max``/``Min`` with one strictly largest/smallest argument, ``Abs``, ``sign``,
    ``Heaviside`` and ``DiracDelta`` of an argument that is not 0 at the point are
    replaced by what they equal in a neighbourhood; the result equals ``expr``
    near the point. A product with a factor that is 0 near the point is 0 (the
    derivative of a function that is constant near the point, whatever the
    outer function's derivative formula says). Arguments of the pieces are checked
    to be defined there.
    """
    if expr in memo:
        return memo[expr]
    if not expr.args or not (expr.free_symbols & values.keys()):
        return expr
    args = [_localize(a, values, memo) for a in expr.args]
    out: sympy.Expr
    if isinstance(expr, sympy.Mul) and any(a == 0 for a in args):
        out = sympy.S.Zero
    elif isinstance(expr, (sympy.Max, sympy.Min, sympy.Abs, *_KINKS, sympy.DiracDelta)):
        at = [_checked_value(a, values) for a in args]
        signs = [real_sign(v) for v in at]
        if isinstance(expr, (sympy.Max, sympy.Min)):
            out = _pick(expr, args, at)
        elif signs[0] in (-1, 1):
            s = signs[0]
            if isinstance(expr, sympy.Abs):
                out = args[0] if s == 1 else -args[0]
            elif isinstance(expr, sympy.sign):
                out = sympy.Integer(s)
            elif isinstance(expr, sympy.Heaviside):
                out = sympy.Integer(1 if s == 1 else 0)
            else:
                out = sympy.S.Zero
        else:
            out = expr.func(*args)
    else:
        out = expr.func(*args)
    memo[expr] = out
    return out


def _pick(expr: sympy.Expr, args: list[sympy.Expr], at: list[sympy.Expr]) -> sympy.Expr:
    """The arguments of a Max/Min that attain it at the point (one: that argument)."""
    big = isinstance(expr, sympy.Max)
    best: list[int] = []
    for k in range(len(args)):
        if not best:
            best = [k]
            continue
        d = real_sign(at[k] - at[best[0]])
        if d is None:
            return expr.func(*args)  # cannot compare with bounded effort: keep it
        if d == 0:
            best.append(k)
        elif (d > 0) == big:
            best = [k]
    if len(best) == 1:
        return args[best[0]]
    return expr.func(*(args[k] for k in best))


def _side_values(
    expr: sympy.Expr,
    kinks: list[sympy.Expr],
    values: Mapping[sympy.Symbol, sympy.Expr],
    directions: Sequence[sympy.Symbol],
) -> set[sympy.Expr] | None:
    """The values of ``expr`` with its kinks read from each side along each direction.

    Along direction v, side s, every kink argument g has the sign of g(p + s·h·e_v)
    for a tiny h: all kinks are read from the same side at once, so
    ``relu(x) - relu(-x)`` is smooth at 0. ``None`` if no direction tells the sides.
    """
    sides: set[sympy.Expr] = set()
    for v in directions:
        if v not in values:
            continue
        per_side: list[list[int]] = []
        for s in (-1, 1):
            moved = dict(values)
            moved[v] = values[v] + s * _SIDE_STEP
            found = [real_sign(substitute(k.args[0], moved)) for k in kinks]
            signs = [g for g in found if g in (-1, 1)]
            if len(signs) != len(kinks):
                break
            per_side.append(signs)
        else:
            for signs in per_side:
                repl = {
                    k: sympy.Integer(g if isinstance(k, sympy.sign) else (1 + g) // 2)
                    for k, g in zip(kinks, signs, strict=True)
                }
                sides.add(_final_value(expr.xreplace(repl), values))
    return sides or None


def _kink_atoms(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> list[sympy.Expr]:
    return sorted(
        (
            atom
            for atom in expr.atoms(*_KINKS)
            if atom.free_symbols and substitute(atom.args[0], values) == 0
        ),
        key=sympy.default_sort_key,
    )


def _final_value(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """Substitute, then repair removable ``0*oo`` forms (``x**y*log(x)`` at x = 0, y = 2)."""
    val = substitute(expr, values)
    if not is_bad(val):
        return val
    combined = sympy.powsimp(expr)
    if combined != expr:
        val2 = substitute(combined, values)
        if not is_bad(val2):
            return val2
        expr = combined
    if isinstance(expr, sympy.Mul) and _vanishing_power_log(expr, values):
        return sympy.S.Zero
    return val


def _vanishing_power_log(expr: sympy.Mul, values: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """True if ``expr`` is b**e * log(b)**k * (finite) with b -> 0 and e > 0: its limit is 0."""
    groups: dict[sympy.Expr, sympy.Expr] = {}
    logs: set[sympy.Expr] = set()
    rest: list[sympy.Expr] = []
    for factor in expr.args:
        base, exp = factor.as_base_exp()
        if isinstance(base, sympy.log) and exp.is_Integer and exp > 0:
            logs.add(base.args[0])
            continue
        if base.free_symbols and substitute(base, values) == 0:
            groups[base] = groups.get(base, sympy.S.Zero) + exp
            continue
        rest.append(factor)
    if not groups or any(b not in groups for b in logs):
        return False
    if any(real_sign(substitute(e, values)) != 1 for e in groups.values()):
        return False
    return not any(is_bad(substitute(r, values)) for r in rest)


# ---------------------------------------------------------------- values


def value_at(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    *,
    where: str,
    strict: bool = True,
    directions: Sequence[sympy.Symbol] | None = None,
) -> sympy.Expr:
    """The exact value of ``expr`` at ``values``, or :class:`UndefinedError`.

    ``where`` names the entry for the message, e.g. ``"entry (2, 1) ∂f2/∂x"``.

    With ``strict`` (for a function itself) every sub-expression must be a finite
    real number at the point: ``abs(sqrt(x))`` at -1 is undefined although the
    whole would simplify to 1. Without it (for a derivative formula, as
    :func:`evaluate_matrix` does) pieces that are constant near the point are
    resolved first (``acos(min(1, x))`` at 2 has derivative 0), removable ``0*oo``
    forms are repaired (``x**y*log(x)`` at x = 0, y = 2 is 0), and terms that jump
    at the point (``sign``, ``Heaviside``: derivatives of ``|x|``, ``max``) are
    read from one side at a time along each of ``directions`` (default: every
    symbol of the point); if the sides disagree the derivative does not exist.

    >>> x = sympy.Symbol("x", real=True)
    >>> value_at(sympy.Heaviside(x) + sympy.Heaviside(-x), {x: 0}, where="f", strict=False)
    1
    """
    expr = _expand_kink_derivatives(expr)
    branch = [
        a
        for a in sorted(expr.atoms(sympy.atan2), key=sympy.default_sort_key)
        if substitute(a.args[0], values) == 0 and real_sign(substitute(a.args[1], values)) == -1
    ]
    if branch:
        raise UndefinedError(
            f"{where} is undefined at this point: {branch[0]} jumps by 2*pi across "
            "the negative x-axis (y = 0, x < 0)"
        )
    if strict:
        try:
            return _checked_value(expr, values)
        except _Undefined as exc:
            raise UndefinedError(f"{where} is undefined at this point: {exc.reason}") from None
    try:
        expr = _localize(expr, values, {})
        # A non-real piece means the function itself is not real there.
        _checked_value(expr, values, nonreal_only=True)
    except _Undefined as exc:
        raise UndefinedError(f"{where} is undefined at this point: {exc.reason}") from None
    if expr.has(sympy.DiracDelta):
        # Sorted: a set's order follows PYTHONHASHSEED, and the first one is named.
        deltas = [
            d
            for d in sorted(expr.atoms(sympy.DiracDelta), key=sympy.default_sort_key)
            if substitute(d.args[0], values) == 0
        ]
        if deltas:
            # x**2*DiracDelta(x) is 0 at x = 0 (the derivative of sign(x)*x**2 exists there):
            # only a delta whose coefficient survives at the point is a real jump.
            # A coefficient that vanishes only through sign(0) = 0 (sign(x)**4, from the
            # derivative of sign(x)**5, a real jump) is not 0 on either side: those kink
            # values stay unknown in the probe.
            marker = sympy.Dummy("delta")
            sides = {
                k: sympy.Dummy("side")
                for k in expr.atoms(*_KINKS)
                if k.args and substitute(k.args[0], values) == 0
            }
            probe = substitute(expr.xreplace({**sides, **{d: marker for d in deltas}}), values)
            if marker not in probe.free_symbols:
                expr = expr.xreplace({d: sympy.S.Zero for d in deltas})
                deltas = []
        if deltas:
            from jacobi.lang.printing import to_text

            raise UndefinedError(
                f"{where} does not exist at this point: kink of sign at "
                f"{to_text(deltas[0].args[0])} = 0 ({to_text(deltas[0])} is infinite there)"
            )
    kinks = _kink_atoms(expr, values)
    if kinks:
        dirs = list(directions) if directions is not None else sorted(values, key=str)
        found = _side_values(expr, kinks, values, dirs)
        if found is None:
            found = set()
            for signs in itertools.islice(itertools.product((-1, 1), repeat=len(kinks)), 64):
                repl = {
                    k: sympy.Integer(s if isinstance(k, sympy.sign) else (1 + s) // 2)
                    for k, s in zip(kinks, signs, strict=True)
                }
                found.add(_final_value(expr.xreplace(repl), values))
        if len(found) > 1 or any(is_bad(v) for v in found):
            from jacobi.lang.printing import to_text

            name = "sign" if isinstance(kinks[0], sympy.sign) else "a max, min or step"
            raise UndefinedError(
                f"{where} does not exist at this point: kink of {name} at "
                f"{to_text(kinks[0].args[0])} = 0",
                hint="the one-sided derivatives differ",
            )
        return found.pop()
    val = _final_value(expr, values)
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
    The entries are derivative formulas: see ``strict=False`` in :func:`value_at`.
    """
    values = point.mapping()
    out = []
    for i in range(matrix.rows):
        for j in range(matrix.cols):
            where = f"entry ({i + 1}, {j + 1})"
            if entry_name is not None:
                where += " " + entry_name(i, j)
            out.append(
                value_at(
                    matrix[i, j], values, where=where, strict=False, directions=point.variables
                )
            )
    return sympy.ImmutableMatrix(matrix.rows, matrix.cols, out)


def to_float(value: sympy.Expr) -> float | None:
    """A float for an exact value, or ``None`` if it is not a finite real number.

    >>> to_float(sympy.pi / 4)
    0.7853981633974483
    >>> to_float(sympy.Symbol("a")) is None
    True
    >>> to_float(sympy.exp(sympy.exp(sympy.exp(20)))) is None  # too large to evaluate
    True
    """
    if value.free_symbols:
        return None
    num = _numeric(value, 17)
    if num is None:
        return None
    re = _real_part(num)
    if re is None:
        return None
    try:
        out = float(re)
    except (TypeError, ValueError, OverflowError):
        return None
    return out if math.isfinite(out) else None


def float_text(value: sympy.Expr) -> str:
    """12 significant digits of a real value, also beyond the range of a float.

    ``"undefined"`` where the value is not a finite real number, ``"too large to
    evaluate"`` where a size bound stops the numeric evaluation.

    >>> float_text(sympy.pi), float_text(sympy.Integer(10)**5000 / 3)
    ('3.14159265359', '3.33333333333e+4999')
    >>> float_text(sympy.exp(sympy.exp(sympy.exp(20)))), float_text(sympy.exp(-40000))
    ('too large to evaluate', '1.66235536715e-17372')
    """
    x = to_float(value)
    if x is not None and (x != 0 or value == 0):  # not a value below the float range
        return f"{x:.12g}"
    if value.free_symbols or is_bad(value):
        return "undefined"
    num = _numeric(value, 15)
    if num is None:
        return "too large to evaluate"
    re = _real_part(num)
    if re is None or not (re.is_Number and re.is_finite):
        return "undefined"
    import mpmath

    return str(mpmath.nstr(sympy.Float(re, 15)._to_mpmath(60), 12))


def known_within(arg: sympy.Expr, low: int, high: int | None) -> bool:
    """Whether SymPy can tell that ``low <= arg (<= high)`` for every real value.

    Asked only of small arguments (assumption queries are cheap there).
    """
    if sympy.count_ops(arg) > 40:
        return False
    bounded = (sympy.sin, sympy.cos, sympy.tanh, sympy.erf)
    if isinstance(arg, bounded) and low <= -1 and (high is None or high >= 1):
        return True
    if not (arg - low).is_nonnegative:
        return False
    return high is None or bool((high - arg).is_nonnegative)


#: How far a point is moved to see whether f is defined on both sides of it (exact).
_EDGE_STEP = sympy.Rational(1, 10**30)


def _edge_candidates(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]
) -> list[tuple[sympy.Expr, str]]:
    """Pieces of ``expr`` exactly on the edge of their real domain at ``values``, and why."""
    from jacobi.lang.printing import to_text

    found: list[tuple[sympy.Expr, str]] = []
    for sub in sympy.preorder_traversal(expr):
        if not sub.args or not (sub.free_symbols & values.keys()):
            continue
        if isinstance(sub, sympy.Pow) and not sub.exp.is_integer:
            base = sub.base
            if substitute(base, values) == 0 and not known_within(base, 0, None):
                b = to_text(base)
                found.append((sub, f"{to_text(sub)} is real only where {b} >= 0, and {b} = 0 here"))
        elif isinstance(sub, (sympy.asin, sympy.acos)):
            arg = sub.args[0]
            v = substitute(arg, values)
            if v in (1, -1) and not known_within(arg, -1, 1):
                a, t = to_text(arg), to_text(sub)
                found.append((sub, f"{t} is real only where -1 <= {a} <= 1, and {a} = {v} here"))
        elif isinstance(sub, sympy.acosh):
            arg = sub.args[0]
            if substitute(arg, values) == 1 and not known_within(arg, 1, None):
                a = to_text(arg)
                found.append((sub, f"{to_text(sub)} is real only where {a} >= 1, and {a} = 1 here"))
    return found


def domain_edge(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], var: sympy.Symbol
) -> str | None:
    """Why ``expr`` is defined on one side only of ``values`` along ``var``, or ``None``.

    A partial derivative in ``var`` needs f on both sides along ``var``. At x = 0,
    ``x**pi`` is 0 but has no real value for x < 0; ``acos(z)`` at z = -1 has none
    for z < -1. Each piece on the edge of its domain is tried at the point moved by
    ±10⁻³⁰ in ``var`` (exactly): ``x**y`` at (0, 2) is ``x**2`` along x and 0 along
    y, so it has both partial derivatives.

    >>> x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    >>> domain_edge(x**sympy.pi, {x: 0}, x)
    'x**pi is real only where x >= 0, and x = 0 here'
    >>> domain_edge((x**2 + 1)**sympy.Rational(3, 2), {x: 0}, x) is None
    True
    >>> domain_edge(x**y, {x: 0, y: 2}, x), domain_edge(x**y, {x: 0, y: 2}, y)
    (None, None)
    >>> domain_edge(sympy.acos(x), {x: -1}, x)
    'acos(x) is real only where -1 <= x <= 1, and x = -1 here'
    """
    for sub, reason in _edge_candidates(expr, values):
        if var not in sub.free_symbols:
            continue
        for step in (_EDGE_STEP, -_EDGE_STEP):
            moved = {**values, var: values[var] + step}
            try:
                value = substitute(sub, moved)
            except LimitError:
                continue
            if value.has(sympy.I) or is_bad(value):
                return reason
    return None


def jump(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], var: sympy.Symbol
) -> str | None:
    """Why ``expr`` jumps at ``values`` along ``var`` (a step of sign or Heaviside), or ``None``.

    ``sign(x**2)`` is 0 at 0 and 1 on both sides: no derivative, although the delta
    term of its derivative has a vanishing coefficient there. Tried like
    :func:`domain_edge`, at the point moved by ±10⁻³⁰ (exactly).

    >>> x = sympy.Symbol("x", real=True)
    >>> jump(sympy.sign(x**2), {x: 0}, x)
    'sign(x**2) jumps at x**2 = 0'
    >>> jump(x**2 * sympy.sign(x), {x: 0}, x) is None
    True
    """
    from jacobi.lang.printing import to_text

    steps = [
        k
        for k in sorted(expr.atoms(*_KINKS), key=sympy.default_sort_key)
        if var in k.free_symbols and substitute(k.args[0], values) == 0
    ]
    if not steps:
        return None
    here = _numeric(substitute(expr, values))
    for step in (_EDGE_STEP, -_EDGE_STEP):
        try:
            near = _numeric(substitute(expr, {**values, var: values[var] + step}))
        except LimitError:
            continue
        if here is None or near is None or not (here.is_Number and near.is_Number):
            continue
        if abs(near - here) > 10**-15 * max(1, abs(here)):
            return f"{to_text(steps[0])} jumps at {to_text(steps[0].args[0])} = 0"
    return None


def require_guards(
    guards: Sequence[sympy.Expr], values: Mapping[sympy.Symbol, sympy.Expr], where: str
) -> None:
    """Every domain guard of a component (see :attr:`jacobi.model.VectorFunction.guards`)
    must have a real value at ``values``: ``exp(log(x))`` is ``x`` only for x > 0."""
    for guard in guards:
        if guard.free_symbols <= values.keys():
            value_at(guard, values, where=where)
            require_interior(guard, values, where)


def require_interior(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], where: str
) -> None:
    """:class:`UndefinedError` if a partial derivative of ``expr`` does not exist because f
    is defined on one side only or jumps (see :func:`domain_edge`, :func:`jump`)."""
    for var in sorted((v for v in values if v in expr.free_symbols), key=lambda v: v.name):
        step = jump(expr, values, var)
        if step is not None:
            raise UndefinedError(
                f"{where} has no derivative in {var.name} at this point: it jumps there ({step})",
                hint="a derivative needs the function to be continuous at the point",
            )
        edge = domain_edge(expr, values, var)
        if edge is not None:
            raise UndefinedError(
                f"{where} has no derivative in {var.name} at this point: it is defined on one "
                f"side only ({edge})",
                hint="a derivative needs the function on both sides of the point",
            )
