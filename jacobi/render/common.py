"""Helpers shared by the text renderers: entry strings, headers, sparse listings."""

from __future__ import annotations

import sympy

from jacobi.commands.common import components_text
from jacobi.lang.printing import to_text
from jacobi.math import sparse
from jacobi.model import MatrixBlock, Report

#: Matrices with more entries (or columns) than this are listed entry by entry.
DENSE_MAX_ENTRIES = 400
DENSE_MAX_COLS = 12


def is_large(matrix: sympy.MatrixBase) -> bool:
    return bool(matrix.rows * matrix.cols > DENSE_MAX_ENTRIES or matrix.cols > DENSE_MAX_COLS)


def shape_text(matrix: sympy.MatrixBase, times: str = "×") -> str:
    return f"{matrix.rows}{times}{matrix.cols}"


def function_text(report: Report, limit: int = 200) -> str:
    """``f(x, y) = [x + y, x*y]``, cut short for very long systems."""
    f = report.function
    return f"f({', '.join(f.variable_names)}) = {components_text(f, limit)}"


def parameter_text(report: Report) -> str:
    parts = []
    for sym, val in report.function.parameters:
        parts.append(f"{sym.name} = {to_text(val)}" if val is not None else sym.name)
    return ", ".join(parts)


def nonzero_entries(block: MatrixBlock) -> list[tuple[int, int, sympy.Expr]]:
    return [(i, j, e) for (i, j), e in sparse.nonzero(block.matrix)]


def is_numeric(matrix: sympy.MatrixBase) -> bool:
    return not matrix.free_symbols


def entry_label(block: MatrixBlock, i: int, j: int) -> str:
    """A name for entry ``(i, j)`` (see :meth:`jacobi.model.MatrixBlock.entry_label`)."""
    return block.entry_label(i, j)


def report_names(report: Report) -> list[str]:
    """The names declared for ``report``'s function: its variables and parameters."""
    f = report.function
    return [*f.variable_names, *(s.name for s, _ in f.parameters)]
