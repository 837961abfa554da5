"""Derivatives of kinked functions: 0 away from the kink, undefined on it.

``sign``, ``Heaviside`` (and so ``|x|``, ``max``, ``min``, ``relu`` through their
derivatives) are piecewise constant or piecewise linear. SymPy writes their
derivatives with ``DiracDelta`` (the Hessian of ``|x|`` is ``2*DiracDelta(x)``),
or leaves them unevaluated (``Derivative(sign(1/x), x)``) when it cannot tell
that the argument is real. Neither reads back as an answer. jacobi's decision:

* away from a kink the derivative of ``sign(g)`` and ``Heaviside(g)`` is 0, so
  :func:`clean_derivative` drops every ``DiracDelta`` term and rewrites every
  unevaluated derivative of a kinked function;
* at a point on a kink (g = 0) the entry is undefined: evaluation at a point
  uses the derivative *before* cleaning (``keep_deltas=True`` keeps the delta
  terms), and :func:`jacobi.math.evaluate.value_at` reports
  ``kink of sign at x = 0`` there (a delta with a vanishing coefficient, as in
  the derivative of ``x**2*sign(x)`` at 0, is no kink).
"""

from __future__ import annotations

import sympy

from jacobi.math import sparse

_KINKED = (sympy.sign, sympy.Heaviside, sympy.DiracDelta)


def _kink_derivative(d: sympy.Derivative) -> sympy.Expr | None:
    """``Derivative(sign(g), x, ...)`` as delta terms; ``None`` if not of that form."""
    inner = d.expr
    if not isinstance(inner, _KINKED):
        return None
    g = inner.args[0]
    if isinstance(inner, sympy.sign):
        first_order: sympy.Expr = 2 * sympy.DiracDelta(g)
    elif isinstance(inner, sympy.Heaviside):
        first_order = sympy.DiracDelta(g)
    else:
        order = inner.args[1] if len(inner.args) > 1 else 0
        first_order = sympy.DiracDelta(g, order + 1)
    variables = list(d.variables)
    out = first_order * g.diff(variables[0])
    for v in variables[1:]:
        out = out.diff(v)
    return out


def clean_derivative(expr: sympy.Expr, *, keep_deltas: bool = False) -> sympy.Expr:
    """``expr`` (a derivative) with the kink terms of sign and Heaviside resolved.

    Unevaluated ``Derivative(sign(g), x)`` (and of ``Heaviside``, ``DiracDelta``)
    becomes its delta form; then, unless ``keep_deltas``, every ``DiracDelta``
    term is dropped: it is 0 away from the kink, and on the kink the entry is
    undefined anyway (see the module notes). Everything else is left as it is.

    Examples
    --------
    >>> x = sympy.Symbol("x", real=True)
    >>> clean_derivative(sympy.sign(1 / x).diff(x))
    0
    >>> clean_derivative(sympy.Abs(x).diff(x, 2))
    0
    >>> clean_derivative(sympy.Abs(x).diff(x) + x**2)
    x**2 + sign(x)
    >>> clean_derivative(sympy.sign(1 / x).diff(x), keep_deltas=True)
    -2*DiracDelta(1/x)/x**2
    """
    if expr.has(sympy.Derivative):
        found = {d: _kink_derivative(d) for d in expr.atoms(sympy.Derivative)}
        expr = expr.xreplace({d: e for d, e in found.items() if e is not None})
    if expr.has(sympy.Subs):
        # By Heaviside's second argument (its value at 0, heaviside(x, 1/x)) the derivative
        # is Subs(Derivative(Heaviside(x, _xi), _xi), _xi, 1/x), 0 away from the kink once
        # cleaned above: Subs(0, ...), which neither reads back nor evaluates at a point.
        expr = expr.xreplace({s: s.doit() for s in expr.atoms(sympy.Subs)})
    if not keep_deltas and expr.has(sympy.DiracDelta):
        expr = expr.xreplace({d: sympy.S.Zero for d in expr.atoms(sympy.DiracDelta)})
    return expr


def clean_matrix(matrix: sympy.MatrixBase, *, keep_deltas: bool = False) -> sympy.ImmutableMatrix:
    """:func:`clean_derivative` applied to every entry of ``matrix``.

    >>> x = sympy.Symbol("x", real=True)
    >>> clean_matrix(sympy.Matrix([[sympy.Abs(x).diff(x, 2), sympy.sign(x)]]))
    Matrix([[0, sign(x)]])
    """
    return sparse.apply(matrix, lambda e: clean_derivative(e, keep_deltas=keep_deltas))
