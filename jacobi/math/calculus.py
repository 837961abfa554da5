"""Gradients, Hessians, Jacobian-vector and vector-Jacobian products, linearisations and
inverse Jacobians, in pure SymPy.

Nothing here knows about text, options or terminals: functions take and return
SymPy objects and :mod:`jacobi.model` dataclasses. Every simplification is
bounded by counts (see :mod:`jacobi.math.simplify`), never by seconds.
Determinants, singular sets and the chain rule are in :mod:`jacobi.math.determinant`,
:mod:`jacobi.math.singular` and :mod:`jacobi.math.chain`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy

from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.math import derivatives, evaluate, sparse
from jacobi.math.determinant import determinant, matmul, require_square
from jacobi.math.kinks import clean_matrix
from jacobi.math.simplify import simplest, tidy_matrix
from jacobi.model import Point, VectorFunction

__all__ = [
    "exact_hessian",
    "gradient",
    "hessian",
    "inverse_jacobian",
    "jvp",
    "linearize",
    "taylor2",
    "values_at",
    "vjp",
]


def _require_scalar(f: VectorFunction, what: str) -> None:
    if f.m != 1:
        from jacobi.lang.printing import to_text

        shown = ", ".join(to_text(c) for c in f.components[:3]) + (", ..." if f.m > 3 else "")
        raise ShapeError(
            f"{what} needs a scalar function (one component), but f has {f.m} components ({shown})",
            hint="for a vector function use 'jacobi jac'",
        )


def gradient(
    f: VectorFunction, *, layout: str = "numerator", simplify: bool = True
) -> sympy.ImmutableMatrix:
    """∇fᵀ as a 1×n row (numerator layout, the seeds' convention); ∇f in denominator layout.

    >>> from jacobi import function
    >>> gradient(function("x^2 + y^2 + z^2"))
    Matrix([[2*x, 2*y, 2*z]])
    >>> gradient(function("x*y"), layout="denominator")
    Matrix([
    [y],
    [x]])
    """
    derivatives.check_layout(layout)
    _require_scalar(f, "the gradient")
    return derivatives.jacobian(f, layout=layout, simplify=simplify)


def hessian(f: VectorFunction, *, simplify: bool = True) -> sympy.ImmutableMatrix:
    """The n×n matrix of second derivatives ∂²f/∂x_i∂x_j (symmetric for smooth f).

    Only second derivatives that can be non-zero are computed.

    >>> from jacobi import function
    >>> hessian(function("x^3 + x*y^2"))
    Matrix([
    [6*x, 2*y],
    [2*y, 2*x]])
    """
    _require_scalar(f, "the Hessian")
    matrix = exact_hessian(f)
    shown = clean_matrix(matrix)
    return tidy_matrix(shown) if simplify else shown


def exact_hessian(f: VectorFunction) -> sympy.ImmutableMatrix:
    """The Hessian with the ``DiracDelta`` terms of kinks kept, for values at points.

    >>> from jacobi import function
    >>> exact_hessian(function("abs(x)"))
    Matrix([[2*DiracDelta(x)]])
    """
    _require_scalar(f, "the Hessian")
    grad = derivatives.differentiate(f.components, f.variables)
    return derivatives.differentiate(list(grad), f.variables)


def _check_length(vector: Sequence[sympy.Expr], length: int, what: str, why: str) -> None:
    if len(vector) != length:
        raise ShapeError(
            f"{what} has {len(vector)} entr{'y' if len(vector) == 1 else 'ies'} "
            f"but needs {length} ({why})",
            hint=f"give {length} comma-separated values",
        )


def jvp(
    f: VectorFunction, vector: Sequence[sympy.Expr], *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """The Jacobian-vector product J v (an m×1 column): how f changes along v.

    >>> from jacobi import function
    >>> jvp(function("x+y, x*y"), [1, 2]).T
    Matrix([[3, 2*x + y]])
    """
    f_m, f_n = f.m, f.n
    _check_length(vector, f_n, "the vector v", f"J is {f_m}×{f_n}: v needs one entry per variable")
    column = sympy.ImmutableMatrix(f_n, 1, list(vector))
    out = matmul(derivatives.differentiate(f.components, f.variables), column)
    return tidy_matrix(out) if simplify else out


def vjp(
    f: VectorFunction, vector: Sequence[sympy.Expr], *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """The vector-Jacobian product wᵀ J (a 1×n row): the backward pass of seed 000.

    >>> from jacobi import function
    >>> vjp(function("x+y, x*y"), [1, 2])
    Matrix([[2*y + 1, 2*x + 1]])
    """
    _check_length(vector, f.m, "the vector w", f"J is {f.m}×{f.n}: w needs one entry per component")
    row = sympy.ImmutableMatrix(1, f.m, list(vector))
    out = matmul(row, derivatives.differentiate(f.components, f.variables))
    return tidy_matrix(out) if simplify else out


def _point_where(point: Point) -> str:
    return ", ".join(
        f"{v.name} = {val}" for v, val in zip(point.variables, point.values, strict=True)
    )


def values_at(f: VectorFunction, point: Point) -> sympy.ImmutableMatrix:
    """f(x0) as an m×1 column, or :class:`UndefinedError` naming the component."""
    labels = ["f"] if f.m == 1 else [f"f{i + 1}" for i in range(f.m)]
    values = point.mapping()
    out = []
    for i, (c, label) in enumerate(zip(f.components, labels, strict=True)):
        out.append(evaluate.value_at(c, values, where=f"the component {label}"))
        evaluate.require_guards(f.guards_of(i), values, f"the component {label}")
        # f(x0) is used with J(x0) (linearisation, inverse): x0 must be inside f's domain.
        evaluate.require_interior(c, values, where=f"the component {label}")
    return sympy.ImmutableMatrix(f.m, 1, out)


def _partial_namer(f: VectorFunction) -> Callable[[int, int], str]:
    """Names entry (i, j) of J as ``∂f2/∂x`` in messages."""
    labels = ["f"] if f.m == 1 else [f"f{i + 1}" for i in range(f.m)]
    return lambda i, j: f"∂{labels[i]}/∂{f.variables[j].name}"


def linearize(f: VectorFunction, point: Point) -> sympy.ImmutableMatrix:
    """The affine approximation f(x0) + J(x0)(x − x0), as an m×1 column of expressions in x.

    >>> from jacobi import function, point
    >>> f = function("x*y, x^2")
    >>> linearize(f, point(f, "1,2"))
    Matrix([
    [2*x + y - 2],
    [    2*x - 1]])
    """
    f0 = values_at(f, point)
    jac = derivatives.differentiate(f.components, f.variables)
    j0 = evaluate.evaluate_matrix(jac, point, entry_name=_partial_namer(f))
    shift = sympy.ImmutableMatrix(
        f.n, 1, [v - x0 for v, x0 in zip(f.variables, point.values, strict=True)]
    )
    lin = matmul(j0, shift)
    return sympy.ImmutableMatrix(f.m, 1, [sympy.expand(f0[i] + lin[i]) for i in range(f.m)])


def _second_namer(f: VectorFunction, label: str) -> Callable[[int, int], str]:
    """Names entry (j, k) of the Hessian of component ``label`` as ``∂²f2/∂x∂y``."""
    names = f.variable_names
    return lambda j, k: f"∂²{label}/∂{names[j]}∂{names[k]}"


def taylor2(f: VectorFunction, point: Point) -> tuple[sympy.ImmutableMatrix, ...]:
    """The second-order Taylor polynomial f(x0) + J(x0) dx + ½ dxᵀ H_i(x0) dx of each
    component (dx = x − x0), as an m×1 column of expressions in x, followed by the
    Hessians H_i(x0) of the components.

    >>> from jacobi import function, point
    >>> f = function("exp(x)*y, x*y")
    >>> taylor2(f, point(f, "0,1"))[0]
    Matrix([
    [x**2/2 + x*y + y],
    [             x*y]])
    """
    lin = linearize(f, point)
    shift = [v - x0 for v, x0 in zip(f.variables, point.values, strict=True)]
    out, hessians = [], []
    for i, comp in enumerate(f.components):
        grad = derivatives.differentiate([comp], f.variables)
        h = derivatives.differentiate(list(grad), f.variables)
        label = "f" if f.m == 1 else f"f{i + 1}"
        h0 = evaluate.evaluate_matrix(h, point, entry_name=_second_namer(f, label))
        hessians.append(h0)
        quad = sympy.Add(*(h0[j, k] * shift[j] * shift[k] for (j, k), _ in sparse.nonzero(h0)))
        out.append(sympy.expand(lin[i] + quad / 2))
    return (sympy.ImmutableMatrix(f.m, 1, out), *hessians)


def inverse_jacobian(
    f: VectorFunction, point: Point | None = None, *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """J⁻¹: the Jacobian of the local inverse of f (at f(x0) when a point is given).

    Needs a square Jacobian with det J ≠ 0. Symbolically it is adj(J)/det J,
    each cofactor a determinant computed like :func:`determinant`.

    >>> from jacobi import function, point
    >>> inverse_jacobian(function("r*cos(t), r*sin(t)"))
    Matrix([
    [   cos(t),   sin(t)],
    [-sin(t)/r, cos(t)/r]])
    >>> f = function("x+y, x*y")
    >>> inverse_jacobian(f, point(f, "-1,2"))
    Matrix([
    [1/3,  1/3],
    [2/3, -1/3]])
    """
    require_square(f, "the inverse Jacobian")
    jac = derivatives.differentiate(f.components, f.variables)
    n = f.n
    if point is not None:
        values_at(f, point)
        j0 = evaluate.evaluate_matrix(jac, point, entry_name=_partial_namer(f))
        det0 = determinant(j0).value
        if det0 == 0:
            raise UndefinedError(
                f"J is singular at {_point_where(point)} (det J = 0): "
                "f has no differentiable local inverse there",
                hint="pick a point where det J ≠ 0 ('jacobi det --singular' shows where it is 0)",
            )
        return sympy.ImmutableMatrix(sympy.Matrix(j0).inv())
    det = determinant(jac).value
    if det == 0:
        raise InputError(
            "det J = 0 everywhere: f has no local inverse anywhere",
            hint="the components are functionally dependent",
        )
    out = []
    for i in range(n):
        for j in range(n):
            # (J⁻¹)_ij = (-1)^(i+j) M_ji / det J, with M_ji the minor without row j and column i.
            minor = jac.minor_submatrix(j, i)
            cof = determinant(minor, simplify=False).value if n > 1 else sympy.S.One
            entry = (-1) ** (i + j) * cof / det
            out.append(simplest(entry) if simplify else entry)
    return sympy.ImmutableMatrix(n, n, out)
