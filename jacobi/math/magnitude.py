"""How large a constant is, and what it is numerically, with bounded effort.

Every effort here is bounded by counts, never by the clock: numbers are
evaluated at a fixed precision only after a bound on their size (from the
expression tree: digits, nesting of exponentials) says that is cheap, so the
same input gives the same answer on any machine. Exact powers and gamma values
whose result would have too many digits are refused before SymPy computes them
(:func:`guard_exact`).

The lowest of the evaluation modules: :mod:`jacobi.math.substitute`,
:mod:`jacobi.math.domain` and :mod:`jacobi.math.evaluate` build on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy

from jacobi.errors import LimitError

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

BAD = (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)
_GROWING = (sympy.exp, sympy.sinh, sympy.cosh)
_TAME = (
    sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc,
    sympy.asin, sympy.acos, sympy.atan, sympy.acot, sympy.asec, sympy.acsc, sympy.atan2,
    sympy.asinh, sympy.acosh, sympy.atanh, sympy.acoth, sympy.tanh, sympy.coth,
    sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.erf, sympy.erfc,
)  # fmt: skip


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


def guard_exact(expr: sympy.Expr, args: Sequence[sympy.Expr]) -> None:
    """Refuse to rebuild ``expr`` from ``args`` where SymPy would compute a huge exact number."""
    if isinstance(expr, sympy.Pow):
        _guard_pow(args[0], args[1])
    elif isinstance(expr, (sympy.gamma, sympy.polygamma)):
        _guard_call(expr.func, args)


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


def numeric(value: sympy.Expr, digits: int = NUMERIC_DIGITS) -> sympy.Expr | None:
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


def real_part(num: sympy.Expr) -> sympy.Expr | None:
    """The real number ``num`` (a numeric evalf result), or ``None`` if it is not real."""
    re, im = num.as_real_imag()
    if not _zeroish(im):
        return None
    return re


def nonreal(value: sympy.Expr) -> bool:
    """True if the constant ``value`` is finite or infinite but certainly not real."""
    if value.free_symbols or value.has(*BAD):
        return False
    num = numeric(value)
    return num is not None and real_part(num) is None


def real_sign(value: sympy.Expr) -> int | None:
    """-1, 0 or 1 for a constant real value; ``None`` if that cannot be told (or not real).

    >>> real_sign(sympy.pi - 3), real_sign(sympy.sqrt(2)**2 - 2), real_sign(-sympy.E)
    (1, 0, -1)
    """
    if value.has(*BAD) or value.has(sympy.I):
        return None
    if isinstance(value, sympy.Rational):
        return int(sympy.sign(value))
    num = numeric(value)
    if num is None:
        return None
    re = real_part(num)
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
    if value.has(*BAD) or value.has(sympy.I):
        return True
    if value.free_symbols or value.is_Rational:
        return False
    num = numeric(value)
    if num is None:
        return False
    re = real_part(num)
    return re is None or not (re.is_Number and re.is_finite)


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
    num = numeric(value, 17)
    if num is None:
        return None
    re = real_part(num)
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
    num = numeric(value, 15)
    if num is None:
        return "too large to evaluate"
    re = real_part(num)
    if re is None or not (re.is_Number and re.is_finite):
        return "undefined"
    import mpmath

    return str(mpmath.nstr(sympy.Float(re, 15)._to_mpmath(60), 12))
