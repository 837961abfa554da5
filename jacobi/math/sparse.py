"""Matrices by their non-zero entries: build, read and map them without visiting zeros.

SymPy stores an ``ImmutableMatrix`` sparsely (a dict of rows), but ``m[i, j]`` and
``iter(m)`` cost microseconds an entry: on a 1000×1000 Jacobian with 3,000
non-zeros, one pass over every position takes seconds, and building the matrix
from a flat list of a million entries takes one more. Every pass over a large
result goes through these functions instead, so the cost grows with the non-zeros.

>>> x = sympy.Symbol("x")
>>> m = build(2, 3, {(0, 1): x, (1, 2): 2})
>>> m
Matrix([
[0, x, 0],
[0, 0, 2]])
>>> nonzero(m)
[((0, 1), x), ((1, 2), 2)]
>>> apply(m, lambda e: e + 1)
Matrix([
[0, x + 1, 0],
[0,     0, 3]])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from math import ceil

import sympy
from sympy.polys.matrices import DomainMatrix
from sympy.polys.matrices.sdm import SDM

from jacobi.model import SparsityPattern

__all__ = ["apply", "build", "coarse", "flat", "nonzero", "pattern", "rows", "strings"]

Key = tuple[int, int]


def build(n_rows: int, n_cols: int, entries: Mapping[Key, sympy.Expr]) -> sympy.ImmutableMatrix:
    """The ``n_rows``×``n_cols`` matrix with ``entries`` (zeros elsewhere; zero values dropped).

    It is a SymPy ``Matrix`` over the sparse store, equal to, printed and used like an
    ``ImmutableMatrix``, which jacobi never mutates. An immutable matrix would cost its
    size, not its non-zeros: the dense one keeps every entry in a tuple (its SymPy
    ``args``: 10^8 pointers for a 10,000×10,000 Jacobian), the sparse one sorts its
    entries by SymPy's sort key on creation (seconds for 30,000 entries).
    """
    table: dict[int, dict[int, sympy.Expr]] = {}
    for (i, j), e in entries.items():
        if isinstance(e, int):
            e = sympy.Integer(e)
        if e != 0:
            table.setdefault(i, {})[j] = e
    rep = DomainMatrix.from_rep(SDM(table, (n_rows, n_cols), sympy.EXRAW))
    return sympy.MutableDenseMatrix._fromrep(rep)


def nonzero(matrix: sympy.MatrixBase) -> list[tuple[Key, sympy.Expr]]:
    """The non-zero entries with their positions, row by row."""
    return sorted(matrix.todok().items(), key=lambda item: item[0])


def flat(matrix: sympy.MatrixBase) -> list[sympy.Expr]:
    """Every entry, row by row (zeros included), without an element look-up each."""
    return list(matrix.flat())


def rows(matrix: sympy.MatrixBase) -> list[list[sympy.Expr]]:
    """The entries as a list of rows."""
    values, n = flat(matrix), matrix.cols
    return [values[k : k + n] for k in range(0, len(values), n)]


def apply(
    matrix: sympy.MatrixBase,
    fn: Callable[[sympy.Expr], sympy.Expr],
    *,
    only: Callable[[sympy.Expr], bool] | None = None,
) -> sympy.ImmutableMatrix:
    """``fn`` applied to each non-zero entry (``fn(0)`` is taken to be 0), once per
    distinct entry; with ``only``, to the entries it accepts (the others are kept)."""
    cache: dict[sympy.Expr, sympy.Expr] = {}
    out: dict[Key, sympy.Expr] = {}
    for key, e in nonzero(matrix):
        if only is not None and not only(e):
            out[key] = e
            continue
        if e not in cache:
            cache[e] = fn(e)
        out[key] = cache[e]
    return build(matrix.rows, matrix.cols, out)


def strings(matrix: sympy.MatrixBase, show: Callable[[sympy.Expr], str]) -> list[list[str]]:
    """``show`` of every entry, row by row: each distinct non-zero entry is shown once,
    and every zero is ``show(0)``, shown once.

    >>> strings(build(2, 2, {(1, 0): sympy.Symbol("y")}), str)
    [['0', '0'], ['y', '0']]
    """
    zero = show(sympy.S.Zero)
    out = [[zero] * matrix.cols for _ in range(matrix.rows)]
    cache: dict[sympy.Expr, str] = {}
    for (i, j), e in nonzero(matrix):
        text = cache.get(e)
        if text is None:
            text = cache[e] = show(e)
        out[i][j] = text
    return out


def pattern(matrix: sympy.MatrixBase) -> SparsityPattern:
    """The structural sparsity pattern of ``matrix``: where its entries are not 0.

    >>> x = sympy.Symbol("x")
    >>> p = pattern(build(3, 3, {(0, 0): x, (1, 0): 1, (1, 1): 2, (2, 1): x, (2, 2): 1}))
    >>> p.keys, p.nnz, (p.lower, p.upper)
    (((0, 0), (1, 0), (1, 1), (2, 1), (2, 2)), 5, (1, 0))
    """
    keys = tuple(key for key, _ in nonzero(matrix))
    lower = max((i - j for i, j in keys), default=0)
    upper = max((j - i for i, j in keys), default=0)
    return SparsityPattern(matrix.rows, matrix.cols, keys, max(lower, 0), max(upper, 0))


def coarse(p: SparsityPattern, max_rows: int, max_cols: int) -> tuple[int, int, list[list[int]]]:
    """``p`` drawn at most ``max_rows`` by ``max_cols`` cells: each cell covers a block of
    ``(height, width)`` entries and holds how many of them are not zero.

    Returns ``(height, width, counts)``; a pattern that fits has blocks of one entry.

    >>> p = pattern(build(4, 4, {(k, k): 1 for k in range(4)}))
    >>> coarse(p, 2, 2)
    (2, 2, [[2, 0], [0, 2]])
    """
    height = max(1, ceil(p.rows / max_rows))
    width = max(1, ceil(p.cols / max_cols))
    counts = [[0] * ceil(p.cols / width) for _ in range(ceil(p.rows / height))]
    for i, j in p.keys:
        counts[i // height][j // width] += 1
    return height, width, counts
