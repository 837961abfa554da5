"""Is this derivative right? A claimed Jacobian compared with the true one.

:func:`compare_matrices` compares a claimed Jacobian with the true one entry by
entry: first symbolically (the difference is 0 outright or after an expansion
bounded by counts of operations, terms and entries, never by seconds), then
numerically at seeded random points with 30-digit arithmetic, so that an
answer SymPy cannot prove equal but is equal (``sech(x)^2`` against
``1 - tanh(x)^2``) passes, and a wrong one fails with a point where the two
differ. Points where either side is undefined are skipped. Where a count bound
stopped the symbolic proof, the verdict says so; the numeric comparison is
then the same on every machine (its points come from a fixed seed).

The finite-difference check is :mod:`jacobi.math.gradcheck`; the words and the
report of ``jacobi check`` are :mod:`jacobi.commands.check`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sympy

from jacobi.errors import ShapeError
from jacobi.model import natural_key

#: Digits used when comparing two entries numerically.
DIGITS = 30
#: Two values agree when they differ by at most this, relative to max(|a|, |b|).
AGREE = 1e-20
#: A non-strict evaluation with at most this many correct bits is a cancellation to 0.
CANCELLED_BITS = 8
#: ... (it is then below 10^-DIGITS), so a certified value above this differs from it.
CANCELLED_APART = sympy.Float(10) ** -20
#: Random points have coordinates in [-SAMPLE_RANGE, SAMPLE_RANGE].
SAMPLE_RANGE = 10_000
#: The fewest random points an entry is compared at numerically (more with --samples).
MIN_POINTS = 24
#: Coordinate ranges cycled through by :func:`sample_points`: small, positive-only
#: (for log and sqrt), then magnitudes up to SAMPLE_RANGE on both sides, so that
#: a claim differing only far from 0 (``x + relu(x - 100)``) is caught.
_RANGES: tuple[tuple[float, float], ...] = (
    (-3.0, 3.0),
    (0.0, 3.0),
    (1.0, 10.0),
    (100.0, 1000.0),
    (1000.0, float(SAMPLE_RANGE)),
    (-float(SAMPLE_RANGE), -1000.0),
    (-1000.0, -100.0),
    (10.0, 100.0),
    (-100.0, -10.0),
    (-0.1, 0.1),
)
#: The symbolic proof is tried only for differences of at most this many operations
#: (``sympy.count_ops``); larger ones go straight to the numeric comparison.
SYMBOLIC_MAX_OPS = 200
#: ... whose expansion (over one denominator) has at most this many terms.
SYMBOLIC_MAX_TERMS = 1_000
#: ... and only the first this many non-trivial differences of one comparison.
SYMBOLIC_MAX_ENTRIES = 400
#: Angle formulas (``cos(2x) = 2cos(x)^2 - 1``) are used up to this integer multiple.
TRIG_MAX_MULTIPLE = 6


@dataclass(frozen=True)
class EntryVerdict:
    """The outcome for one entry: ``proved``, ``numeric``, ``wrong`` or ``unverified``.

    ``numeric`` means equal at every sample point but not proved symbolically;
    ``witness`` is a point where a ``wrong`` entry differs, with both values.
    """

    row: int
    col: int
    label: str
    given: sympy.Expr
    correct: sympy.Expr
    status: str
    points: int = 0
    witness: dict[str, float] = field(default_factory=dict)
    given_value: float | None = None
    correct_value: float | None = None
    #: Why the symbolic proof was not tried in full (a count bound), or "".
    skipped: str = ""
    #: The two values at the witness as text (also beyond float range).
    values_text: tuple[str, str] = ("", "")

    @property
    def ok(self) -> bool:
        """Whether the entry is right (proved, or equal at every sample point)."""
        return self.status in ("proved", "numeric")


def sample_points(
    symbols: Sequence[sympy.Symbol], count: int, seed: int
) -> list[dict[sympy.Symbol, sympy.Rational]]:
    """``count`` seeded random points with exact decimal coordinates.

    Coordinates have 4 decimals (6 significant digits below 0.1), so they print
    exactly. The scale
    cycles through ranges from [-3, 3] and (0, 3] (so that functions defined only
    for positive arguments, ``log`` and ``sqrt``, still get usable points) to
    magnitudes 1e-3 .. 1e4 of both signs.

    >>> x, y = sympy.symbols("x y", real=True)
    >>> sample_points([x, y], 2, seed=0) == sample_points([x, y], 2, seed=0)
    True
    >>> max(abs(p[x]) for p in sample_points([x], 10, seed=0)) > 1000
    True
    """
    from fractions import Fraction

    rng = random.Random(seed)
    out = []
    for k in range(count):
        lo, hi = _RANGES[k % len(_RANGES)]
        point = {}
        for s in symbols:
            v = 0.0
            while abs(v) < 1e-3:  # 0 is too special to be a random point
                v = rng.uniform(lo, hi)
            q = Fraction(f"{v:.4f}" if abs(v) >= 0.1 else f"{v:.6g}")
            point[s] = sympy.Rational(q.numerator, q.denominator)
        out.append(point)
    return out


def real_value(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Float | None:
    """``expr`` at ``point`` to :data:`DIGITS` digits, or None where it is not a finite real.

    None also where evalf cannot certify the digits (a cancellation, see
    :func:`_cancelled`).

    >>> x = sympy.Symbol("x", real=True)
    >>> real_value(sympy.sqrt(x), {x: sympy.Integer(4)}), real_value(sympy.log(x), {x: -1})
    (2.00000000000000000000000000000, None)
    """
    try:
        # strict: a value that cannot be certified to DIGITS digits is no sample.
        value = expr.evalf(DIGITS, subs=dict(point), strict=True)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, sympy.PrecisionExhausted):
        return None
    if isinstance(value, sympy.Float | sympy.Rational) and value.is_finite is not False:
        return sympy.Float(value, DIGITS)
    return None


def _cancelled(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether ``expr`` at ``point`` cannot be told from 0 (a cancellation).

    ``2*tanh(x)*(1 - tanh(x)**2) - 2*tanh(x)*sech(x)**2`` is 0, but cannot be
    certified to 30 digits. Neither can ``1 - tanh(x)**2`` at x = 333 (2e-289),
    so such a value only agrees with an exact 0 or with another cancellation;
    against a certified non-zero value the point is skipped, not failed.
    """
    try:
        value = expr.evalf(DIGITS, subs=dict(point), strict=False)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, sympy.PrecisionExhausted):
        return False
    # evalf prints such a value as 0.e-N: no correct digit left, and tiny. (A value
    # that lost its digits for other reasons, sin(exp(10000)), is not tiny.)
    return isinstance(value, sympy.Float) and bool(
        value.is_zero or (value._prec <= CANCELLED_BITS and abs(value) < sympy.Float(10) ** -DIGITS)
    )


def _both_zero(
    a: sympy.Expr,
    va: sympy.Float | None,
    b: sympy.Expr,
    vb: sympy.Float | None,
    point: Mapping[sympy.Symbol, sympy.Expr],
) -> bool:
    """Whether two values that are not both certified are both 0 (exactly or by cancellation)."""

    def zero(e: sympy.Expr, v: sympy.Float | None) -> bool:
        return bool(v.is_zero) if v is not None else _cancelled(e, point)

    return zero(a, va) and zero(b, vb)


def _certified_difference(
    a: sympy.Expr, b: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr]
) -> sympy.Float | None:
    """``a - b`` at ``point`` when evalf certifies it non-zero to 30 digits, else None.

    Two values that agree to AGREE can still differ (``exp(x)·(1 + 10^-25)``);
    evaluating the difference itself, with the precision raised until its own
    digits are certain, tells them apart. A difference that is 0 cannot be
    certified (PrecisionExhausted), so equal entries never get here.
    """
    try:
        value = (a - b).evalf(DIGITS, subs=dict(point), strict=True)
    except (
        ZeroDivisionError,
        ValueError,
        TypeError,
        OverflowError,
        sympy.PrecisionExhausted,
    ):
        return None
    if isinstance(value, sympy.Float | sympy.Rational) and value.is_finite and not value.is_zero:
        return sympy.Float(value, DIGITS)
    return None


def _real_at(exprs: Sequence[sympy.Expr], point: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """Whether every expression is a finite real number at ``point``."""
    return all(real_value(e, point) is not None for e in exprs)


def _agree(a: sympy.Float, b: sympy.Float) -> bool:
    """Equal to AGREE relative to the larger magnitude (30-digit values, no absolute floor)."""
    scale = max(abs(a), abs(b))
    return bool(abs(a - b) <= AGREE * scale)


def _expansion_terms(expr: sympy.Expr, limit: int) -> int:
    """An upper bound on the number of terms of ``expand(expr)`` (counting stops past ``limit``)."""
    if isinstance(expr, sympy.Add):
        total = 0
        for a in expr.args:
            total += _expansion_terms(a, limit)
            if total > limit:
                break
        return total
    if isinstance(expr, sympy.Mul):
        out = 1
        for a in expr.args:
            out *= _expansion_terms(a, limit)
            if out > limit:
                break
        return out
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 1:
        base = _expansion_terms(expr.base, limit)
        if base == 1:
            return 1
        k = int(expr.exp)
        if k > limit:
            return limit + 1
        return min(int(sympy.binomial(base + k - 1, k)), limit + 1)  # C(b + k - 1, k) terms
    return 1


def _trig_multiples_small(expr: sympy.Expr) -> bool:
    """Whether every sin/cos argument is a sum of at most TRIG_MAX_MULTIPLE-fold atoms."""
    for call in expr.atoms(sympy.sin, sympy.cos):
        for term in sympy.Add.make_args(call.args[0]):
            coeff, _ = term.as_coeff_Mul()
            if not coeff.is_Rational or abs(coeff) > TRIG_MAX_MULTIPLE:
                return False
    return True


def _pythagoras(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with cos(u)^(2k) written as (1 - sin(u)^2)^k."""

    def even_cos(e: sympy.Basic) -> bool:
        return (
            isinstance(e, sympy.Pow)
            and isinstance(e.base, sympy.cos)
            and e.exp.is_Integer
            and e.exp >= 2
        )

    def rewrite(e: sympy.Pow) -> sympy.Expr:
        k = int(e.exp)
        u = e.base.args[0]
        return (1 - sympy.sin(u) ** 2) ** (k // 2) * sympy.cos(u) ** (k % 2)

    return expr.replace(even_cos, rewrite)  # type: ignore[no-any-return]


def _as_is(expr: sympy.Expr) -> sympy.Expr:
    return expr


def _is_zero(diff: sympy.Expr) -> tuple[bool, str]:
    """Whether ``diff`` is proved 0 by bounded expansion, and why the proof was not tried.

    Over one denominator, the numerator is expanded (with the angle formulas for
    small multiples and sin² + cos² = 1). Each step is bounded by counts:
    :data:`SYMBOLIC_MAX_OPS` operations and :data:`SYMBOLIC_MAX_TERMS` terms; the
    reason is returned when a bound stops it.

    >>> t = sympy.Symbol("t", real=True)
    >>> _is_zero(sympy.cos(t)**2 - sympy.sin(t)**2 - sympy.cos(2*t))
    (True, '')
    >>> _is_zero((t + 1)**2000 - t)[1]
    'its expansion has more than 1000 terms'
    """
    ops = int(sympy.count_ops(diff))
    if ops > SYMBOLIC_MAX_OPS:
        return False, f"the difference has {ops} operations, more than {SYMBOLIC_MAX_OPS}"
    try:
        num = sympy.fraction(sympy.together(diff))[0]
    except (sympy.PolynomialError, NotImplementedError, ValueError, TypeError):
        return False, ""
    # A common factor that is 0 proves the product 0 without expanding the rest:
    # 30*(x + 1)**29*(sin(x)**2 + cos(x)**2 - 1).
    factors = sympy.Mul.make_args(sympy.factor_terms(num))
    if len(factors) > 1:
        for factor in factors:
            if factor.free_symbols and _is_zero(factor)[0]:
                return True, ""
    if _trig_multiples_small(num):
        num = num.replace(
            lambda e: isinstance(e, sympy.sin | sympy.cos),
            lambda e: sympy.expand_trig(e),
        )
    for step in (_as_is, _pythagoras):
        num = step(num)
        if _expansion_terms(num, SYMBOLIC_MAX_TERMS) > SYMBOLIC_MAX_TERMS:
            return False, f"its expansion has more than {SYMBOLIC_MAX_TERMS} terms"
        num = sympy.expand(num)
        if num == 0:
            return True, ""
        if not num.has(sympy.sin, sympy.cos):
            break
    return False, ""


def _symbolic(a: sympy.Expr, b: sympy.Expr, attempt: bool) -> tuple[str, str]:
    """``proved`` (a - b is 0), ``wrong`` (a non-zero constant) or ``unknown``, and a reason.

    The reason says which count bound stopped the proof (empty when it was tried in full).
    """
    diff = a - b
    if diff == 0:
        return "proved", ""
    if not diff.free_symbols and diff.is_number and diff.is_zero is False:
        return "wrong", ""
    if not attempt:
        return "unknown", f"more than {SYMBOLIC_MAX_ENTRIES} entries to prove"
    zero, reason = _is_zero(diff)
    if zero:
        return "proved", ""
    return "unknown", reason


def _symbols_of(*matrices: sympy.MatrixBase) -> list[sympy.Symbol]:
    free: set[sympy.Symbol] = set()
    for m in matrices:
        free |= m.free_symbols
    return sorted(free, key=lambda s: natural_key(s.name))


def compare_matrices(
    correct: sympy.MatrixBase,
    given: sympy.MatrixBase,
    labels: Sequence[str] | None = None,
    *,
    samples: int = 5,
    seed: int = 0,
    domain: Sequence[sympy.Expr] = (),
) -> list[EntryVerdict]:
    """Compare ``given`` with ``correct`` entry by entry (same shape).

    Each entry is first compared symbolically, with an effort bounded by counts
    (:data:`SYMBOLIC_MAX_OPS`, :data:`SYMBOLIC_MAX_TERMS`,
    :data:`SYMBOLIC_MAX_ENTRIES`; a non-zero constant difference is wrong
    outright), then at ``max(samples, MIN_POINTS)`` random points with 30-digit
    arithmetic, skipping those where either side is undefined (seeded by
    ``seed``) and those where an expression of ``domain`` (the function itself)
    is not a finite real number: a right derivative may have real values outside
    the function's domain (``1/(sqrt(x - 1)*sqrt(x + 1))`` for ``acosh(x)``).
    Entries that agree to :data:`AGREE` are also compared by their certified
    difference, so ``exp(x)·(1 + 10^-25)`` is not ``exp(x)``. The outcome is the
    same on every machine; where a bound stopped the symbolic proof, the
    verdict's ``skipped`` says which.

    Examples
    --------
    >>> x = sympy.Symbol("x", real=True)
    >>> right = sympy.Matrix([[1 - sympy.tanh(x)**2, 2*x]])
    >>> claim = sympy.Matrix([[sympy.sech(x)**2, x + x]])
    >>> [v.status for v in compare_matrices(right, claim)]
    ['numeric', 'proved']
    >>> [v.status for v in compare_matrices(right, sympy.Matrix([[1, 2*x]]))]
    ['wrong', 'proved']
    """
    if correct.shape != given.shape:
        raise ShapeError(f"cannot compare a {_shape(given)} matrix with a {_shape(correct)} one")
    # The domain's own names too: f(x, y, z) = (x y, y + z) has no z in J, but a point
    # without z would leave every domain test, and so every comparison, undecided.
    symbols = _symbols_of(correct, given, sympy.Matrix([list(domain)]) if domain else given)
    candidates = sample_points(symbols, max(samples, MIN_POINTS), seed)
    out = []
    attempts = 0
    for i in range(correct.rows):
        for j in range(correct.cols):
            label = labels[i * correct.cols + j] if labels else f"entry ({i + 1}, {j + 1})"
            a, b = correct[i, j], given[i, j]
            nontrivial = a != b
            out.append(
                _compare_entry(
                    i,
                    j,
                    label,
                    a,
                    b,
                    candidates,
                    attempt=attempts < SYMBOLIC_MAX_ENTRIES,
                    domain=domain,
                )
            )
            attempts += nontrivial
    return out


def _compare_entry(
    i: int,
    j: int,
    label: str,
    a: sympy.Expr,
    b: sympy.Expr,
    candidates: Sequence[dict[sympy.Symbol, sympy.Rational]],
    *,
    attempt: bool = True,
    domain: Sequence[sympy.Expr] = (),
) -> EntryVerdict:
    """Entry (i, j): ``b`` (given) against ``a`` (correct), see :func:`compare_matrices`."""
    symbolic, skipped = _symbolic(a, b, attempt)
    if symbolic == "proved":
        return EntryVerdict(i, j, label, b, a, "proved")
    if symbolic == "wrong":
        # They differ by a non-zero constant: wrong everywhere, however small it is.
        return EntryVerdict(i, j, label, b, a, "wrong")
    used = 0
    for point in candidates:
        if domain and not _real_at(domain, point):
            continue  # outside the function's domain: no claim about the derivative
        va, vb = real_value(a, point), real_value(b, point)
        if va is None or vb is None:
            if _both_zero(a, va, b, vb, point):
                used += 1
                continue
            # One side cancels to below 1e-30, the other is certified far from 0.
            known = va if va is not None else vb
            other = b if va is not None else a
            if known is None or abs(known) < CANCELLED_APART or not _cancelled(other, point):
                continue
            va = va if va is not None else sympy.Float(0)
            vb = vb if vb is not None else sympy.Float(0)
        difference = None if not _agree(va, vb) else _certified_difference(b, a, point)
        if difference is not None or not _agree(va, vb):
            free = a.free_symbols | b.free_symbols
            witness = {s.name: float(v) for s, v in point.items() if s in free}
            texts = (_digits(vb), _digits(va))
            if difference is not None:
                texts = (f"{texts[0]} (differs by {_digits(difference)})", texts[1])
            return EntryVerdict(
                i,
                j,
                label,
                b,
                a,
                "wrong",
                used + 1,
                witness,
                float(vb),
                float(va),
                skipped,
                texts,
            )
        used += 1
    return EntryVerdict(
        i, j, label, b, a, "numeric" if used else "unverified", used, skipped=skipped
    )


def _digits(v: sympy.Float) -> str:
    """``v`` to 10 significant digits, also beyond float range (``1.0e+4000``)."""
    f = float(v)
    if math.isfinite(f) and (f == 0 or abs(f) > 1e-300):
        return f"{f:.10g}"
    return str(sympy.Float(v, 10))


def _shape(m: sympy.MatrixBase) -> str:
    return f"{m.rows}×{m.cols}"


def fit_shape(
    rows: Sequence[Sequence[sympy.Expr]], shape: tuple[int, int], what: str
) -> sympy.Matrix:
    """``rows`` as a matrix of ``shape``; a flat list fits any vector shape of its length.

    >>> x = sympy.Symbol("x")
    >>> fit_shape([[1, x]], (2, 1), "--against").shape
    (2, 1)
    """
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ShapeError(f"{what} is not a matrix: its rows have different lengths")
    m = sympy.Matrix(rows)
    if m.shape == shape:
        return m
    if (
        (m.rows == 1 or m.cols == 1)
        and (shape[0] == 1 or shape[1] == 1)
        and len(m) == shape[0] * shape[1]
    ):
        return m.reshape(*shape)
    hint = "give one entry per partial derivative, rows = components"
    if m.shape == (shape[1], shape[0]):
        hint = "it has the transposed shape: the other --layout?"
    raise ShapeError(f"{what} is {_shape(m)} but the result is {shape[0]}×{shape[1]}", hint=hint)
