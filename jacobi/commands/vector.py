"""``jacobi div``, ``curl``, ``laplacian`` and ``wronskian``: vector calculus from J and H.

``div`` is the trace of J, ``curl`` is read off J − Jᵀ, ``laplacian`` is the trace of the
Hessian, ``wronskian`` the determinant of the functions' derivatives (the mathematics of the
last three is :mod:`jacobi.math.vector`). Each is a build function here and one entry in
:mod:`jacobi.commands.registry`: the CLI, batch, ``jacobi.commands.api`` and the docs test
come from them.
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
    component_labels,
    derivative_labels,
    one_function,
)
from jacobi.errors import ShapeError
from jacobi.lang.printing import to_text
from jacobi.math import calculus
from jacobi.math import vector as vmath
from jacobi.math.determinant import determinant
from jacobi.math.simplify import is_zero, simplest
from jacobi.model import MatrixBlock, Point, Report, VectorFunction


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


def _axis_block(f: VectorFunction, matrix: sympy.ImmutableMatrix) -> MatrixBlock:
    names = f.variable_names
    return MatrixBlock(
        name="J - Jᵀ",
        matrix=matrix,
        row_labels=names,
        col_labels=names,
        title="J - Jᵀ (entry i, j: ∂f_i/∂x_j - ∂f_j/∂x_i)",
    )


def _with_value(
    command: str,
    f: VectorFunction,
    point: Point | None,
    exact: sympy.ImmutableMatrix,
    blocks: list[MatrixBlock],
    facts: tuple[tuple[str, str], ...] = (),
) -> Report:
    """The report of a result ``blocks[0]`` (exact form ``exact``), valued at ``point``."""
    result = None
    if point is not None:
        block, result = _value_block(exact, blocks[0], f, point)
        blocks.insert(1, replace(block, scalar=blocks[0].scalar))
    return Report(
        command=command,
        function=f,
        layout="numerator",
        blocks=tuple(blocks),
        point=point,
        value=result,
        facts=facts,
    )


@one_function
@_notes_bounds()
def curl(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The curl ∇×f of f: R³ → R³, from the antisymmetric part J − Jᵀ (for f: R² → R², the
    scalar ∂f2/∂x − ∂f1/∂y).

    >>> from jacobi.commands import api
    >>> api.curl(["-y, x, 0"], variables="x,y,z").blocks[0].matrix.T
    Matrix([[0, 0, 2]])
    >>> api.curl(["x*y, x^2"], at="1,2").value
    Matrix([[1]])
    """
    exact = vmath.curl(f)
    value = vmath.shown(exact)
    if f.n == 2:
        main = _scalar("curl f", value[0, 0], "curl (the scalar ∂f2/∂x - ∂f1/∂y, from J - Jᵀ)")
    else:
        main = MatrixBlock(
            name="curl f",
            matrix=value,
            row_labels=f.variable_names,
            col_labels=("curl f",),
            title="curl (from J - Jᵀ)",
        )
    blocks = [
        main,
        _axis_block(f, vmath.shown(vmath.antisymmetric_part(f))),
        _jacobian_block(f, "numerator"),
    ]
    zero = all(e == 0 for e in value)
    facts = (
        (
            (
                "note",
                "curl f = 0: f is irrotational (a gradient field where its domain has no holes)",
            ),
        )
        if zero
        else ()
    )
    return _with_value("curl", f, point, exact, blocks, facts)


@one_function
@_notes_bounds()
def laplacian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Laplacian Δf = Σ ∂²f/∂x_i², the trace of the Hessian (of each component).

    >>> from jacobi.commands import api
    >>> api.laplacian(["x^2*y + y^3"]).blocks[0].matrix
    Matrix([[8*y]])
    >>> api.laplacian(["x^2 - y^2, x*y*z"], at="1,2,3").value.T
    Matrix([[0, 0]])
    """
    exact = vmath.laplacian(f)
    value = vmath.shown(exact)
    title = "Laplacian (the trace of the Hessian)"
    if f.m == 1:
        main = _scalar("laplacian f", value[0, 0], title)
        labels = derivative_labels(f)
        extra = [
            MatrixBlock(
                name="H",
                matrix=calculus.hessian(f),
                row_labels=labels,
                col_labels=labels,
                title="Hessian",
            )
        ]
    else:
        main = MatrixBlock(
            name="laplacian f",
            matrix=value,
            row_labels=component_labels(f),
            col_labels=("laplacian",),
            title=f"{title}, of each component",
        )
        extra = []
    zero = all(e == 0 for e in value)
    facts = (("note", "laplacian f = 0: f is harmonic"),) if zero else ()
    return _with_value("laplacian", f, point, exact, [main, *extra], facts)


def _unless(w: sympy.Expr, f: VectorFunction) -> str:
    """`` (for parameter values where W is not 0)`` when W depends on parameters."""
    return " (for parameter values where W is not 0)" if w.free_symbols - set(f.variables) else ""


def _derivative_label(k: int) -> str:
    return "f" if k == 0 else ("f" + "'" * k if k <= 3 else f"f^({k})")


@one_function
@_notes_bounds()
def wronskian(f: VectorFunction, point: Point | None, layout: str) -> Report:
    """The Wronskian W(f_1, …, f_n) = det [f_j^(i)] of n functions of one variable.

    >>> from jacobi.commands import api
    >>> api.wronskian(["sin(x), cos(x)"]).blocks[0].matrix
    Matrix([[-1]])
    >>> api.wronskian(["1, x, x^2"], at="5").value
    Matrix([[2]])
    """
    exact = vmath.wronskian_matrix(f)
    matrix = vmath.shown(exact)
    w = determinant(matrix).value
    main = _scalar("W", w, f"Wronskian of {f.m} function{'s' if f.m != 1 else ''}")
    table = MatrixBlock(
        name="Wronskian matrix",
        matrix=matrix,
        row_labels=tuple(_derivative_label(k) for k in range(f.m)),
        col_labels=component_labels(f),
        title="Wronskian matrix (row i: the i-th derivatives)",
    )
    blocks = [main, table]
    result = None
    facts: tuple[tuple[str, str], ...] = ()
    if point is not None:
        at_matrix, _ = _value_block(exact, table, f, point)
        result = sympy.ImmutableMatrix([[simplest(determinant(at_matrix.matrix).value)]])
        where = ", ".join(
            f"{v.name} = {to_text(x)}" for v, x in zip(point.variables, point.values, strict=True)
        )
        blocks.insert(1, _scalar(f"W({to_text(point.values[0])})", result[0, 0], f"at {where}"))
    zero = is_zero(w)
    if zero:
        facts = (
            (
                "note",
                "W = 0 identically: linearly dependent functions have W = 0, but W = 0 alone "
                "does not prove dependence (x^2 and x*abs(x))",
            ),
        )
    elif f.m > 1 and (zero is False or (result is not None and result[0, 0] != 0)):
        why = "W is not identically 0" if zero is False else "W is not 0 at the point"
        facts = (("note", f"{why}: the functions are linearly independent{_unless(w, f)}"),)
    return Report(
        command="wronskian",
        function=f,
        layout="numerator",
        blocks=tuple(blocks),
        point=point,
        value=result,
        facts=facts,
    )
