"""Vector calculus from the Jacobian: curl (from J − Jᵀ), the Laplacian (tr H) and the
Wronskian, in pure SymPy. (The divergence, tr J, is built in :mod:`jacobi.commands.vector`.)

Each function returns the exact form (the ``DiracDelta`` terms of kinks kept, for values at
points, see :mod:`jacobi.math.kinks`); :func:`shown` gives the form to print.
"""

from __future__ import annotations

import sympy

from jacobi.errors import ShapeError
from jacobi.math import derivatives
from jacobi.math.kinks import clean_matrix
from jacobi.math.simplify import simplest
from jacobi.model import VectorFunction

__all__ = ["antisymmetric_part", "curl", "laplacian", "shown", "wronskian_matrix"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def antisymmetric_part(f: VectorFunction) -> sympy.ImmutableMatrix:
    """J − Jᵀ (exact): entry (i, j) is ∂f_i/∂x_j − ∂f_j/∂x_i.

    >>> from jacobi import function
    >>> antisymmetric_part(function("-y, x"))
    Matrix([
    [0, -2],
    [2,  0]])
    """
    jac = derivatives.differentiate(f.components, f.variables)
    return sympy.ImmutableMatrix(jac - jac.T)


def curl(f: VectorFunction) -> sympy.ImmutableMatrix:
    """∇×f of a field f: R³ → R³ as a 3×1 column, read off J − Jᵀ; for a plane field
    f: R² → R² the scalar curl ∂f2/∂x − ∂f1/∂y (a 1×1 matrix).

    (∇×f)_x = (J − Jᵀ)[3, 2], (∇×f)_y = (J − Jᵀ)[1, 3], (∇×f)_z = (J − Jᵀ)[2, 1].

    >>> from jacobi import function
    >>> curl(function("y*z, x*z, x*y")).T  # a gradient field: curl 0
    Matrix([[0, 0, 0]])
    >>> curl(function("-y, x, 0", variables="x,y,z")).T
    Matrix([[0, 0, 2]])
    >>> curl(function("-y, x"))
    Matrix([[2]])
    """
    if f.m != f.n or f.n not in (2, 3):
        raise ShapeError(
            f"the curl needs a field in 3 (or 2) dimensions, as many components as variables; "
            f"f has {_plural(f.m, 'component')} and {_plural(f.n, 'variable')}",
            hint="give --vars to choose the variables, e.g. --vars x,y,z",
        )
    a = antisymmetric_part(f)
    if f.n == 2:
        return sympy.ImmutableMatrix([[a[1, 0]]])
    return sympy.ImmutableMatrix([[a[2, 1]], [a[0, 2]], [a[1, 0]]])


def laplacian(f: VectorFunction) -> sympy.ImmutableMatrix:
    """Δf = Σ ∂²f/∂x_i² (the trace of the Hessian) of each component, an m×1 column.

    >>> from jacobi import function
    >>> laplacian(function("x^2 + y^2 + z^2"))
    Matrix([[6]])
    >>> laplacian(function("exp(x)*sin(y), x^3")).T
    Matrix([[0, 6*x]])
    """
    if f.n == 0:
        raise ShapeError("the Laplacian needs at least one variable; f has none")
    out = []
    for comp in f.components:
        first = derivatives.differentiate([comp], f.variables)
        terms = [
            derivatives.differentiate([first[0, j]], [v])[0, 0] for j, v in enumerate(f.variables)
        ]
        out.append(sympy.Add(*terms))
    return sympy.ImmutableMatrix(f.m, 1, out)


def wronskian_matrix(f: VectorFunction) -> sympy.ImmutableMatrix:
    """The n×n matrix of the Wronskian of the components f_1 … f_n of one variable x:
    row i holds the i-th derivatives (row 0 the functions themselves).

    >>> from jacobi import function
    >>> wronskian_matrix(function("sin(x), cos(x)"))
    Matrix([
    [sin(x),  cos(x)],
    [cos(x), -sin(x)]])
    """
    if f.n != 1:
        names = ", ".join(f.variable_names) or "none"
        raise ShapeError(
            f"the Wronskian needs functions of one variable, but f has "
            f"{_plural(f.n, 'variable')} ({names})",
            hint="give --vars x to make the other names parameters",
        )
    x = f.variables[0]
    rows = [list(f.components)]
    for _ in range(f.m - 1):
        rows.append([derivatives.differentiate([e], [x])[0, 0] for e in rows[-1]])
    return sympy.ImmutableMatrix(rows)


def shown(matrix: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The form to print of an exact result: kinks' delta terms dropped, each entry
    simplified with a bounded effort (:func:`jacobi.math.simplify.simplest`)."""
    clean = clean_matrix(matrix)
    return sympy.ImmutableMatrix(
        clean.rows, clean.cols, [e if e.is_Atom else simplest(e) for e in clean]
    )
