"""The mathematics: Jacobians and tidy forms, in pure SymPy.

Nothing here knows about text, options or terminals. Every function takes and
returns SymPy objects or :mod:`jacobi.model` dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from jacobi.errors import InputError
from jacobi.limits import Deadline, Interrupted, soft_limit
from jacobi.model import LAYOUTS, VectorFunction

#: Entries with more operations than this are left as SymPy's derivative gives them:
#: simplifying large expressions is where CAS tools spend unbounded time.
TIDY_MAX_OPS = 60
#: Total wall-clock budget (seconds) for tidying all entries of one result.
TIDY_BUDGET = 2.0
#: Results with more non-trivial entries than this are not tidied at all.
TIDY_MAX_ENTRIES = 400
#: Budget for one entry: a single awkward factorisation must not eat the whole budget.
TIDY_ENTRY_BUDGET = 0.5

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot)


def _size(expr: sympy.Basic) -> tuple[int, int]:
    return (int(sympy.count_ops(expr)), len(str(expr)))


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """A readable, equivalent form of ``expr``, found with bounded effort.

    Tries a few cheap rewrites (common factors, one fraction, factorisation of
    rational functions, trigonometric identities) and keeps the shortest; the
    input wins ties so derivatives stay as written. Large expressions are
    returned unchanged.

    Examples
    --------
    >>> from sympy import symbols, sin, cos
    >>> r, t = symbols("r t", real=True)
    >>> tidy(r*cos(t)**2 + r*sin(t)**2)
    r
    >>> x, y = symbols("x y", real=True)
    >>> tidy(y/(x**2 + y**2) - 2*x**2*y/(x**2 + y**2)**2)
    y*(-x**2 + y**2)/(x**2 + y**2)**2
    """
    if expr.is_Atom or not isinstance(expr, sympy.Expr):
        return expr
    best = expr
    best_size = _size(expr)
    if best_size[0] > TIDY_MAX_OPS:
        return expr

    functions = expr.atoms(sympy.Function)

    def consider(candidate: sympy.Expr) -> None:
        nonlocal best, best_size
        # A shorter form that needs new function applications (cos(3*t), sin(s + pi/4))
        # reads worse than the one the user's own functions give.
        if not candidate.atoms(sympy.Function) <= functions:
            return
        size = _size(candidate)
        if size < best_size:
            best, best_size = candidate, size

    consider(sympy.factor_terms(expr))
    if expr.is_rational_function():
        num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
        consider(sympy.factor_terms(sympy.expand(num)) / sympy.factor(den))
        consider(sympy.factor(sympy.cancel(expr)))
    else:
        consider(sympy.factor_terms(sympy.together(expr)))
    if expr.has(*_TRIG):
        consider(sympy.trigsimp(expr))
        consider(sympy.factor_terms(sympy.trigsimp(sympy.expand(expr))))
    return best


def tidy_matrix(matrix: sympy.MatrixBase, budget: float = TIDY_BUDGET) -> sympy.ImmutableMatrix:
    """Apply :func:`tidy` to the non-zero entries until ``budget`` seconds are spent.

    Each entry also has its own budget (``TIDY_ENTRY_BUDGET``): one awkward
    factorisation keeps SymPy's form rather than hold up the rest. Results with
    more than ``TIDY_MAX_ENTRIES`` non-trivial entries are returned as they are.
    """
    entries = [(key, e) for key, e in matrix.todok().items() if not e.is_Atom]
    if len(entries) > TIDY_MAX_ENTRIES:
        # A system this large is read entry by entry in a listing, where SymPy's form is
        # as readable; the budget would be spent without shortening anything.
        return sympy.ImmutableMatrix(matrix)
    deadline = Deadline(budget)
    cache: dict[sympy.Expr, sympy.Expr] = {}
    flat = list(matrix.flat()) if hasattr(matrix, "flat") else list(matrix)
    cols = matrix.cols
    # todok() lists only the non-zero entries, so a sparse 1000×1000 Jacobian costs
    # its non-zeros, not a million element look-ups.
    for (i, j), entry in entries:
        if entry not in cache:
            if deadline.expired():
                break
            try:
                with soft_limit(min(TIDY_ENTRY_BUDGET, deadline.remaining())):
                    cache[entry] = tidy(entry)
            except Interrupted:
                cache[entry] = entry  # keep SymPy's form rather than wait
        flat[i * cols + j] = cache[entry]
    return sympy.ImmutableMatrix(matrix.rows, cols, flat)


def check_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise InputError(
            f"unknown layout {layout!r}", hint="use 'numerator' (m×n) or 'denominator' (n×m)"
        )
    return layout


def differentiate(
    components: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]
) -> sympy.ImmutableMatrix:
    """The raw m×n matrix of partial derivatives ∂f_i/∂x_j (numerator layout).

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
    n = len(variables)
    index = {v: j for j, v in enumerate(variables)}
    flat: list[sympy.Expr] = [sympy.S.Zero] * (len(components) * n)
    for i, comp in enumerate(components):
        for v in comp.free_symbols:
            j = index.get(v)
            if j is not None:
                flat[i * n + j] = partial_derivative(comp, v)
    return sympy.ImmutableMatrix(len(components), n, flat)


def partial_derivative(expr: sympy.Expr, v: sympy.Symbol) -> sympy.Expr:
    """``expr.diff(v)``, term by term for a sum, skipping terms without ``v``.

    The same result as ``diff`` (which differentiates a sum term by term too),
    but SymPy's ``Derivative`` then asks whether the whole sum is zero, and for
    sums like ``-2 + exp(u)/10**6`` that query costs milliseconds: on a
    1000-equation system it is most of the time.

    >>> from sympy import symbols, exp
    >>> u, w = symbols("u w", real=True)
    >>> partial_derivative(u**2 - 2*u*w + exp(u)/1000, u)
    2*u - 2*w + exp(u)/1000
    """
    if isinstance(expr, sympy.Add):
        return sympy.Add(*[term.diff(v) for term in expr.args if v in term.free_symbols])
    return expr.diff(v)


def jacobian(
    f: VectorFunction, *, layout: str = "numerator", simplify: bool = True
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
        Tidy each entry with a bounded effort (see :func:`tidy`).

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
    if simplify:
        matrix = tidy_matrix(matrix)
    return matrix.T if layout == "denominator" else matrix
