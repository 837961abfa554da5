"""The mathematics: Jacobians, in pure SymPy (tidy forms come from :mod:`jacobi.math.simplify`).

Nothing here knows about text, options or terminals. Every function takes and
returns SymPy objects or :mod:`jacobi.model` dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from jacobi import progress
from jacobi.errors import InputError
from jacobi.math import sparse
from jacobi.math.diffrules import derivative
from jacobi.math.kinks import clean_derivative, clean_matrix
from jacobi.math.simplify import tidy_matrix
from jacobi.model import LAYOUTS, VectorFunction

__all__ = ["check_layout", "differentiate", "jacobian", "partial_derivative"]


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise InputError(
            f"unknown layout {layout!r}", hint="use 'numerator' (m×n) or 'denominator' (n×m)"
        )
    return layout


def differentiate(
    components: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]
) -> sympy.ImmutableMatrix:
    """The exact m×n matrix of partial derivatives ∂f_i/∂x_j (numerator layout).

    Exact means: kinks keep their ``DiracDelta`` terms (see :mod:`jacobi.math.kinks`), so
    that a value at a point on a kink is reported undefined; :func:`jacobian` gives
    the form to show, without them.

    Only derivatives that can be non-zero are computed: a component is
    differentiated only with respect to the variables that occur in it, which
    makes large sparse systems cheap.

    >>> from sympy import symbols
    >>> x, y = symbols("x y", real=True)
    >>> differentiate([x + y, x*y], [x, y])
    Matrix([
    [1, 1],
    [y, x]])
    """
    index = {v: j for j, v in enumerate(variables)}
    entries: dict[tuple[int, int], sympy.Expr] = {}
    progress.stage("differentiating", len(components))
    for i, comp in enumerate(components):
        for v, d in _partials(comp):
            j = index.get(v)
            if j is not None:
                entries[i, j] = clean_derivative(d, keep_deltas=True)
        progress.tick()
    return sparse.build(len(components), len(variables), entries)


def _partials(expr: sympy.Expr) -> list[tuple[sympy.Symbol, sympy.Expr]]:
    """``(v, ∂expr/∂v)`` for every symbol ``v`` of ``expr``.

    A sum is differentiated term by term, each term only with respect to its own
    symbols: ``∂/∂v Σ t_k`` is the sum of the ``∂t_k/∂v`` of the terms that contain
    ``v``, in the order of ``expr.args``, as ``diff`` builds it. For a sum of n terms
    in n variables (a Laplacian stencil) that is n derivatives of terms, not n².
    """
    if not isinstance(expr, sympy.Add):
        return [(v, partial_derivative(expr, v)) for v in expr.free_symbols]
    terms: dict[sympy.Symbol, list[sympy.Expr]] = {}
    for term in expr.args:
        for v in term.free_symbols:
            terms.setdefault(v, []).append(term)
    return [(v, sympy.Add(*[partial_derivative(t, v) for t in own])) for v, own in terms.items()]


def partial_derivative(expr: sympy.Expr, v: sympy.Symbol) -> sympy.Expr:
    """``expr.diff(v)``: the same expression (``==``, the same ``.args``), built faster.

    SymPy's ``diff`` goes through ``Derivative`` at every node, which asks whether
    each intermediate result is zero (for sums like ``-2 + exp(u)/10**6`` that
    query costs milliseconds); :func:`jacobi.math.diffrules.derivative` makes the
    same constructor calls without that overhead, and leaves the node types it
    does not know to SymPy.

    >>> from sympy import symbols, exp
    >>> u, w = symbols("u w", real=True)
    >>> partial_derivative(u**2 - 2*u*w + exp(u)/1000, u)
    2*u - 2*w + exp(u)/1000
    """
    return derivative(expr, v)


def jacobian(
    f: VectorFunction,
    *,
    layout: str = "numerator",
    simplify: bool = True,
    keep_deltas: bool = False,
) -> sympy.ImmutableMatrix:
    """The Jacobian of ``f``: entry (i, j) is ∂f_i/∂x_j.

    Parameters
    ----------
    f
        The vector function, with its variable order.
    layout
        ``"numerator"`` (m×n, the default and the seeds' convention) or
        ``"denominator"`` (the n×m transpose).
    simplify
        Tidy each entry with a bounded effort (see :func:`jacobi.math.simplify.tidy`).
    keep_deltas
        Keep the ``DiracDelta`` terms of kinks (for values at points, where they
        make an entry on a kink undefined); by default they are dropped, as the
        derivative is 0 away from the kink (see :mod:`jacobi.math.kinks`).

    Examples
    --------
    >>> from jacobi import function
    >>> jacobian(function("x+y, x*y"))
    Matrix([
    [1, 1],
    [y, x]])
    >>> jacobian(function("r*cos(t), r*sin(t)"))
    Matrix([
    [cos(t), -r*sin(t)],
    [sin(t),  r*cos(t)]])
    >>> jacobian(function("x+y, x*y"), layout="denominator")
    Matrix([
    [1, y],
    [1, x]])
    """
    check_layout(layout)
    matrix = differentiate(f.components, f.variables)
    if not keep_deltas:
        matrix = clean_matrix(matrix)
    if simplify:
        matrix = tidy_matrix(matrix)
    return matrix.T if layout == "denominator" else matrix
