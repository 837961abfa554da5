"""Is this derivative right? Symbolic and numeric checks of Jacobians.

Two checks, both behind ``jacobi check``:

* :func:`compare_matrices` compares a claimed Jacobian with the true one entry by
  entry: first symbolically (the difference is 0 outright or after a bounded
  :func:`jacobi.core.tidy`), then numerically at seeded random points with
  30-digit arithmetic, so that an answer SymPy cannot prove equal but is equal
  (``sech(x)^2`` against ``1 - tanh(x)^2``) passes, and a wrong one fails with a
  point where the two differ. Points where either side is undefined are skipped.
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

from jacobi import core, evaluate
from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.limits import Deadline
from jacobi.model import MatrixBlock, Report, VectorFunction, natural_key

#: The book's threshold for the relative error of a gradient check.
THRESHOLD = 1e-6
#: Central-difference step factor: the cube root of float64's machine epsilon.
STEP = float(2.0**-52) ** (1.0 / 3.0)
#: Digits used when comparing two entries numerically.
DIGITS = 30
#: Two values agree when they differ by at most this, relative to max(|a|, |b|).
AGREE = 1e-20
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
#: Seconds spent trying to prove entries equal symbolically before going numeric.
SYMBOLIC_BUDGET = 2.0
MAX_SAMPLES = 1000


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
    """``expr`` at ``point`` to 30 digits, or None if not a finite real number there."""
    try:
        # strict: a value that cannot be certified to DIGITS digits is no sample.
        value = expr.evalf(DIGITS, subs=dict(point), strict=True)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, sympy.PrecisionExhausted):
        return None
    if isinstance(value, sympy.Float | sympy.Rational) and value.is_finite is not False:
        return sympy.Float(value, DIGITS)
    return None


def _agree(a: sympy.Float, b: sympy.Float) -> bool:
    """Equal to AGREE relative to the larger magnitude (30-digit values, no absolute floor)."""
    scale = max(abs(a), abs(b))
    return bool(abs(a - b) <= AGREE * scale)


def _symbolic(a: sympy.Expr, b: sympy.Expr, deadline: Deadline) -> str:
    """``proved`` (a - b is 0), ``wrong`` (a - b is a non-zero constant) or ``unknown``."""
    diff = a - b
    if diff == 0:
        return "proved"
    if not deadline.expired():
        diff = core.tidy(sympy.expand(diff) if sympy.count_ops(diff) < 40 else diff)
        if diff == 0:
            return "proved"
    if not diff.free_symbols and diff.is_number and diff.is_zero is False:
        return "wrong"
    return "unknown"


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
    budget: float = SYMBOLIC_BUDGET,
) -> list[EntryVerdict]:
    """Compare ``given`` with ``correct`` entry by entry (same shape).

    Each entry is first compared symbolically (with a total ``budget`` in
    seconds; a non-zero constant difference is wrong outright), then at
    ``max(samples, MIN_POINTS)`` random points, skipping those where either side
    is undefined (seeded by ``seed``, so the outcome is reproducible).

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
    deadline = Deadline(budget)
    symbols = _symbols_of(correct, given)
    candidates = sample_points(symbols, max(samples, MIN_POINTS), seed)
    out = []
    for i in range(correct.rows):
        for j in range(correct.cols):
            label = labels[i * correct.cols + j] if labels else f"entry ({i + 1}, {j + 1})"
            out.append(
                _compare_entry(i, j, label, correct[i, j], given[i, j], candidates, deadline)
            )
    return out


def _compare_entry(
    i: int,
    j: int,
    label: str,
    a: sympy.Expr,
    b: sympy.Expr,
    candidates: Sequence[dict[sympy.Symbol, sympy.Rational]],
    deadline: Deadline,
) -> EntryVerdict:
    symbolic = _symbolic(a, b, deadline)
    if symbolic == "proved":
        return EntryVerdict(i, j, label, b, a, "proved")
    if symbolic == "wrong":
        # They differ by a non-zero constant: wrong everywhere, however small it is.
        return EntryVerdict(i, j, label, b, a, "wrong")
    used = 0
    for point in candidates:
        va, vb = _number(a, point), _number(b, point)
        if va is None or vb is None:
            continue
        if not _agree(va, vb):
            free = a.free_symbols | b.free_symbols
            witness = {s.name: float(v) for s, v in point.items() if s in free}
            return EntryVerdict(i, j, label, b, a, "wrong", used + 1, witness, float(vb), float(va))
        used += 1
    return EntryVerdict(i, j, label, b, a, "numeric" if used else "unverified", used)


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
    block = report.blocks[0]
    return [
        f"entry ({i + 1}, {j + 1}) {_ascii(block.row_labels[i], block.col_labels[j])}"
        for i in range(block.matrix.rows)
        for j in range(block.matrix.cols)
    ]


def _ascii(row: str, col: str) -> str:
    """``df2/dx`` for the entry in row ``row`` and column ``col`` (either layout)."""
    if row.startswith("∂/∂"):  # denominator layout: rows are the variables
        return f"d{col}/d{row[3:]}"
    return f"d{row}/d{col.replace('∂/∂', '')}"


def _num(v: float | None) -> str:
    return "undefined" if v is None else f"{v:.10g}"


def verdict_facts(verdicts: Sequence[EntryVerdict]) -> tuple[list[tuple[str, str]], str, str]:
    """The fact lines for a comparison, the verdict (``right``/``wrong``) and a summary."""
    from jacobi.printing import to_text

    facts = []
    for v in verdicts:
        if v.status == "wrong":
            at = ", ".join(f"{k} = {x:g}" for k, x in v.witness.items())
            where = f" (at {at}: {_num(v.given_value)} vs {_num(v.correct_value)})" if at else ""
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
                ("unverified", f"{v.label}: undefined at every sample point, could not compare")
            )
        elif v.status == "numeric" and v.given != v.correct:
            facts.append(
                (
                    "note",
                    f"{v.label}: {to_text(v.given)} equals {to_text(v.correct)} at "
                    f"{_at_points(v.points)}; not proved symbolically",
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
    from jacobi.printing import to_text

    out: dict[str, Any] = {
        "entry": [v.row + 1, v.col + 1],
        "status": v.status,
        "given": to_text(v.given),
        "correct": to_text(v.correct),
    }
    if v.status == "numeric":
        out["points"] = v.points
    if v.witness:
        out["at"] = v.witness
        out["given_value"] = v.given_value
        out["correct_value"] = v.correct_value
    return out


def declared_names(report: Report) -> list[str]:
    """The names the function uses, so that ``e`` in a claim means what it means in ``f``."""
    f = report.function
    return [*f.variable_names, *(p.name for p, _ in f.parameters)]


def against_report(report: Report, against: str, *, samples: int = 5, seed: int = 0) -> Report:
    """Check the claimed matrix ``against`` (jacobi's language) against ``report``'s result.

    With a point in ``report``, the claim is compared with the value there (the
    claim may be written with the variables; they are substituted).
    """
    from jacobi import parse
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
    verdicts = compare_matrices(correct, given, _entry_labels(report), samples=samples, seed=seed)
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
    """The gradient check at one point: relative error, or why it could not be made."""

    at: dict[str, float]
    error: float | None
    ok: bool
    note: str = ""


def relative_error(dh: Sequence[float], df: Sequence[float]) -> float:
    """The book's relative error sqrt(Σ(dh−df)²/Σ(dh+df)²); 0 when both are all zero.

    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0], [1.1]), 6)
    0.047619
    """
    num = sum((a - b) ** 2 for a, b in zip(dh, df, strict=True))
    den = sum((a + b) ** 2 for a, b in zip(dh, df, strict=True))
    if den == 0:
        return 0.0 if num == 0 else math.inf
    return math.sqrt(num / den)


def gradient_check(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    points: Sequence[Sequence[float]],
    params: Sequence[Sequence[float]] = (),
) -> list[PointCheck]:
    """Central differences against ``matrix`` (numerator layout) at each point.

    ``points[k]`` holds the variables' values; ``params[k]`` the values of ``f``'s
    parameters that have none (in order), if any.

    >>> from jacobi import function, jacobian
    >>> f = function("x*y, sin(x)")
    >>> [c.ok for c in gradient_check(f, jacobian(f), [[0.5, 2.0], [1.0, -1.0]])]
    [True, True]
    >>> g = function("x^2")
    >>> gradient_check(g, sympy.Matrix([[3*g.variables[0]]]), [[1.0]])[0].ok
    False
    """
    import numpy as np

    from jacobi.points import compile_exprs

    free = [p for p, v in f.parameters if v is None]
    symbols = [*f.variables, *free]
    n, m = f.n, f.m
    code = compile_exprs([*f.components, *matrix], symbols)
    results = []
    for k, x in enumerate(points):
        extra = list(params[k]) if params else []
        base = np.array(list(x), dtype=np.float64)
        h = STEP * np.maximum(1.0, np.abs(base))
        plus = base + h
        minus = base - h
        stencil = np.tile(base, (2 * n + 1, 1))
        for j in range(n):
            stencil[1 + 2 * j, j] = plus[j]
            stencil[2 + 2 * j, j] = minus[j]
        cols = [stencil[:, j] for j in range(n)] + [np.full(2 * n + 1, float(v)) for v in extra]
        values = code(*cols)
        fv = np.array([values[i] for i in range(m)])  # m × (2n+1)
        jv = np.array([values[m + e][0] for e in range(m * n)]).reshape(m, n)
        at = {s.name: float(v) for s, v in zip(symbols, [*x, *extra], strict=True)}
        if not np.all(np.isfinite(fv[:, 0])):
            results.append(PointCheck(at, None, False, "the function is undefined here"))
            continue
        if not np.all(np.isfinite(jv)):
            results.append(PointCheck(at, None, False, "the Jacobian is undefined here"))
            continue
        if not np.all(np.isfinite(fv)):
            results.append(PointCheck(at, None, False, "the function is undefined within one step"))
            continue
        dh = np.empty((m, n))
        for j in range(n):
            dh[:, j] = (fv[:, 1 + 2 * j] - fv[:, 2 + 2 * j]) / (plus[j] - minus[j])
        err = relative_error(dh.ravel().tolist(), jv.ravel().tolist())
        results.append(PointCheck(at, err, err < THRESHOLD))
    return results


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
        if any(v is None for v in x):
            raise InputError("--at must be a real point for a finite-difference check")
        checks = gradient_check(f, matrix, [[float(v) for v in x if v is not None]])
        c = checks[0]
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
                f"no random point where the function and its Jacobian are defined (tried {tried})",
                hint="give a point in the domain with --at",
            )
    facts: list[tuple[str, str]] = []
    for k, c in enumerate(checks):
        assert c.error is not None
        mark = "ok" if c.ok else "FAILED"
        facts.append(
            (
                f"point {k + 1}",
                f"{_at_text(c.at)}: relative error {c.error:.1e} "
                f"({'<' if c.ok else '>='} {THRESHOLD:g}) {mark}",
            )
        )
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
            "points": [{"at": c.at, "relative_error": c.error, "ok": c.ok} for c in checks],
        },
    )


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
    from jacobi import commands

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
