"""The rank of a Jacobian: generically, where it drops, and at a point (with what the inverse
function theorem then says), in pure SymPy.

The generic rank r of J (its rank at almost every point) is found at a few fixed rational
sample points, which give r pivots: an r×r minor M that is not identically 0. It is then
proved by the bordering lemma: where det M ≠ 0, rank J = r exactly when every (r+1)×(r+1)
minor containing M vanishes, each checked identically 0 with
:func:`jacobi.math.simplify.is_zero`. Full rank needs no such check. Every effort is bounded
by counts: :data:`MAX_BORDERED` minors of size at most :data:`MAX_MINOR` (past that, the rank
is the one found at the samples, and ``proved`` says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from jacobi.errors import JacobiError
from jacobi.math import sparse
from jacobi.math.determinant import determinant, matmul
from jacobi.math.simplify import is_zero
from jacobi.math.substitute import substitute

__all__ = ["MAX_BORDERED", "MAX_MINOR", "Rank", "drop_equation", "generic_rank", "rank_at"]

#: The bordered minors checked identically 0 when proving a deficient rank, at most.
MAX_BORDERED = 200
#: ... each of at most this size.
MAX_MINOR = 6
#: Digits of the numbers a sample point's rank is computed with (when not rational).
DIGITS = 30
#: A pivot smaller than this (relative to the largest entry) counts as 0 at a sample point.
_TINY = sympy.Float("1e-20", DIGITS)
#: The number of sample points tried.
SAMPLES = 3


@dataclass(frozen=True)
class Rank:
    """The generic rank of an m×n Jacobian: ``rank``; ``proved`` is True when it was shown
    exactly (full rank, or every bordered minor identically 0), False when it is the rank
    at the sample points; ``pivots`` are the rows and columns of a minor that is not 0."""

    rank: int
    rows: int
    cols: int
    proved: bool
    pivots: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())

    @property
    def full(self) -> bool:
        return self.rank == min(self.rows, self.cols)


def _sample(variables: Sequence[sympy.Symbol], k: int) -> dict[sympy.Symbol, sympy.Expr]:
    """Sample point ``k``: fixed rationals in (0, 1), different for every variable."""
    return {
        v: sympy.Rational(1 + ((i + 1) * (7 + 4 * k) + k) % 97, 101)
        for i, v in enumerate(variables)
    }


def _numbers(
    matrix: sympy.MatrixBase, values: dict[sympy.Symbol, sympy.Expr]
) -> list[list[sympy.Expr]] | None:
    """``matrix`` at ``values``: exact rationals, or floats of :data:`DIGITS` digits; ``None``
    where an entry is not a finite real number there (a sample point outside the domain)."""
    rows: list[list[sympy.Expr]] = [[sympy.S.Zero] * matrix.cols for _ in range(matrix.rows)]
    exact = True
    for (i, j), e in sparse.nonzero(matrix):
        try:
            value = substitute(e, values) if e.free_symbols else e
        except (JacobiError, ArithmeticError, TypeError, ValueError):
            return None
        if value.free_symbols:
            return None  # symbolic parameters: rank by symbols only
        if not value.is_Rational:
            exact = False
            value = value.evalf(DIGITS)
            if not value.is_real or not value.is_finite:
                return None
        rows[i][j] = value
    if not exact:
        rows = [[sympy.Float(v, DIGITS) for v in row] for row in rows]
    return rows


def _eliminate(rows: list[list[sympy.Expr]]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Gaussian elimination with full pivoting: the pivot rows and columns (their number is
    the rank; exact for rationals, to :data:`DIGITS` digits otherwise)."""
    a = [list(r) for r in rows]
    m, n = len(a), len(a[0]) if a else 0
    scale = max((abs(v) for r in a for v in r), default=sympy.S.Zero)
    tiny = 0 if all(v.is_Rational for r in a for v in r) else _TINY * max(scale, 1)
    free_rows, free_cols = list(range(m)), list(range(n))
    prow: list[int] = []
    pcol: list[int] = []
    while free_rows and free_cols:
        best = max(((abs(a[i][j]), i, j) for i in free_rows for j in free_cols), key=lambda t: t[0])
        if best[0] <= tiny or best[0] == 0:
            break
        _, pi, pj = best
        prow.append(pi)
        pcol.append(pj)
        free_rows.remove(pi)
        free_cols.remove(pj)
        for i in free_rows:
            factor = a[i][pj] / a[pi][pj]
            if factor != 0:
                for j in free_cols:
                    a[i][j] -= factor * a[pi][j]
    return tuple(prow), tuple(pcol)


def generic_rank(matrix: sympy.MatrixBase, variables: Sequence[sympy.Symbol]) -> Rank:
    """The rank of J at almost every point (see the module notes).

    >>> from jacobi.lang.parse import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> generic_rank(sympy.Matrix([[1, 1], [y, x]]), [x, y])
    Rank(rank=2, rows=2, cols=2, proved=True, pivots=((0, 1), (0, 1)))
    >>> r = generic_rank(sympy.Matrix([[2*x, 2*y], [4*x**3, 4*x**2*y]]), [x, y])
    >>> r.rank, r.proved
    (1, True)
    """
    m, n = matrix.rows, matrix.cols
    if m == 0 or n == 0:
        return Rank(0, m, n, True)
    # With symbolic parameters, a sample gives values to them too (the generic rank over
    # them); the bordered minors are then checked with the parameters as symbols.
    names = [
        *variables,
        *sorted(
            set().union(*(e.free_symbols for e in matrix)) - set(variables), key=lambda s: s.name
        ),
    ]
    best: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    for k in range(SAMPLES):
        rows = _numbers(matrix, _sample(names, k))
        if rows is None:
            continue
        found = _eliminate(rows)
        if len(found[0]) > len(best[0]):
            best = found
        if len(best[0]) == min(m, n):
            break
    r = len(best[0])
    if r == min(m, n):
        return Rank(r, m, n, True, best)
    return Rank(r, m, n, _bordered_minors_vanish(matrix, best), best)


def _bordered_minors_vanish(
    matrix: sympy.MatrixBase, pivots: tuple[tuple[int, ...], tuple[int, ...]]
) -> bool:
    """Whether every minor of ``pivots`` bordered by one more row and column is identically 0
    (proved within the bounds; False if a bound stops it or a minor is not proved 0)."""
    prow, pcol = pivots
    rest_rows = [i for i in range(matrix.rows) if i not in prow]
    rest_cols = [j for j in range(matrix.cols) if j not in pcol]
    if len(rest_rows) * len(rest_cols) > MAX_BORDERED or len(prow) + 1 > MAX_MINOR:
        return False
    for i in rest_rows:
        for j in rest_cols:
            sub = matrix.extract([*prow, i], [*pcol, j])
            if is_zero(sympy.expand(determinant(sub, simplify=False).value)) is not True:
                return False
    return True


def rank_at(matrix: sympy.MatrixBase) -> int:
    """The rank of a numeric matrix (J at a point): exact for rational entries, else to
    :data:`DIGITS` digits.

    >>> r2 = sympy.sqrt(2)
    >>> rank_at(sympy.Matrix([[1, 2], [2, 4]])), rank_at(sympy.Matrix([[r2, 1], [2, r2]]))
    (1, 1)
    """
    if matrix.rows == 0 or matrix.cols == 0:
        return 0
    rows = _numbers(matrix, {})
    if rows is None:
        return int(sympy.Matrix(matrix).rank())
    return len(_eliminate(rows)[0])


def drop_equation(matrix: sympy.MatrixBase) -> tuple[str, sympy.Expr]:
    """Where a full-rank J loses rank, as one equation: det J = 0 (square), det(J Jᵀ) = 0
    (fewer rows: the sum of the squares of the maximal minors, by Cauchy–Binet, 0 over the
    reals exactly where they all are) or det(Jᵀ J) = 0 (fewer columns).

    >>> from jacobi.lang.parse import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> drop_equation(sympy.Matrix([[2*x, 2*y]]))
    ('det(J Jᵀ)', 4*(x**2 + y**2))
    """
    m, n = matrix.rows, matrix.cols
    if m == n:
        return "det J", determinant(matrix).value
    if m < n:
        return "det(J Jᵀ)", determinant(matmul(matrix, matrix.T)).value
    return "det(Jᵀ J)", determinant(matmul(matrix.T, matrix)).value
