"""Values at points: exact substitution, floats alongside, and honest "undefined".

A point where an entry is undefined (division by zero, log of zero, a square
root of a negative number, a kink such as |x| at 0) raises
:class:`~jacobi.errors.UndefinedError` naming the entry and the reason; ``nan``,
``zoo`` or ``oo`` are never returned as if they were values.

Every effort is bounded by counts, never by the clock. The work is split by
concern, each module importing only those before it:

* :mod:`jacobi.math.magnitude`: size bounds, digit limits and the numeric
  classification of constants (:func:`real_sign`, :func:`is_bad`,
  :func:`to_float`, :func:`float_text`);
* :mod:`jacobi.math.substitute`: exact substitution (:func:`substitute`,
  :func:`rebuild`) and why a value is undefined (:func:`undefined_reason`,
  :func:`explain`);
* :mod:`jacobi.math.domain`: one-sided reasoning (:func:`domain_edge`,
  :func:`jump`, :func:`known_within`, kinks read from each side);
* this module: :func:`value_at`, :func:`evaluate_matrix`,
  :func:`require_guards` and :func:`require_interior`.

The names of the lower modules listed above are re-exported here, so
``from jacobi.math.evaluate import substitute`` keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sympy

from jacobi.errors import UndefinedError
from jacobi.math import sparse
from jacobi.math.domain import (
    domain_edge,
    expand_kink_derivatives,
    final_value,
    jump,
    kink_atoms,
    kink_values,
    known_within,
    live_deltas,
    localize,
)
from jacobi.math.magnitude import (
    MAX_VALUE_DIGITS,
    float_text,
    is_bad,
    real_sign,
    to_float,
)
from jacobi.math.substitute import (
    TOTAL_FUNCTIONS,
    Undefined,
    checked_value,
    explain,
    rebuild,
    substitute,
    undefined_reason,
)
from jacobi.model import Point

__all__ = [
    "MAX_VALUE_DIGITS",
    "TOTAL_FUNCTIONS",
    "domain_edge",
    "evaluate_matrix",
    "explain",
    "float_text",
    "is_bad",
    "jump",
    "known_within",
    "real_sign",
    "rebuild",
    "require_guards",
    "require_interior",
    "substitute",
    "to_float",
    "undefined_reason",
    "value_at",
]


def value_at(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    *,
    where: str,
    strict: bool = True,
    directions: Sequence[sympy.Symbol] | None = None,
) -> sympy.Expr:
    """The exact value of ``expr`` at ``values``, or :class:`UndefinedError`.

    ``where`` names the entry for the message, e.g. ``"entry (2, 1) ∂f2/∂x"``.

    With ``strict`` (for a function itself) every sub-expression must be a finite
    real number at the point: ``abs(sqrt(x))`` at -1 is undefined although the
    whole would simplify to 1. Without it (for a derivative formula, as
    :func:`evaluate_matrix` does) pieces that are constant near the point are
    resolved first (``acos(min(1, x))`` at 2 has derivative 0), removable ``0*oo``
    forms are repaired (``x**y*log(x)`` at x = 0, y = 2 is 0), and terms that jump
    at the point (``sign``, ``Heaviside``: derivatives of ``|x|``, ``max``) are
    read from one side at a time along each of ``directions`` (default: every
    symbol of the point); if the sides disagree the derivative does not exist.

    >>> x = sympy.Symbol("x", real=True)
    >>> value_at(sympy.Heaviside(x) + sympy.Heaviside(-x), {x: 0}, where="f", strict=False)
    1
    """
    expr = expand_kink_derivatives(expr)
    _refuse_branch_cut(expr, values, where)
    if strict:
        try:
            return checked_value(expr, values)
        except Undefined as exc:
            raise UndefinedError(f"{where} is undefined at this point: {exc.reason}") from None
    try:
        expr = localize(expr, values, {})
        # A non-real piece means the function itself is not real there.
        checked_value(expr, values, nonreal_only=True)
    except Undefined as exc:
        raise UndefinedError(f"{where} is undefined at this point: {exc.reason}") from None
    expr, deltas = live_deltas(expr, values)
    if deltas:
        from jacobi.lang.printing import to_text

        raise UndefinedError(
            f"{where} does not exist at this point: kink of sign at "
            f"{to_text(deltas[0].args[0])} = 0 ({to_text(deltas[0])} is infinite there)"
        )
    kinks = kink_atoms(expr, values)
    if kinks:
        dirs = list(directions) if directions is not None else sorted(values, key=str)
        found = kink_values(expr, kinks, values, dirs)
        if len(found) > 1 or any(is_bad(v) for v in found):
            from jacobi.lang.printing import to_text

            name = "sign" if isinstance(kinks[0], sympy.sign) else "a max, min or step"
            raise UndefinedError(
                f"{where} does not exist at this point: kink of {name} at "
                f"{to_text(kinks[0].args[0])} = 0",
                hint="the one-sided derivatives differ",
            )
        return found.pop()
    val = final_value(expr, values)
    if is_bad(val):
        raise UndefinedError(f"{where} is undefined at this point: {explain(expr, values)}")
    return val


def _refuse_branch_cut(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], where: str
) -> None:
    """:class:`UndefinedError` if an ``atan2`` of ``expr`` is on its cut (y = 0, x < 0)."""
    branch = [
        a
        for a in sorted(expr.atoms(sympy.atan2), key=sympy.default_sort_key)
        if substitute(a.args[0], values) == 0 and real_sign(substitute(a.args[1], values)) == -1
    ]
    if branch:
        raise UndefinedError(
            f"{where} is undefined at this point: {branch[0]} jumps by 2*pi across "
            "the negative x-axis (y = 0, x < 0)"
        )


def evaluate_matrix(
    matrix: sympy.MatrixBase,
    point: Point,
    *,
    entry_name: Callable[[int, int], str] | None = None,
) -> sympy.ImmutableMatrix:
    """Every entry of ``matrix`` at ``point``, exactly; raises on the first undefined one.

    ``entry_name(i, j)`` names entry (i, j) (0-based) in messages, e.g. ``∂f2/∂x``.
    The entries are derivative formulas: see ``strict=False`` in :func:`value_at`.
    """
    values = point.mapping()
    out = {}
    for (i, j), entry in sparse.nonzero(matrix):  # a zero entry is 0 everywhere
        where = f"entry ({i + 1}, {j + 1})"
        if entry_name is not None:
            where += " " + entry_name(i, j)
        out[i, j] = value_at(entry, values, where=where, strict=False, directions=point.variables)
    return sparse.build(matrix.rows, matrix.cols, out)


def require_guards(
    guards: Sequence[sympy.Expr], values: Mapping[sympy.Symbol, sympy.Expr], where: str
) -> None:
    """Every domain guard of a component (see :attr:`jacobi.model.VectorFunction.guards`)
    must have a real value at ``values``: ``exp(log(x))`` is ``x`` only for x > 0."""
    for guard in guards:
        if guard.free_symbols <= values.keys():
            value_at(guard, values, where=where)
            require_interior(guard, values, where)


def require_interior(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], where: str
) -> None:
    """:class:`UndefinedError` if a partial derivative of ``expr`` does not exist because f
    is defined on one side only or jumps (see :func:`domain_edge`, :func:`jump`)."""
    free = expr.free_symbols
    for var in sorted((v for v in free if v in values), key=lambda v: v.name):
        step = jump(expr, values, var)
        if step is not None:
            raise UndefinedError(
                f"{where} has no derivative in {var.name} at this point: it jumps there ({step})",
                hint="a derivative needs the function to be continuous at the point",
            )
        edge = domain_edge(expr, values, var)
        if edge is not None:
            raise UndefinedError(
                f"{where} has no derivative in {var.name} at this point: it is defined on one "
                f"side only ({edge})",
                hint="a derivative needs the function on both sides of the point",
            )
