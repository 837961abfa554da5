"""One function per command: plain values in, a :class:`~jacobi.model.Report` out.

The CLI and the batch runner both call these, so a command behaves the same
wherever it is run. No Click, no terminal here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy

from jacobi import core, evaluate
from jacobi.inputs import build_function, build_point
from jacobi.matrixreport import mjac as mjac
from jacobi.model import MatrixBlock, Point, Report, VectorFunction


def component_labels(f: VectorFunction) -> tuple[str, ...]:
    """``f1 … fm`` (just ``f`` for a scalar function)."""
    return ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))


def derivative_labels(f: VectorFunction) -> tuple[str, ...]:
    return tuple(f"∂/∂{v.name}" for v in f.variables)


def entry_namer(block: MatrixBlock) -> Callable[[int, int], str]:
    """Names entry (i, j) of a derivative block as ``∂f2/∂x``, whatever the layout."""

    def name(i: int, j: int) -> str:
        row, col = block.row_labels[i], block.col_labels[j]
        if row.startswith("∂/∂"):  # denominator layout: rows are variables
            row, col = col, row
        return f"∂{row}/{col.removeprefix('∂/')}"

    return name


def _value_block(
    matrix: sympy.ImmutableMatrix, block: MatrixBlock, f: VectorFunction, point: Point
) -> tuple[MatrixBlock, sympy.ImmutableMatrix]:
    """Evaluate ``block`` at ``point`` after checking that ``f`` itself is defined there."""
    value = evaluate.evaluate_matrix(matrix, point, entry_name=entry_namer(block))
    # The derivative of f at a point needs f itself to be defined there (log(x) at x = -1).
    values = point.mapping()
    for label, comp in zip(component_labels(f), f.components, strict=True):
        evaluate.value_at(comp, values, where=f"the function component {label}")
    at = ", ".join(
        f"{v.name} = {val}" for v, val in zip(point.variables, point.values, strict=True)
    )
    return (
        MatrixBlock(
            name=f"{block.name}({', '.join(str(v) for v in point.values)})",
            matrix=value,
            row_labels=block.row_labels,
            col_labels=block.col_labels,
            title=f"at {at}",
        ),
        value,
    )


def jac(
    exprs: Sequence[str],
    *,
    variables: str | Sequence[str] | None = None,
    params: Sequence[str] = (),
    at: str | None = None,
    layout: str = "numerator",
) -> Report:
    """The Jacobian of the function written in ``exprs``, optionally at a point.

    >>> r = jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    """
    core.check_layout(layout)
    f = build_function(exprs, variables=variables, params=params)
    point = build_point(f, at) if at is not None else None
    matrix = core.jacobian(f, layout=layout)
    rows, cols = component_labels(f), derivative_labels(f)
    if layout == "denominator":
        rows, cols = cols, rows
    block = MatrixBlock(name="J", matrix=matrix, row_labels=rows, col_labels=cols, title="Jacobian")
    blocks = [block]
    value = None
    if point is not None:
        value_block, value = _value_block(matrix, block, f, point)
        blocks.append(value_block)
    return Report(
        command="jac",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
    )


#: Every command by name, for the batch runner and other callers that dispatch by name.
#: Each takes the texts of its inputs as keyword arguments and returns a Report.
COMMANDS: dict[str, Callable[..., Report]] = {"jac": jac}

from jacobi.check import check as _check  # noqa: E402  (check builds on jac above)

COMMANDS["check"] = _check
COMMANDS["mjac"] = mjac
