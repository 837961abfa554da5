"""``jacobi jac``: the Jacobian matrix, at a point, or its inverse (``--inverse``)."""

from __future__ import annotations

from jacobi.commands.common import (
    _args,
    _exact_jacobian,
    _notes_bounds,
    _transposed,
    _value_block,
    _where,
    component_labels,
    derivative_labels,
    one_function,
)
from jacobi.lang.printing import to_text
from jacobi.math import calculus, derivatives
from jacobi.math.simplify import too_large
from jacobi.model import MatrixBlock, Point, Report, VectorFunction


@one_function
def jac(f: VectorFunction, point: Point | None, layout: str, inverse: bool) -> Report:
    """The Jacobian of the function written in ``exprs`` (or its inverse), optionally at a point.

    >>> from jacobi.commands import api
    >>> r = api.jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    >>> api.jac(["x+y, x*y"], at="-1,2", inverse=True).value
    Matrix([
    [1/3,  1/3],
    [2/3, -1/3]])
    """
    build = jac_inverse if inverse else jacobian
    return build(f, point, layout)


@_notes_bounds()
def jacobian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Jacobian of ``f``, and its value at ``point`` when there is one.

    >>> from jacobi.commands import api
    >>> r = api.jac(["x+y, x*y"], at="-1,2")
    >>> r.blocks[0].matrix, r.value
    (Matrix([
    [1, 1],
    [y, x]]), Matrix([
    [1,  1],
    [2, -1]]))
    """
    matrix = derivatives.jacobian(f, layout=layout)
    rows, cols = component_labels(f), derivative_labels(f)
    if layout == "denominator":
        rows, cols = cols, rows
    block = MatrixBlock(name="J", matrix=matrix, row_labels=rows, col_labels=cols, title="Jacobian")
    blocks = [block]
    value = None
    if point is not None:
        value_block, value = _value_block(_exact_jacobian(f, layout), block, f, point)
        blocks.append(value_block)
    return Report(
        command="jac",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
    )


@_notes_bounds(too_large)
def jac_inverse(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """J⁻¹, the Jacobian of the local inverse of f (square J with det J ≠ 0).

    See :func:`jac` (``inverse=True``) for an example.
    """
    inv = calculus.inverse_jacobian(f)
    rows = tuple(f.variable_names)
    cols = tuple(f"∂/∂{label}" for label in component_labels(f))
    block = MatrixBlock(
        name="J⁻¹",
        matrix=inv,
        row_labels=rows,
        col_labels=cols,
        title="inverse Jacobian J⁻¹ (the Jacobian of the local inverse)",
    )
    blocks = [block]
    value = None
    if point is not None:
        value = calculus.inverse_jacobian(f, point)
        image = calculus.values_at(f, point)
        fx0 = ", ".join(to_text(e) for e in image)
        blocks.append(
            MatrixBlock(
                name=f"J⁻¹({_args(point)})",
                matrix=value,
                row_labels=rows,
                col_labels=cols,
                title=f"at {_where(point)}: the Jacobian of f⁻¹ at f = ({fx0})",
            )
        )
    if layout == "denominator":
        blocks = [_transposed(b) for b in blocks]
        value = value.T if value is not None else None
    return Report(
        command="inverse",
        function=f,
        layout=layout,
        blocks=tuple(blocks),
        point=point,
        value=value,
    )
