"""Sparse results in every format: the non-zero entries as COO, and the sparsity pattern.

``jac --sparse`` lists only the non-zero entries (text: the entry listing of large
matrices; LaTeX: an array of positions and entries; JSON: ``coo`` with 0-based ``rows``
and ``cols``). ``jac --sparsity`` draws the pattern: each entry as ``*`` (not
identically 0) or ``.``, labelled like the matrix, or, for a large matrix, each
character standing for a block of entries. The cost grows with the non-zeros.
"""

from __future__ import annotations

from typing import Any

import sympy

from jacobi.lang.printing import to_text
from jacobi.math import sparse
from jacobi.model import SparsityPattern

#: A pattern drawn entry by entry has at most this many rows and columns ...
FULL_MAX = 40
#: ... a larger one is drawn in at most this many character rows and columns.
PICTURE_ROWS, PICTURE_COLS = 30, 60

_MARK, _EMPTY = "*", "."


def summary(p: SparsityPattern) -> str:
    """``5 non-zero entries of 9 (55.56%); bandwidth: lower 0, upper 1``."""
    total = p.rows * p.cols
    entries = "entry" if p.nnz == 1 else "entries"
    return (
        f"{p.nnz} non-zero {entries} of {total} ({100 * p.density:.2f}%); "
        f"bandwidth: lower {p.lower}, upper {p.upper}"
    )


def fits(p: SparsityPattern) -> bool:
    """Whether the pattern is drawn entry by entry, with the matrix's labels."""
    return p.rows <= FULL_MAX and p.cols <= FULL_MAX


def marks(p: SparsityPattern) -> list[list[str]]:
    """``*`` or ``.`` for every entry (a pattern that :func:`fits`)."""
    cells = [[_EMPTY] * p.cols for _ in range(p.rows)]
    for i, j in p.keys:
        cells[i][j] = _MARK
    return cells


def picture(p: SparsityPattern) -> list[str]:
    """A large pattern in at most :data:`PICTURE_ROWS` × :data:`PICTURE_COLS` characters,
    framed, after a line saying what one character covers.

    >>> from jacobi.math.sparse import build, pattern
    >>> lines = picture(pattern(build(100, 100, {(k, k): 1 for k in range(100)})))
    >>> print("\\n".join(lines[:4]))
    each character is a block of 4x2 entries (rows x columns): * holds a non-zero entry, . none
    +--------------------------------------------------+
    |**................................................|
    |..**..............................................|
    """
    height, width, counts = sparse.coarse(p, PICTURE_ROWS, PICTURE_COLS)
    rule = "+" + "-" * len(counts[0]) + "+" if counts else "++"
    lines = [
        f"each character is a block of {height}x{width} entries (rows x columns): "
        f"{_MARK} holds a non-zero entry, {_EMPTY} none",
        rule,
    ]
    lines += ["|" + "".join(_MARK if c else _EMPTY for c in row) + "|" for row in counts]
    lines.append(rule)
    return lines


def pattern_latex(p: SparsityPattern) -> str:
    r"""The pattern as an array of ``\bullet`` (not identically 0) and ``\cdot``, a block of
    entries per cell for a large pattern.

    >>> from jacobi.math.sparse import build, pattern
    >>> print(pattern_latex(pattern(build(2, 2, {(0, 0): 1, (1, 0): 1}))))
    \left[\begin{array}{@{}cc@{}} \bullet & \cdot \\ \bullet & \cdot \end{array}\right]
    """
    if fits(p):
        cells = [[c == _MARK for c in row] for row in marks(p)]
    else:
        cells = [[c > 0 for c in row] for row in sparse.coarse(p, PICTURE_ROWS, PICTURE_COLS)[2]]
    cols = len(cells[0]) if cells else 0
    body = r" \\ ".join(" & ".join(r"\bullet" if c else r"\cdot" for c in row) for row in cells)
    return rf"\left[\begin{{array}}{{@{{}}{'c' * cols}@{{}}}} {body} \end{{array}}\right]"


def sparse_latex(matrix: sympy.MatrixBase, show: Any) -> str:
    r"""The non-zero entries of ``matrix`` as an array of (row, column) and entry, 1-based as
    the text writes them, then ``\text{all other entries are } 0``.

    >>> x = sympy.Symbol("x")
    >>> print(sparse_latex(sparse.build(2, 2, {(1, 0): x}), sympy.latex)[:42])
    \begin{array}{@{}ll@{}} (2, 1) & x \\ \mul
    """
    rows = [f"({i + 1}, {j + 1}) & {show(e)}" for (i, j), e in sparse.nonzero(matrix)]
    rows.append(r"\multicolumn{2}{@{}l@{}}{\text{all other entries are } 0}")
    return r"\begin{array}{@{}ll@{}} " + r" \\ ".join(rows) + r" \end{array}"


def coo(
    matrix: sympy.MatrixBase, numeric: tuple[tuple[float | None, ...], ...] | None = None
) -> dict[str, Any]:
    """``{"rows": [...], "cols": [...], "entries": [...]}``, 0-based, row by row; with
    ``numeric`` (the dense floats of the matrix), their floats too.

    >>> coo(sparse.build(2, 3, {(0, 2): sympy.Symbol("x"), (1, 0): 2}))
    {'rows': [0, 1], 'cols': [2, 0], 'entries': ['x', '2']}
    """
    items = sparse.nonzero(matrix)
    out: dict[str, Any] = {
        "rows": [i for (i, _), _ in items],
        "cols": [j for (_, j), _ in items],
        "entries": [to_text(e) for _, e in items],
    }
    if numeric is not None:
        out["numeric"] = [numeric[i][j] for (i, j), _ in items]
    return out


def pattern_object(p: SparsityPattern) -> dict[str, Any]:
    """The JSON keys of ``jac --sparsity``: ``nnz``, ``density``, ``bandwidth`` and ``coo``
    (0-based indices, no entries)."""
    return {
        "nnz": p.nnz,
        "density": p.density,
        "bandwidth": {"lower": p.lower, "upper": p.upper},
        "coo": {"rows": [i for i, _ in p.keys], "cols": [j for _, j in p.keys]},
    }
