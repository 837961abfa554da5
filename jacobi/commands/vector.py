"""``jacobi div``: the divergence of a vector field, the trace of its Jacobian.

This module and one entry in :mod:`jacobi.commands.registry` are the whole command:
the CLI, batch, ``jacobi.commands.api.div`` and the docs test come from them.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from jacobi.commands.common import (
    _exact_jacobian,
    _jacobian_block,
    _notes_bounds,
    _scalar,
    _value_block,
    one_function,
)
from jacobi.errors import ShapeError
from jacobi.math.simplify import simplest
from jacobi.model import Point, Report, VectorFunction


@one_function
@_notes_bounds()
def div(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The divergence ∇·f = Σ ∂f_i/∂x_i of f: Rⁿ → Rⁿ (the trace of J).

    >>> from jacobi.commands import api
    >>> api.div(["x*y, y*z, z*x"]).blocks[0].matrix
    Matrix([[x + y + z]])
    >>> api.div(["x^2, x*y"], at="1,2").value
    Matrix([[3]])
    """
    if f.m != f.n:
        raise ShapeError(
            f"the divergence needs as many components as variables (f: Rⁿ → Rⁿ); "
            f"f has {f.m} component{'s' if f.m != 1 else ''} and {f.n} "
            f"variable{'s' if f.n != 1 else ''}",
            hint="give --vars to choose the variables, one per component",
        )
    jac = _jacobian_block(f, "numerator")
    value = simplest(sympy.Add(*(jac.matrix[i, i] for i in range(f.n))))
    blocks = [_scalar("div f", value, "divergence (the trace of J)"), jac]
    result = None
    if point is not None:
        exact = _exact_jacobian(f, "numerator")
        trace = sympy.ImmutableMatrix([[sympy.Add(*(exact[i, i] for i in range(f.n)))]])
        block, result = _value_block(trace, blocks[0], f, point)
        blocks.insert(1, replace(block, scalar=True))
    return Report(
        command="div",
        function=f,
        layout="numerator",
        blocks=tuple(blocks),
        point=point,
        value=result,
    )
