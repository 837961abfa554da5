"""Implicit differentiation: from F(x, y) = 0, dy/dx = −F_y⁻¹ F_x, in pure SymPy.

F: Rⁿ⁺ᵐ → Rᵐ defines y ∈ Rᵐ as a function of x ∈ Rⁿ near every point where F = 0 and
det F_y ≠ 0 (the implicit function theorem); there, differentiating F(x, y(x)) = 0 gives
F_x + F_y y' = 0. Higher derivatives (one independent variable) follow by
differentiating y' = g(x, y) along the curve: y'' = g_x + g_y y'.

Every simplification is bounded by counts (:func:`jacobi.math.simplify.simplest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.math import derivatives, evaluate
from jacobi.math.determinant import determinant, matmul
from jacobi.math.kinks import clean_matrix
from jacobi.math.magnitude import to_float
from jacobi.math.simplify import is_zero, simplest
from jacobi.model import Point, VectorFunction

__all__ = ["MAX_ORDER", "Implicit", "ImplicitAt", "at_point", "implicit", "split"]

#: The highest derivative order ``--order`` gives (each order differentiates the last).
MAX_ORDER = 6


@dataclass(frozen=True)
class Implicit:
    """dy/dx of F(x, y) = 0 and what it is made of.

    ``derivative`` is the m×n matrix −F_y⁻¹ F_x (row i: y_i, column j: x_j);
    ``higher[k]`` the (k + 2)-th derivative, an m×1 column (one independent variable).
    The result holds where ``det_f_y`` (det F_y, or ∂F/∂y for one equation) is not 0.
    """

    dependent: tuple[sympy.Symbol, ...]
    independent: tuple[sympy.Symbol, ...]
    f_x: sympy.ImmutableMatrix
    f_y: sympy.ImmutableMatrix
    det_f_y: sympy.Expr
    derivative: sympy.ImmutableMatrix
    higher: tuple[sympy.ImmutableMatrix, ...] = ()


@dataclass(frozen=True)
class ImplicitAt:
    """The values at a point of the curve: det F_y there, dy/dx and the higher derivatives,
    and ``residual_note``: empty when F = 0 was proved exactly there, else why not."""

    det_f_y: sympy.Expr
    derivative: sympy.ImmutableMatrix
    higher: tuple[sympy.ImmutableMatrix, ...]
    residual_note: str = ""


def split(
    f: VectorFunction, solve_for: Sequence[str]
) -> tuple[tuple[sympy.Symbol, ...], tuple[sympy.Symbol, ...]]:
    """(y, x): the variables solved for, in the order given, and the others, in f's order.

    >>> from jacobi import function
    >>> split(function("x^2 + y^2 - 1"), ["y"])
    ((y,), (x,))
    """
    by_name = {v.name: v for v in f.variables}
    ys = []
    for name in solve_for:
        if name not in by_name:
            raise InputError(
                f"--solve-for names {name}, which is not a variable of F",
                hint=f"the variables are {', '.join(by_name) or 'none'}",
            )
        if by_name[name] in ys:
            raise InputError(f"--solve-for gives {name} twice")
        ys.append(by_name[name])
    if not ys:
        raise InputError("--solve-for is empty", hint="name the dependent variables, e.g. y")
    xs = tuple(v for v in f.variables if v not in ys)
    if len(ys) != f.m:
        raise ShapeError(
            f"F has {f.m} equation{'s' if f.m != 1 else ''} but --solve-for names "
            f"{len(ys)} variable{'s' if len(ys) != 1 else ''} "
            f"({', '.join(y.name for y in ys)}): one equation determines one variable",
            hint="solve for as many variables as there are equations",
        )
    if not xs:
        raise ShapeError(
            "every variable is solved for: there is no independent variable to differentiate by",
            hint="leave at least one variable out of --solve-for",
        )
    return tuple(ys), xs


def _solve(f_y: sympy.MatrixBase, det: sympy.Expr, rhs: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """−F_y⁻¹ rhs, as adj(F_y) rhs / det F_y (each cofactor a determinant), simplified."""
    m = f_y.rows
    if m == 1:
        adj = sympy.ImmutableMatrix([[1]])
    else:
        cof = [
            [
                (-1) ** (i + j) * determinant(f_y.minor_submatrix(j, i), simplify=False).value
                for j in range(m)
            ]
            for i in range(m)
        ]
        adj = sympy.ImmutableMatrix(cof)
    product = matmul(adj, rhs)
    out = [simplest(-product[i, j] / det) for i in range(product.rows) for j in range(product.cols)]
    return sympy.ImmutableMatrix(product.rows, product.cols, out)


def _along(
    g: sympy.ImmutableMatrix, x: sympy.Symbol, ys: Sequence[sympy.Symbol], dy: sympy.ImmutableMatrix
) -> sympy.ImmutableMatrix:
    """d/dx of g(x, y(x)) (an m×1 column): g_x + g_y y'."""
    out = []
    for i in range(g.rows):
        e = g[i, 0]
        total = derivatives.partial_derivative(e, x)
        total += sympy.Add(
            *(derivatives.partial_derivative(e, y) * dy[k, 0] for k, y in enumerate(ys))
        )
        out.append(simplest(sympy.together(total)))
    return sympy.ImmutableMatrix(g.rows, 1, out)


def implicit(f: VectorFunction, ys: Sequence[sympy.Symbol], *, order: int = 1) -> Implicit:
    """dy/dx = −F_y⁻¹ F_x for F(x, y) = 0 (``ys`` solved for, every other variable is x).

    >>> from jacobi import function
    >>> F = function("x^2 + y^2 - 1")
    >>> r = implicit(F, split(F, ["y"])[0], order=2)
    >>> r.derivative, r.det_f_y, r.higher
    (Matrix([[-x/y]]), 2*y, (Matrix([[(-x**2 - y**2)/y**3]]),))
    """
    if not 1 <= order <= MAX_ORDER:
        raise InputError(
            f"--order must be between 1 and {MAX_ORDER}, not {order}",
            hint="1 for dy/dx, 2 for d²y/dx², ...",
        )
    xs = tuple(v for v in f.variables if v not in ys)
    if order > 1 and len(xs) != 1:
        raise ShapeError(
            f"--order {order} needs one independent variable, but F has {len(xs)} "
            f"({', '.join(x.name for x in xs)}): higher derivatives would be tensors",
            hint="give the other variables as parameters (--vars) or use --order 1",
        )
    f_x = clean_matrix(derivatives.differentiate(f.components, xs))
    f_y = clean_matrix(derivatives.differentiate(f.components, list(ys)))
    det = f_y[0, 0] if f.m == 1 else determinant(f_y).value
    det = simplest(det)
    if is_zero(det):
        name = "∂F/∂" + ys[0].name if f.m == 1 else "det F_y"
        raise InputError(
            f"{name} = 0 everywhere: F = 0 does not determine "
            f"{', '.join(y.name for y in ys)} as a function of the other variables",
            hint="solve for variables that F depends on independently",
        )
    dydx = _solve(f_y, det, f_x)
    higher: list[sympy.ImmutableMatrix] = []
    last = dydx
    for _ in range(order - 1):
        last = _along(last, xs[0], ys, dydx)
        higher.append(last)
    return Implicit(tuple(ys), xs, f_x, f_y, det, dydx, tuple(higher))


def _where(point: Point) -> str:
    from jacobi.lang.printing import to_text

    return ", ".join(
        f"{v.name} = {to_text(x)}" for v, x in zip(point.variables, point.values, strict=True)
    )


def _names(point: Point) -> str:
    return ", ".join(v.name for v in point.variables)


def at_point(f: VectorFunction, result: Implicit, point: Point) -> ImplicitAt:
    """The values of ``result`` at ``point``, after checking that F = 0 there and det F_y ≠ 0.

    A point off the curve is an :class:`InputError` giving F there; det F_y = 0 there is an
    :class:`UndefinedError` (the implicit function theorem does not apply).

    >>> from jacobi import function, point
    >>> F = function("x^2 + y^2 - 1")
    >>> r = implicit(F, split(F, ["y"])[0])
    >>> at_point(F, r, point(F, "3/5, 4/5")).derivative
    Matrix([[-3/4]])
    """
    from jacobi.lang.printing import to_text

    values = point.mapping()
    labels = ["F"] if f.m == 1 else [f"F{i + 1}" for i in range(f.m)]
    note = ""
    for i, (label, comp) in enumerate(zip(labels, f.components, strict=True)):
        value = evaluate.value_at(comp, values, where=f"{label}")
        evaluate.require_guards(f.guards_of(i), values, label)
        evaluate.require_interior(comp, values, where=label)
        zero = is_zero(value)
        if zero:
            continue
        num = to_float(value) if not value.free_symbols else None
        if zero is False or value.free_symbols or num is None or abs(num) > 1e-12:
            residual = to_text(value) + (
                f" (about {num:.6g})" if num is not None and not value.is_Rational else ""
            )
            raise InputError(
                f"the point {_where(point)} is not on the curve: {label} = {residual} there, not 0",
                hint=f"give a point where F = 0, its values in the order {_names(point)} or named",
            )
        note = (
            f"{label} = {to_text(value)} there: |{label}| < 1e-12 numerically, but not proved "
            "exactly 0"
        )
    det0 = evaluate.value_at(result.det_f_y, values, where="det F_y", strict=False)
    if det0 == 0:
        name = "∂F/∂" + result.dependent[0].name if f.m == 1 else "det F_y"
        raise UndefinedError(
            f"{name} = 0 at {_where(point)}: the implicit function theorem does not apply there "
            f"({', '.join(y.name for y in result.dependent)} need not be "
            f"{'a differentiable function' if f.m == 1 else 'differentiable functions'} "
            "of the others: a vertical tangent or a singular point)",
            hint=f"pick a point of the curve where {name} ≠ 0",
        )
    fx0 = evaluate.evaluate_matrix(result.f_x, point)
    fy0 = evaluate.evaluate_matrix(result.f_y, point)
    exact = -(sympy.Matrix(fy0).inv() * sympy.Matrix(fx0))
    dydx = sympy.ImmutableMatrix(exact.rows, exact.cols, [simplest(e) for e in exact])
    names = [y.name for y in result.dependent]

    def namer(order: int) -> Callable[[int, int], str]:
        return lambda i, j: f"d^{order}{names[i]}/d{result.independent[0].name}^{order}"

    higher = tuple(
        evaluate.evaluate_matrix(h, point, entry_name=namer(k + 2))
        for k, h in enumerate(result.higher)
    )
    return ImplicitAt(simplest(det0), dydx, higher, note)
