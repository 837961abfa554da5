"""``jacobi jvp`` and ``jacobi vjp``: the products J v and wᵀ J."""

from __future__ import annotations

from jacobi.commands.common import (
    _jacobian_block,
    _notes_bounds,
    _parse_vector,
    _simple_report,
    component_labels,
    derivative_labels,
    one_function,
)
from jacobi.lang.printing import to_text
from jacobi.math import calculus
from jacobi.model import MatrixBlock, Point, Report, VectorFunction


@_notes_bounds()
@one_function
def jvp(f: VectorFunction, point: Point | None, layout: str, vector: str) -> Report:
    """The Jacobian-vector product J v (m×1): the directional derivative of f along v.

    >>> from jacobi.commands import api
    >>> api.jvp(["x+y, x*y"], vector="1, 2", at="-1,2").value.T
    Matrix([[3, 0]])
    """
    v = _parse_vector(vector, f, "--vector")
    out = calculus.jvp(f, v)
    shown = "[" + ", ".join(to_text(e) for e in v) + "]"
    block = MatrixBlock(
        name="J v",
        matrix=out,
        row_labels=component_labels(f),
        col_labels=("J v",),
        title=f"Jacobian-vector product J v, v = {shown}",
    )
    jac_block = _jacobian_block(f, "numerator")
    return _simple_report(
        "jvp", f, block, point, layout, extra=[jac_block], data={"vector": [to_text(e) for e in v]}
    )


@_notes_bounds()
@one_function
def vjp(f: VectorFunction, point: Point | None, layout: str, vector: str) -> Report:
    """The vector-Jacobian product wᵀ J (1×n): one step of reverse-mode differentiation.

    >>> from jacobi.commands import api
    >>> api.vjp(["x+y, x*y"], vector="1, 2", at="-1,2").value
    Matrix([[5, -1]])
    """
    w = _parse_vector(vector, f, "--vector")
    out = calculus.vjp(f, w)
    shown = "[" + ", ".join(to_text(e) for e in w) + "]"
    block = MatrixBlock(
        name="wᵀ J",
        matrix=out,
        row_labels=("wᵀ J",),
        col_labels=derivative_labels(f),
        title=f"vector-Jacobian product wᵀ J, w = {shown}",
    )
    jac_block = _jacobian_block(f, "numerator")
    return _simple_report(
        "vjp", f, block, point, layout, extra=[jac_block], data={"vector": [to_text(e) for e in w]}
    )
