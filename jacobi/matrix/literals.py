"""Matrices of numbers in the matrix language: ``[[1, 2], [4, 7]]`` and ``[1, 2]``.

A literal is a list of rows, each a list of numbers, as NumPy and JSON write
matrices; a flat list is a column vector, as declared vectors are. Every entry is
an exact number of the matrix language (``1/3``, ``-2``, ``pi/4``, ``sqrt(2)``):
the parser reads it as any other scalar and it must come out a constant.

Two spellings from MATLAB would silently mean something else here and are
refused with the fix: ``[1 2]`` (``1 2`` is a product in the matrix language) and
``[1 -2]`` (a difference); commas separate entries. ``;`` is refused by the
tokenizer with the same hint.

>>> from jacobi.matrix.parse import parse_matrix_expression
>>> e = parse_matrix_expression("[[1, 2], [4, 7]]", {})
>>> e.node.shape, e.node.text()
((2, 2), '[[1, 2], [4, 7]]')
>>> parse_matrix_expression("[1/2, sqrt(2)]", {}).node.text()
'[1/2, sqrt(2)]'
"""

from __future__ import annotations

from typing import Any

import sympy

from jacobi.errors import LimitError
from jacobi.matrix import algebra as alg
from jacobi.matrix import nodes as mx

#: The matrix parser (:class:`jacobi.matrix.parse._Parser`), which calls these functions
#: with itself; not imported, so that this module stays below the parser (no cycle).
_Parser = Any

#: Most entries of one literal (as many as a declared symbol may have).
MAX_LITERAL_ENTRIES = 10_000

_ROWS_HINT = "write the rows of a matrix as [[1, 2], [3, 4]], a column vector as [1, 2]"


def _is(p: _Parser, value: str) -> bool:
    return bool(p.tok.kind == "op" and p.tok.value == value)


def read_literal(p: _Parser) -> tuple[mx.Node, int, int]:
    """The literal that starts at ``p``'s ``[``: its node and its columns in the text."""
    start = p.advance().start  # '['
    p.enter()
    p.in_literal += 1
    rows: list[list[sympy.Expr]] = []
    starts: list[int] = []
    if _is(p, "["):
        while True:
            if not _is(p, "["):
                raise p.error("expected '[' to open the next row", hint=_ROWS_HINT)
            starts.append(p.advance().start)
            p.enter()
            rows.append(_entries(p, nested=True))
            p.expect("]", "',' or ']' to close the row")
            p.depth -= 1
            if not _is(p, ","):
                break
            p.advance()
    else:
        starts.append(p.tok.start)
        rows = [[v] for v in _entries(p, nested=False)]
    close = p.expect("]", "',' or ']' to close the matrix")
    p.in_literal -= 1
    p.depth -= 1
    width = len(rows[0])
    for k, row in enumerate(rows):
        if len(row) != width:
            raise p.shape_error(
                f"row {k + 1} of the matrix has {len(row)} entr{'y' if len(row) == 1 else 'ies'} "
                f"but row 1 has {width}",
                starts[k],
                "every row of a matrix has the same length",
            )
    if len(rows) * width > MAX_LITERAL_ENTRIES:
        raise LimitError(
            f"the matrix has {len(rows) * width:,} entries; the limit is {MAX_LITERAL_ENTRIES:,}",
            source=p.text,
            column=start,
        )
    return alg.literal(rows), start, close.end


def _entries(p: _Parser, *, nested: bool) -> list[sympy.Expr]:
    values: list[sympy.Expr] = []
    while True:
        if _is(p, "]"):
            what = "a row" if nested else "a matrix"
            if values:
                raise p.error(f"expected a number after ',' in {what}")
            raise p.error(f"{what} needs at least one number", hint=_ROWS_HINT)
        if _is(p, "["):
            if nested:
                raise p.error("a matrix has rows of numbers: brackets nest two deep at most")
            raise p.error("a matrix is all rows or all numbers, not both", hint=_ROWS_HINT)
        node, s, e = p.sum()
        shown = " ".join(p.text[s:e].split())
        if not node.is_scalar:
            raise p.shape_error(
                f"an entry of a matrix must be a number, not {p.desc(node, s, e)}",
                s,
                "a matrix literal holds numbers; build matrices from symbols with + and products",
            )
        if not isinstance(node, mx.Const):
            raise p.error(
                f"an entry of a matrix must be a number: {shown} is not",
                col=s,
                hint="for a matrix of symbols, declare it: --matrix NAME:MxN",
            )
        p.check_real(node.value, shown, s)
        values.append(node.value)
        if not _is(p, ","):
            return values
        p.advance()


def refuse_spaced_sign(p: _Parser) -> None:
    """``[1 -2]`` inside a literal: MATLAB's two entries, a difference here; refused."""
    op = p.tok
    before = p.tokens[p.i - 1]
    after = p.peek()
    if op.start > before.end and after.start == op.end and after.kind != "end":
        sign = op.value
        raise p.error(
            f"'{sign}' with a space before it and none after is ambiguous in a matrix",
            hint=f"separate entries with commas (1, {sign}2), or write 1 {sign} 2 for one entry",
        )


def refuse_juxtaposed(p: _Parser) -> None:
    """``[1 2]`` inside a literal: entries are separated by commas, never by spaces."""
    if p.tok.kind == "num" or _is(p, "["):
        raise p.error("entries of a matrix are separated by commas", hint="write [1, 2], not [1 2]")
