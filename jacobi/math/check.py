"""Is this derivative right? Symbolic and numeric checks of Jacobians.

Two checks, both behind ``jacobi check``:

* :func:`compare_matrices` compares a claimed Jacobian with the true one entry by
  entry: first symbolically (the difference is 0 outright or after an expansion
  bounded by counts of operations, terms and entries, never by seconds), then
  numerically at seeded random points with 30-digit arithmetic, so that an
  answer SymPy cannot prove equal but is equal (``sech(x)^2`` against
  ``1 - tanh(x)^2``) passes, and a wrong one fails with a point where the two
  differ. Points where either side is undefined are skipped. Where a count bound
  stopped the symbolic proof, the verdict says so; the numeric comparison is
  then the same on every machine (its points come from a fixed seed).
* :func:`gradient_check` is the finite-difference check of Deisenroth, Faisal and
  Ong, *Mathematics for Machine Learning* §5.2: central differences against the
  symbolic Jacobian, with the relative error
  ``sqrt(Σ(dh − df)² / Σ(dh + df)²)`` per point and the book's threshold 1e-6.

Step size. A central difference ``(f(x+h) − f(x−h)) / 2h`` has truncation error
about ``h² |f'''| / 6`` and rounding error about ``ε |f| / h`` (ε = 2^-52, the
float64 machine epsilon). The sum is smallest near ``h ≈ ∛ε ≈ 6e-6`` times the
scale of ``x``, so jacobi uses ``h = ∛ε · max(1, |x_j|)``; the total error is then
about ``ε^(2/3) ≈ 4e-11`` relative, far below the 1e-6 threshold, while the
book's ``h = 1e-4`` would already leave ``1e-8``-sized truncation errors. The step
is rounded so that ``x + h`` and ``x − h`` are exact floats and the divisor is
their true distance.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy

from jacobi.errors import InputError, LimitError, ShapeError, UndefinedError
from jacobi.math import evaluate
from jacobi.model import MatrixBlock, Report, VectorFunction, natural_key

#: The book's threshold for the relative error of a gradient check.
THRESHOLD = 1e-6
#: Central-difference step factor: the cube root of float64's machine epsilon.
STEP = float(2.0**-52) ** (1.0 / 3.0)
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
MAX_SAMPLES = 1000
#: Rounding allowance of the finite-difference check: each value of f is taken to be
#: accurate to this many units of ε (2^-52) of the largest magnitude that goes into it.
#: A central difference then has a rounding error of at most ROUNDING_ULPS·ε·F/h, which
#: is the absolute floor of the comparison (about 2.4e-9·F at h = ∛ε).
ROUNDING_ULPS = 64
#: A difference explained as truncation must grow with the step as h^p, p even, to
#: within this much in p (estimated from steps h, 2h and 4h).
POWER_SLACK = 0.25
#: At most this many sums of a component are measured for its magnitude F.
SCALE_MAX_SUMS = 64


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


def _number(expr: sympy.Expr, point: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Float | None:
    """``expr`` at ``point`` to 30 digits, or None if not a finite real number there
    (or not certified to 30 digits, see :func:`_cancelled`)."""
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
    return all(_number(e, point) is not None for e in exprs)


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
    symbols = _symbols_of(correct, given)
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
        va, vb = _number(a, point), _number(b, point)
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


def _entry_labels(report: Report) -> list[str]:
    """``entry (i, j) NAME`` for every entry of the report's first block, row by row."""
    block = report.blocks[0]
    return [
        f"entry ({i + 1}, {j + 1}){_suffix(_ascii(block.row_labels[i], block.col_labels[j]))}"
        for i in range(block.matrix.rows)
        for j in range(block.matrix.cols)
    ]


def _suffix(name: str) -> str:
    return f" {name}" if name else ""


_D = "∂/∂"


def _ascii(row: str, col: str) -> str:
    """The entry's name in ASCII from its row and column labels, in any layout.

    >>> _ascii("f2", "∂/∂x"), _ascii("∂/∂x", "f2")  # numerator, denominator layout
    ('df2/dx', 'df2/dx')
    >>> _ascii("∂/∂x", "∂/∂y"), _ascii("∂/∂x", "∂/∂x")  # a Hessian
    ('d^2f/dxdy', 'd^2f/dx^2')
    >>> _ascii("x", "∂/∂f1"), _ascii("det J", ""), _ascii("f", "f(x0) + J(x0)(x - x0)")
    ('dx/df1', 'det J', '')
    """
    if row.startswith(_D) and col.startswith(_D):
        a, b = row.removeprefix(_D), col.removeprefix(_D)
        return f"d^2f/d{a}^2" if a == b else f"d^2f/d{a}d{b}"
    if col.startswith(_D):
        return f"d{row}/d{col.removeprefix(_D)}"
    if row.startswith(_D):  # denominator layout: rows are the variables
        return f"d{col}/d{row.removeprefix(_D)}"
    # Not a derivative block (a determinant, a linearisation): the row names it, if anything.
    return row if not col else ""


def verdict_facts(verdicts: Sequence[EntryVerdict]) -> tuple[list[tuple[str, str]], str, str]:
    """The fact lines for a comparison, the verdict (``right``/``wrong``) and a summary."""
    from jacobi.lang.printing import to_text

    facts = []
    for v in verdicts:
        if v.status == "wrong":
            at = ", ".join(f"{k} = {x:g}" for k, x in v.witness.items())
            given_text, correct_text = v.values_text
            where = f" (at {at}: {given_text} vs {correct_text})" if at else ""
            if not v.witness:
                where = f" (they differ by {to_text(sympy.simplify(v.given - v.correct))})"
            facts.append(
                (
                    "wrong",
                    f"{v.label}: given {to_text(v.given)}, correct {to_text(v.correct)}{where}",
                )
            )
        elif v.status == "unverified":
            facts.append(
                (
                    "unverified",
                    f"{v.label}: undefined, or not computable to {DIGITS} digits, at every "
                    "sample point: could not compare",
                )
            )
        elif v.status == "numeric" and v.given != v.correct:
            why = f" (not tried: {v.skipped})" if v.skipped else ""
            facts.append(
                (
                    "note",
                    f"{v.label}: {to_text(v.given)} equals {to_text(v.correct)} at "
                    f"{_at_points(v.points)}; not proved symbolically{why}",
                )
            )
    bad = [v for v in verdicts if not v.ok]
    n = len(verdicts)
    if bad:
        wrong = sum(v.status == "wrong" for v in verdicts)
        parts = []
        if wrong:
            verb = "is" if wrong == 1 else "are"
            parts.append(f"{wrong} of {n} entr{'y' if n == 1 else 'ies'} {verb} wrong")
        if len(bad) > wrong:
            parts.append(f"{len(bad) - wrong} could not be checked")
        return facts, "wrong", "failed: " + ", ".join(parts)
    numeric = [v.points for v in verdicts if v.status == "numeric" and v.given != v.correct]
    if numeric:
        what = "the entry is equal" if n == 1 else f"all {n} entries are equal"
        return (
            facts,
            "right",
            f"passed: {what} at {_at_points(min(numeric))}, not proved symbolically",
        )
    return (
        facts,
        "right",
        "passed: " + ("the entry is right" if n == 1 else f"all {n} entries are right"),
    )


def _at_points(n: int) -> str:
    return f"{n} random point{'s' if n != 1 else ''} in [-{SAMPLE_RANGE}, {SAMPLE_RANGE}]"


def _verdict_json(v: EntryVerdict) -> dict[str, Any]:
    from jacobi.lang.printing import to_text

    out: dict[str, Any] = {
        "entry": [v.row + 1, v.col + 1],
        "status": v.status,
        "given": to_text(v.given),
        "correct": to_text(v.correct),
    }
    if v.status == "numeric":
        out["points"] = v.points
    if v.skipped:
        out["symbolic"] = f"not tried: {v.skipped}"
    if v.witness:
        out["at"] = v.witness
        out["given_value"] = _json_number(v.given_value, v.values_text[0])
        out["correct_value"] = _json_number(v.correct_value, v.values_text[1])
    return out


def _json_number(value: float | None, text: str) -> float | str | None:
    """A finite float as a JSON number; a value beyond float range as its text."""
    if value is not None and math.isfinite(value) and (value == 0 or abs(value) > 1e-300):
        return value
    return text or None


def declared_names(report: Report) -> list[str]:
    """The names the function uses, so that ``e`` in a claim means what it means in ``f``."""
    f = report.function
    return [*f.variable_names, *(p.name for p, _ in f.parameters)]


def against_report(report: Report, against: str, *, samples: int = 5, seed: int = 0) -> Report:
    """Check the claimed matrix ``against`` (jacobi's language) against ``report``'s result.

    With a point in ``report``, the claim is compared with the value there (the
    claim may be written with the variables; they are substituted).
    """
    from jacobi.lang import parse
    from jacobi.render.json import matrix_strings

    f = report.function
    rows = parse.parse_matrix(against, variables=declared_names(report))
    subs = {p: v for p, v in f.parameters if v is not None}
    correct = report.blocks[0].matrix
    given = fit_shape(
        [[e.xreplace(subs) for e in r] for r in rows], (correct.rows, correct.cols), "--against"
    )
    claimed_block = MatrixBlock(
        name="claimed",
        matrix=sympy.ImmutableMatrix(given),
        row_labels=report.blocks[0].row_labels,
        col_labels=report.blocks[0].col_labels,
        title="claimed",
    )
    if report.point is not None and report.value is not None:
        values = report.point.mapping()
        at_given = []
        for k, e in enumerate(given):
            where = _entry_labels(report)[k].replace("entry", "claimed entry")
            at_given.append(evaluate.value_at(e, values, where=where))
        given = sympy.Matrix(correct.rows, correct.cols, at_given)
        correct = report.value
        claimed_block = MatrixBlock(
            name="claimed",
            matrix=sympy.ImmutableMatrix(given),
            row_labels=report.blocks[0].row_labels,
            col_labels=report.blocks[0].col_labels,
            title="claimed, at the point",
        )
    # Without a point, random points outside f's domain say nothing about f's derivative.
    domain = [] if report.point is not None else [c.xreplace(subs) for c in f.components]
    verdicts = compare_matrices(
        correct, given, _entry_labels(report), samples=samples, seed=seed, domain=domain
    )
    facts, verdict, summary = verdict_facts(verdicts)
    return Report(
        command="check",
        function=f,
        layout=report.layout,
        blocks=(*report.blocks, claimed_block),
        point=report.point,
        value=report.value,
        facts=(*facts, ("check", summary)),
        data={
            "check": "against",
            "verdict": verdict,
            "summary": summary,
            "against": matrix_strings(given),
            "entries": [_verdict_json(v) for v in verdicts],
        },
    )


@dataclass(frozen=True)
class PointCheck:
    """The gradient check at one point: relative error, or why it could not be made.

    ``error`` is the book's relative error. ``ok`` is decided entry by entry
    (:func:`entry_agrees`); ``worst`` is the entry with the largest
    error relative to its tolerance, as ``(row, col, error, tolerance, extrapolated)``
    (see :func:`entry_agrees`).
    ``reason`` is ``"undefined"`` or ``"overflow"`` when ``error`` is None.
    """

    at: dict[str, float]
    error: float | None
    ok: bool
    note: str = ""
    worst: tuple[int, int, float, float, bool] | None = None
    reason: str = ""


def relative_error(dh: Sequence[float], df: Sequence[float]) -> float:
    """The book's relative error sqrt(Σ(dh−df)²/Σ(dh+df)²); 0 when both are all zero.

    Computed with the values scaled by their largest magnitude, so that values
    near the float64 limit (x^1000 at 2) do not overflow when squared.

    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0], [1.1]), 6)
    0.047619
    >>> relative_error([1e300], [1e300])
    0.0
    """
    scale = max((abs(v) for v in (*dh, *df)), default=0.0)
    if scale == 0:
        return 0.0
    if not math.isfinite(scale):
        return math.inf
    num = sum(((a - b) / scale) ** 2 for a, b in zip(dh, df, strict=True))
    den = sum((a / scale + b / scale) ** 2 for a, b in zip(dh, df, strict=True))
    if den == 0:
        return 0.0 if num == 0 else math.inf
    return math.sqrt(num / den)


def entry_agrees(
    d1: float,
    d2: float | None,
    ratio: float,
    df: float,
    noise: float,
    d4: float | None = None,
    ratio4: float = 4.0,
) -> tuple[bool, float, float, bool]:
    """Whether the central differences d1, d2, d4 (steps h, ratio·h, ratio4·h) fit ``df``.

    Returns ``(ok, error, tolerance, extrapolated)``. First ``|d1 − df|`` is
    compared with ``THRESHOLD·|df| + noise``: the relative threshold plus an
    absolute floor, ``noise``, tied to the step and the function's scale (see
    :func:`gradient_check`). Where that fails, the truncation error may explain
    the difference. For a smooth function it is ``c·h^p`` with an even
    ``p ≥ 2`` (x³ at 0: h², x⁵ at 0: h⁴), and ``p`` shows in the three
    differences: ``(d4 − d2)/(d2 − d1) = r^p``. When that ratio is close to
    such a power, Richardson's extrapolation ``R = (r^p·d1 − d2)/(r^p − 1)``
    removes the term, and ``|R − df|`` is compared with ``THRESHOLD·|df|`` plus
    R's own rounding allowance (``extrapolated`` is then True, and
    ``error``/``tolerance`` are those of R). At a kink within one step the
    differences shrink with the step instead of growing (``|x|`` at h/2: 1/2,
    1/4, 1/8), so they are not a truncation error and the entry fails.

    >>> h = 6e-6
    >>> entry_agrees(h**2, 4 * h**2, 2.0, 0.0, 1e-30, 16 * h**2)[0]  # x^3 at 0
    True
    >>> entry_agrees(h**4, 16 * h**4, 2.0, 0.0, 1e-40, 256 * h**4)[0]  # x^5 at 0
    True
    >>> entry_agrees(0.5, 0.25, 2.0, 1.0, 1e-6, 0.125)[0]  # |x| at h/2
    False
    """
    err = abs(d1 - df)
    tolerance = THRESHOLD * abs(df) + noise
    if err <= tolerance:
        return True, err, tolerance, False
    power = _truncation_power(d1, d2, d4, ratio, ratio4)
    if d2 is not None and power is not None:
        rp = ratio**power
        extrapolated = (rp * d1 - d2) / (rp - 1)
        # rounding: r^p·noise from d1, noise/r from d2 (its step is r times longer)
        noise_r = noise * (rp + 1 / ratio) / (rp - 1)
        err_r = abs(extrapolated - df)
        tol_r = THRESHOLD * abs(df) + noise_r
        if err_r <= tol_r:
            return True, err_r, tol_r, True
    return False, err, tolerance, False


def _truncation_power(
    d1: float, d2: float | None, d4: float | None, ratio: float, ratio4: float
) -> int | None:
    """The even power p ≥ 2 with which the differences grow, if they grow like one.

    ``(d4 − d2)/(d2 − d1)`` is ``(r4^p − r^p)/(r^p − 1)`` (``r^p`` for r4 = r²);
    it must be within :data:`POWER_SLACK` (in p) of an even p ≥ 2. Without ``d4``
    (f undefined at x ± 4h) only p = 2 is assumed.
    """
    if d2 is None or not math.isfinite(d2):
        return None
    if d4 is None or not math.isfinite(d4):
        return 2
    if d2 == d1:
        return None
    q = (d4 - d2) / (d2 - d1)
    if not q > 1:
        return None
    # r4 = r² up to rounding: q = r^p
    p = math.log(q) / math.log(ratio4 / ratio)
    even = 2 * round(p / 2)
    if even >= 2 and abs(p - even) <= POWER_SLACK:
        return even
    return None


def _scale_exprs(component: sympy.Expr) -> list[sympy.Expr]:
    """Magnitudes whose rounding errors reach ``component``: itself and each sum's |terms|.

    ``x**2 - 2*x + 1`` is 0 at x = 1, but it is computed from terms of size 1,
    whose rounding errors do not vanish there.
    """
    out = [sympy.Abs(component)]
    for node in sympy.preorder_traversal(component):
        if isinstance(node, sympy.Add):
            out.append(sympy.Add(*(sympy.Abs(a) for a in node.args)))
            if len(out) > SCALE_MAX_SUMS:
                break
    return out


def gradient_check(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    points: Sequence[Sequence[float]],
    params: Sequence[Sequence[float]] = (),
) -> list[PointCheck]:
    """Central differences against ``matrix`` (numerator layout) at each point.

    ``points[k]`` holds the variables' values; ``params[k]`` the values of ``f``'s
    parameters that have none (in order), if any. Each entry is compared by
    :func:`entry_agrees`, with differences at steps h, 2h and 4h and the
    absolute floor ``atol = ROUNDING_ULPS·ε·F/h + THRESHOLD·V/(4h)``: ``F`` is
    the largest magnitude that goes into the component near the point (its
    rounding errors, see :func:`_scale_exprs`), ``V`` the largest change of the
    component across the stencil x ± 4h (so ``V/(4h)`` is the size of a
    derivative f itself shows there, whatever is claimed). An entry passes when
    ``|dh − df| ≤ atol + THRESHOLD·|df|``, or when the h² truncation error
    accounts for the difference.

    >>> from jacobi import function, jacobian
    >>> f = function("x*y, sin(x)")
    >>> [c.ok for c in gradient_check(f, jacobian(f), [[0.5, 2.0], [1.0, -1.0]])]
    [True, True]
    >>> g = function("x^2")
    >>> gradient_check(g, sympy.Matrix([[3*g.variables[0]]]), [[1.0]])[0].ok
    False
    """
    import numpy as np

    from jacobi.numeric.points import compile_exprs

    free = [p for p, v in f.parameters if v is None]
    symbols = [*f.variables, *free]
    n, m = f.n, f.m
    if n == 0:
        raise InputError(
            "there is nothing to check: the function has no variables",
            hint="name the variables with --vars",
        )
    scales = [_scale_exprs(c) for c in f.components]
    flat_scales = [e for s in scales for e in s]
    code = compile_exprs([*f.components, *matrix], symbols)
    # Compiled apart: shared subexpressions would change how f itself is rounded.
    scale_code = compile_exprs(flat_scales, symbols)
    eps = float(np.finfo(np.float64).eps)
    steps = (1.0, -1.0, 2.0, -2.0, 4.0, -4.0)
    width = len(steps) * n + 1  # the point, then x ± h, x ± 2h, x ± 4h along each variable
    results = []
    for k, x in enumerate(points):
        extra = list(params[k]) if params else []
        base = np.array(list(x), dtype=np.float64)
        h = STEP * np.maximum(1.0, np.abs(base))
        stencil = np.tile(base, (width, 1))
        for j in range(n):
            for s, mult in enumerate(steps):
                stencil[1 + 6 * j + s, j] = base[j] + mult * h[j]
        cols = [stencil[:, j] for j in range(n)] + [np.full(width, float(v)) for v in extra]
        values = code(*cols)
        fv = np.array([values[i] for i in range(m)])  # m × width
        jv = np.array([values[m + e][0] for e in range(m * n)]).reshape(m, n)
        scale_values = scale_code(*(c[:1] for c in cols))
        sv = [v[0] for v in scale_values]
        at = {s.name: float(v) for s, v in zip(symbols, [*x, *extra], strict=True)}
        point = {s: sympy.Rational(v) for s, v in zip(symbols, [*x, *extra], strict=True)}
        if not np.all(np.isfinite(fv[:, 0])):
            reason = _why_not_finite(f.components, point)
            note = "the function is too large for float64 here"
            note = note if reason == "overflow" else "the function is undefined here"
            results.append(PointCheck(at, None, False, note, reason=reason))
            continue
        if not np.all(np.isfinite(jv)):
            reason = _why_not_finite(list(matrix), point)
            note = "the Jacobian is too large for float64 here"
            note = note if reason == "overflow" else "the Jacobian is undefined here"
            results.append(PointCheck(at, None, False, note, reason=reason))
            continue
        one_step = [1 + len(steps) * j + s for j in range(n) for s in (0, 1)]
        if not np.all(np.isfinite(fv[:, one_step])):
            note = "the function is undefined within one step"
            results.append(PointCheck(at, None, False, note, reason="undefined"))
            continue
        # diffs[s][:, j]: the central difference along x_j with step steps[2s]·h_j
        diffs = [np.empty((m, n)) for _ in range(3)]
        ratios = np.empty((3, n))
        for j in range(n):
            for k in range(3):
                c_plus, c_minus = 1 + len(steps) * j + 2 * k, 2 + len(steps) * j + 2 * k
                width_k = stencil[c_plus, j] - stencil[c_minus, j]
                diffs[k][:, j] = (fv[:, c_plus] - fv[:, c_minus]) / width_k
                ratios[k, j] = width_k
            ratios[:, j] /= ratios[0, j]
        d1 = diffs[0]
        worst: tuple[int, int, float, float, bool] | None = None
        ok = True
        offset = 0
        for i in range(m):
            terms = sv[offset : offset + len(scales[i])]
            offset += len(scales[i])
            finite = [abs(float(t)) for t in terms if math.isfinite(float(t))]
            for j in range(n):
                row = fv[i, [0, *one_step[2 * j : 2 * j + 2]]]
                magnitude = max([*finite, *(abs(float(v)) for v in row)])
                noise = ROUNDING_ULPS * eps * magnitude / h[j]
                # f's own change across the stencil, per unit of x: the claim must
                # reproduce it to THRESHOLD (x^4 + x^5 at 0 changes by only (4h)^4).
                along = fv[i, 1 + len(steps) * j : 1 + len(steps) * (j + 1)]
                change = [abs(float(v) - float(fv[i, 0])) for v in along if math.isfinite(v)]
                noise += THRESHOLD * max(change) / (4 * h[j])
                d2, d4 = (float(diffs[k][i, j]) for k in (1, 2))
                good, err, tol, extrapolated = entry_agrees(
                    float(d1[i, j]),
                    d2 if math.isfinite(d2) else None,
                    float(ratios[1, j]),
                    float(jv[i, j]),
                    noise,
                    d4 if math.isfinite(d4) else None,
                    float(ratios[2, j]),
                )
                ok = ok and good
                if worst is None or _ratio(err, tol) > _ratio(worst[2], worst[3]):
                    worst = (i, j, err, tol, extrapolated)
        rel = relative_error(d1.ravel().tolist(), jv.ravel().tolist())
        results.append(PointCheck(at, rel, ok, worst=worst))
    return results


def _ratio(err: float, tol: float) -> float:
    if err == 0:
        return 0.0
    return math.inf if tol == 0 else err / tol


def _why_not_finite(exprs: Sequence[sympy.Expr], point: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """``overflow`` when every value is finite exactly (only float64 is too small for it)."""
    for e in exprs:
        if _number(e, point) is None:
            return "undefined"
    return "overflow"


def _check_samples(samples: int) -> None:
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(
            f"--samples must be between 1 and {MAX_SAMPLES}, not {samples}",
            hint="a handful of points (the default 5) is usually enough",
        )


def _at_text(at: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:.6g}" for k, v in at.items())


def finite_difference_report(report: Report, *, samples: int = 5, seed: int = 0) -> Report:
    """The gradient check for ``report`` (a ``jac`` report): at its point, or random points.

    At a given point the Jacobian must exist exactly (else
    :class:`~jacobi.errors.UndefinedError`: the function is not differentiable
    there, exit 3); random points where it does not are skipped.
    """
    from jacobi.lang.printing import to_text

    f = report.function
    matrix = report.blocks[0].matrix
    if report.layout == "denominator":
        matrix = matrix.T
    free = [p for p, v in f.parameters if v is None]
    if report.point is not None:
        if free:
            raise InputError(
                f"the parameter {free[0].name} has no value",
                hint=f"give it with --param {free[0].name}=VALUE",
            )
        x = [evaluate.to_float(v) for v in report.point.values]
        for value, as_float in zip(report.point.values, x, strict=True):
            if as_float is None and value.is_extended_real and value.is_finite:
                raise LimitError(
                    f"cannot check the derivative at {to_text(value)}: the point is beyond "
                    "float64 range",
                    hint="finite differences are taken in float64 (up to about 1.8e308)",
                )
        if any(v is None for v in x):
            raise InputError("--at must be a real point for a finite-difference check")
        checks = gradient_check(f, matrix, [[float(v) for v in x if v is not None]])
        c = checks[0]
        if c.reason == "overflow":
            raise LimitError(
                f"cannot check the derivative at {_at_text(c.at)}: {c.note}",
                hint="finite differences are taken in float64 (up to about 1.8e308)",
            )
        if c.error is None:
            raise UndefinedError(
                f"cannot check the derivative at {_at_text(c.at)}: {c.note}",
                hint="central differences need the function on both sides of the point",
            )
        tried = 1
    else:
        rng = random.Random(seed)
        checks = []
        tried = 0
        while len(checks) < samples and tried < 20 * samples:
            batch = [
                [round(rng.uniform(-2.0, 2.0), 4) or 0.5 for _ in f.variables]
                for _ in range(samples)
            ]
            extra = [[round(rng.uniform(0.5, 2.0), 4) for _ in free] for _ in range(samples)]
            tried += samples
            for c in gradient_check(f, matrix, batch, extra):
                if c.error is not None and len(checks) < samples:
                    checks.append(c)
        if not checks:
            raise UndefinedError(
                "no random point where the function and its Jacobian are defined and within "
                f"float64 range (tried {tried})",
                hint="give a point in the domain with --at",
            )
    labels = _entry_labels(report)
    facts: list[tuple[str, str]] = []
    points_json = []
    for k, c in enumerate(checks):
        line = _point_line(c, labels, report.layout == "denominator", f.n)
        facts.append((f"point {k + 1}", f"{_at_text(c.at)}: {line}"))
        entry: dict[str, Any] = {"at": c.at, "relative_error": c.error, "ok": c.ok}
        if c.ok != (c.error is not None and c.error < THRESHOLD):
            entry["note"] = line.removesuffix(" ok").removesuffix(" FAILED")
        points_json.append(entry)
    bad = [c for c in checks if not c.ok]
    where = f"{len(checks)} point{'s' if len(checks) != 1 else ''}"
    if bad:
        verdict = "wrong"
        summary = (
            f"failed: finite differences disagree with the Jacobian at {len(bad)} of {where} "
            "(not differentiable there, or a kink within one step)"
        )
    else:
        verdict = "right"
        summary = f"passed: finite differences agree with the Jacobian at {where}"
    facts.append(("step", "h = cbrt(eps)*max(1, |x_j|), central differences"))
    facts.append(("check", summary))
    return Report(
        command="check",
        function=f,
        layout=report.layout,
        blocks=report.blocks,
        point=report.point,
        value=report.value,
        facts=tuple(facts),
        data={
            "check": "finite-differences",
            "verdict": verdict,
            "summary": summary,
            "threshold": THRESHOLD,
            "points": points_json,
        },
    )


def _point_line(c: PointCheck, labels: Sequence[str], transposed: bool, n: int) -> str:
    """``relative error 2.9e-11 (< 1e-06) ok``, with the entrywise reason where it decides.

    The verdict is entrywise (:func:`entry_agrees`); the book's relative error is
    shown, and where the two disagree (a derivative of 0: relative error 1, but
    within the absolute floor) the line says why.
    """
    assert c.error is not None
    rel = f"relative error {c.error:.1e}"
    below = c.error < THRESHOLD
    mark = "ok" if c.ok else "FAILED"
    if c.ok == below or c.worst is None:
        return f"{rel} ({'<' if below else '>='} {THRESHOLD:g}) {mark}"
    i, j, err, tol, extrapolated = c.worst
    label = labels[j * len(labels) // n + i] if transposed else labels[i * n + j]
    if c.ok:
        what = "extrapolated from steps h and 2h, " if extrapolated else ""
        return (
            f"{rel} (>= {THRESHOLD:g}), but every entry is within its absolute tolerance "
            f"(closest: {label}, {what}|dh - df| = {err:.1e} <= {tol:.1e}) ok"
        )
    return f"{rel} (< {THRESHOLD:g}), but {label}: |dh - df| = {err:.1e} > {tol:.1e} FAILED"


def check(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    against: str | None = None,
    at: str | None = None,
    layout: str = "numerator",
    samples: int = 5,
    seed: int = 0,
) -> Report:
    """Check a Jacobian: a claimed one (``against``), or the symbolic one by finite differences.

    The report's ``data["verdict"]`` is ``"right"`` or ``"wrong"``; the CLI exits 1
    on ``"wrong"``.

    Examples
    --------
    >>> check(["x+y, x*y"], against="[[1, 1], [y, x]]").data["verdict"]
    'right'
    >>> r = check(["x+y, x*y"], against="[[1, 1], [x, x]]")
    >>> r.data["verdict"], r.data["summary"]
    ('wrong', 'failed: 1 of 4 entries is wrong')
    >>> check(["x*y, sin(x)"], samples=3).data["summary"]
    'passed: finite differences agree with the Jacobian at 3 points'
    """
    from jacobi.commands import calculus as commands

    _check_samples(samples)
    try:
        base = commands.jac(exprs, variables=variables, params=params, at=at, layout=layout)
    except UndefinedError as exc:
        raise UndefinedError(
            f"no derivative at the point {at}: {exc.message}", hint=exc.hint
        ) from None
    if against is not None:
        return against_report(base, against, samples=samples, seed=seed)
    return finite_difference_report(base, samples=samples, seed=seed)
