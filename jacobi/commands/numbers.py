"""Numbers beside exact results: computed here, once, so that renderers only format.

>>> from jacobi.commands import api
>>> api.jac(["sin(x) y"], at="y=1/3, x=pi/4").blocks[1].floats
(('0.235702260396', '0.707106781187'),)
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from jacobi.math import sparse
from jacobi.math.magnitude import float_text, to_float
from jacobi.model import MatrixBlock, Report


def needs_floats(matrix: sympy.MatrixBase) -> bool:
    """Whether a float rendering adds information: a numeric matrix with a non-integer."""
    if matrix.free_symbols:
        return False
    return any(not e.is_Integer for _, e in sparse.nonzero(matrix))


def block_floats(block: MatrixBlock) -> MatrixBlock:
    """``block`` with its :attr:`~jacobi.model.MatrixBlock.floats`, where they add something."""
    m = block.matrix
    if block.floats is not None or not needs_floats(m):
        return block
    rows = tuple(tuple(row) for row in sparse.strings(m, float_text))
    return replace(block, floats=rows)


def with_numbers(report: Report) -> Report:
    """``report`` with the floats of every numeric block and of its value."""
    numeric = report.numeric
    if report.value is not None and numeric is None:
        v = report.value
        zero = to_float(sympy.S.Zero)
        table = [[zero] * v.cols for _ in range(v.rows)]
        for (i, j), e in sparse.nonzero(v):
            table[i][j] = to_float(e)
        numeric = tuple(tuple(row) for row in table)
    return replace(report, blocks=tuple(block_floats(b) for b in report.blocks), numeric=numeric)
