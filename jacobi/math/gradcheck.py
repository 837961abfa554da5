"""Is this derivative right? The finite-difference check of a Jacobian.

:func:`gradient_check` is the check of Deisenroth, Faisal and Ong, *Mathematics
for Machine Learning* §5.2: central differences against the symbolic Jacobian,
with the relative error ``sqrt(Σ(dh − df)² / Σ(dh + df)²)`` per point and the
book's threshold 1e-6. The verdict itself is decided entry by entry
(:func:`entry_agrees`), with an absolute floor tied to the step and to the
function's scale.

Step size. A central difference ``(f(x+h) − f(x−h)) / 2h`` has truncation error
about ``h² |f'''| / 6`` and rounding error about ``ε |f| / h`` (ε = 2^-52, the
float64 machine epsilon). The sum is smallest near ``h ≈ ∛ε ≈ 6e-6`` times the
scale of ``x``, so jacobi uses ``h = ∛ε · max(1, |x_j|)``; the total error is then
about ``ε^(2/3) ≈ 4e-11`` relative, far below the 1e-6 threshold, while the
book's ``h = 1e-4`` would already leave ``1e-8``-sized truncation errors. The step
is rounded so that ``x + h`` and ``x − h`` are exact floats and the divisor is
their true distance.

The float64 values come from a compiler the caller passes in
(:func:`jacobi.numeric.points.compile_exprs` in jacobi's commands); this module
does only the arithmetic of the check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sympy

from jacobi.errors import InputError
from jacobi.math.check import real_value
from jacobi.model import VectorFunction

#: The book's threshold for the relative error of a gradient check.
THRESHOLD = 1e-6
#: Central-difference step factor: the cube root of float64's machine epsilon.
STEP = float(2.0**-52) ** (1.0 / 3.0)
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

#: The stencil along each variable, in steps of h: x ± h, x ± 2h, x ± 4h.
STENCIL = (1.0, -1.0, 2.0, -2.0, 4.0, -4.0)

FloatArray = npt.NDArray[np.float64]
#: ``compiler(exprs, symbols)`` is a function of one float64 array per symbol that
#: returns one array per expression, ``nan`` or ``inf`` where a value is not a finite
#: real number (as :func:`jacobi.numeric.points.compile_exprs` does).
Compiler = Callable[[Sequence[sympy.Expr], Sequence[sympy.Symbol]], Callable[..., list[FloatArray]]]


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


@dataclass(frozen=True)
class _Program:
    """The compiled function and Jacobian of one check, and the magnitudes of f's sums."""

    symbols: list[sympy.Symbol]
    #: f's components, then the Jacobian's entries row by row.
    values: Callable[..., list[FloatArray]]
    #: The magnitudes of :func:`_scale_exprs`, component by component.
    scales: Callable[..., list[FloatArray]]
    #: How many of those belong to each component.
    sizes: list[int]


def gradient_check(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    points: Sequence[Sequence[float]],
    params: Sequence[Sequence[float]] = (),
    *,
    compiler: Compiler,
) -> list[PointCheck]:
    """Central differences against ``matrix`` (numerator layout) at each point.

    ``points[k]`` holds the variables' values; ``params[k]`` the values of ``f``'s
    parameters that have none (in order), if any. ``compiler`` turns expressions
    into float64 code (see :data:`Compiler`). Each entry is compared by
    :func:`entry_agrees`, with differences at steps h, 2h and 4h and the
    absolute floor ``atol = ROUNDING_ULPS·ε·F/h + THRESHOLD·V/(4h)``: ``F`` is
    the largest magnitude that goes into the component near the point (its
    rounding errors, see :func:`_scale_exprs`), ``V`` the largest change of the
    component across the stencil x ± 4h (so ``V/(4h)`` is the size of a
    derivative f itself shows there, whatever is claimed). An entry passes when
    ``|dh − df| ≤ atol + THRESHOLD·|df|``, or when the h² truncation error
    accounts for the difference.

    >>> from jacobi import function, jacobian
    >>> from jacobi.numeric.points import compile_exprs as fast
    >>> f = function("x*y, sin(x)")
    >>> [c.ok for c in gradient_check(f, jacobian(f), [[0.5, 2.0], [1.0, -1.0]], compiler=fast)]
    [True, True]
    >>> g = function("x^2")
    >>> gradient_check(g, sympy.Matrix([[3*g.variables[0]]]), [[1.0]], compiler=fast)[0].ok
    False
    """
    free = [p for p, v in f.parameters if v is None]
    symbols = [*f.variables, *free]
    if f.n == 0:
        raise InputError(
            "there is nothing to check: the function has no variables",
            hint="name the variables with --vars",
        )
    scales = [_scale_exprs(c) for c in f.components]
    values = compiler([*f.components, *matrix], symbols)
    # Compiled apart: shared subexpressions would change how f itself is rounded.
    program = _Program(
        symbols, values, compiler([e for s in scales for e in s], symbols), [len(s) for s in scales]
    )
    return [
        _check_point(f, matrix, program, x, list(params[k]) if params else [])
        for k, x in enumerate(points)
    ]


def _one_step(n: int) -> list[int]:
    """The stencil columns of x ± h along each variable."""
    return [1 + len(STENCIL) * j + s for j in range(n) for s in (0, 1)]


def _check_point(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    program: _Program,
    x: Sequence[float],
    extra: list[float],
) -> PointCheck:
    """The gradient check at the point ``x`` (parameters without a value at ``extra``)."""
    n, m = f.n, f.m
    base = np.array(list(x), dtype=np.float64)
    h = STEP * np.maximum(1.0, np.abs(base))
    # The point, then x ± h, x ± 2h, x ± 4h along each variable.
    width = len(STENCIL) * n + 1
    stencil = np.tile(base, (width, 1))
    for j in range(n):
        for s, mult in enumerate(STENCIL):
            stencil[1 + len(STENCIL) * j + s, j] = base[j] + mult * h[j]
    cols = [stencil[:, j] for j in range(n)] + [np.full(width, float(v)) for v in extra]
    values = program.values(*cols)
    fv = np.array([values[i] for i in range(m)])  # m × width
    jv = np.array([values[m + e][0] for e in range(m * n)]).reshape(m, n)
    sv = [v[0] for v in program.scales(*(c[:1] for c in cols))]
    at = {s.name: float(v) for s, v in zip(program.symbols, [*x, *extra], strict=True)}
    point = {s: sympy.Rational(v) for s, v in zip(program.symbols, [*x, *extra], strict=True)}
    failed = _not_finite(f, matrix, fv, jv, at, point)
    if failed is not None:
        return failed
    diffs, ratios = _differences(fv, stencil, m, n)
    ok, worst = _compare_entries(fv, jv, sv, program.sizes, diffs, ratios, h)
    rel = relative_error(diffs[0].ravel().tolist(), jv.ravel().tolist())
    return PointCheck(at, rel, ok, worst=worst)


def _not_finite(
    f: VectorFunction,
    matrix: sympy.MatrixBase,
    fv: FloatArray,
    jv: FloatArray,
    at: dict[str, float],
    point: Mapping[sympy.Symbol, sympy.Expr],
) -> PointCheck | None:
    """Why the check cannot be made at the point (f or J not finite there), or None."""
    if not np.all(np.isfinite(fv[:, 0])):
        reason = _why_not_finite(f.components, point)
        note = "the function is too large for float64 here"
        note = note if reason == "overflow" else "the function is undefined here"
        return PointCheck(at, None, False, note, reason=reason)
    if not np.all(np.isfinite(jv)):
        reason = _why_not_finite(list(matrix), point)
        note = "the Jacobian is too large for float64 here"
        note = note if reason == "overflow" else "the Jacobian is undefined here"
        return PointCheck(at, None, False, note, reason=reason)
    if not np.all(np.isfinite(fv[:, _one_step(f.n)])):
        note = "the function is undefined within one step"
        return PointCheck(at, None, False, note, reason="undefined")
    return None


def _differences(
    fv: FloatArray, stencil: FloatArray, m: int, n: int
) -> tuple[list[FloatArray], FloatArray]:
    """The central differences at steps h, 2h, 4h, and each step relative to h.

    ``diffs[k][:, j]`` is the difference along x_j with step ``STENCIL[2k]·h_j``,
    divided by the true distance of its two points; ``ratios[k, j]`` that distance
    over the one of step h.
    """
    diffs = [np.empty((m, n)) for _ in range(3)]
    ratios = np.empty((3, n))
    for j in range(n):
        for k in range(3):
            c_plus, c_minus = 1 + len(STENCIL) * j + 2 * k, 2 + len(STENCIL) * j + 2 * k
            width_k = stencil[c_plus, j] - stencil[c_minus, j]
            diffs[k][:, j] = (fv[:, c_plus] - fv[:, c_minus]) / width_k
            ratios[k, j] = width_k
        ratios[:, j] /= ratios[0, j]
    return diffs, ratios


def _compare_entries(
    fv: FloatArray,
    jv: FloatArray,
    sv: Sequence[float],
    sizes: Sequence[int],
    diffs: Sequence[FloatArray],
    ratios: FloatArray,
    h: FloatArray,
) -> tuple[bool, tuple[int, int, float, float, bool] | None]:
    """Whether every entry agrees (:func:`entry_agrees`), and the worst one.

    ``sv`` holds the magnitudes of :func:`_scale_exprs` at the point, ``sizes[i]``
    of them for component i.
    """
    m, n = jv.shape
    one_step = _one_step(n)
    d1 = diffs[0]
    worst: tuple[int, int, float, float, bool] | None = None
    ok = True
    offset = 0
    for i in range(m):
        terms = sv[offset : offset + sizes[i]]
        offset += sizes[i]
        finite = [abs(float(t)) for t in terms if math.isfinite(float(t))]
        for j in range(n):
            noise = _noise(fv[i], finite, one_step[2 * j : 2 * j + 2], j, h[j])
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
    return ok, worst


def _noise(
    row: FloatArray, finite: Sequence[float], one_step: Sequence[int], j: int, h: float
) -> float:
    """The absolute floor of entry (i, j): rounding, plus f's own change (see gradient_check).

    ``row`` is component i across the stencil, ``finite`` the finite magnitudes of
    its sums at the point, ``one_step`` the columns of x ± h along x_j.
    """
    eps = float(np.finfo(np.float64).eps)
    magnitude = max([*finite, *(abs(float(v)) for v in row[[0, *one_step]])])
    noise = ROUNDING_ULPS * eps * magnitude / h
    # f's own change across the stencil, per unit of x: the claim must
    # reproduce it to THRESHOLD (x^4 + x^5 at 0 changes by only (4h)^4).
    along = row[1 + len(STENCIL) * j : 1 + len(STENCIL) * (j + 1)]
    change = [abs(float(v) - float(row[0])) for v in along if math.isfinite(v)]
    noise += THRESHOLD * max(change) / (4 * h)
    return noise


def _ratio(err: float, tol: float) -> float:
    """How far ``err`` is past (> 1) or within (< 1) its tolerance ``tol``."""
    if err == 0:
        return 0.0
    return math.inf if tol == 0 else err / tol


def _why_not_finite(exprs: Sequence[sympy.Expr], point: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """``overflow`` when every value is finite exactly (only float64 is too small for it)."""
    for e in exprs:
        if real_value(e, point) is None:
            return "undefined"
    return "overflow"
