"""One-sided reasoning at a point: domain edges, jumps, and kinks read from each side.

A partial derivative needs the function on both sides of the point along its
variable. :func:`domain_edge` finds pieces exactly on the edge of their real
domain (``x**pi`` at x = 0), :func:`jump` finds steps of ``sign`` and
``Heaviside``; both try the point moved by ±10⁻³⁰ (exactly). For derivative
formulas, :func:`localize` replaces each piecewise piece by its branch near the
point, and :func:`side_values` reads the remaining kinks from each side.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import sympy

from jacobi.errors import LimitError
from jacobi.math.magnitude import is_bad, numeric, real_sign
from jacobi.math.substitute import checked_value, substitute

#: Step (exact) used to find on which side of a kink a nearby point lies.
_SIDE_STEP = sympy.Rational(1, 10**30)
KINKS = (sympy.sign, sympy.Heaviside)


def known_within(arg: sympy.Expr, low: int, high: int | None) -> bool:
    """Whether SymPy can tell that ``low <= arg (<= high)`` for every real value.

    Asked only of small arguments (assumption queries are cheap there).
    """
    if sympy.count_ops(arg) > 40:
        return False
    bounded = (sympy.sin, sympy.cos, sympy.tanh, sympy.erf)
    if isinstance(arg, bounded) and low <= -1 and (high is None or high >= 1):
        return True
    if not (arg - low).is_nonnegative:
        return False
    return high is None or bool((high - arg).is_nonnegative)


#: How far a point is moved to see whether f is defined on both sides of it (exact).
_EDGE_STEP = sympy.Rational(1, 10**30)


def _edge_candidates(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]
) -> list[tuple[sympy.Expr, str]]:
    """Pieces of ``expr`` exactly on the edge of their real domain at ``values``, and why."""
    from jacobi.lang.printing import to_text

    found: list[tuple[sympy.Expr, str]] = []
    for sub in sympy.preorder_traversal(expr):
        if not sub.args or not (sub.free_symbols & values.keys()):
            continue
        if isinstance(sub, sympy.Pow) and not sub.exp.is_integer:
            base = sub.base
            if substitute(base, values) == 0 and not known_within(base, 0, None):
                b = to_text(base)
                found.append((sub, f"{to_text(sub)} is real only where {b} >= 0, and {b} = 0 here"))
        elif isinstance(sub, (sympy.asin, sympy.acos)):
            arg = sub.args[0]
            v = substitute(arg, values)
            if v in (1, -1) and not known_within(arg, -1, 1):
                a, t = to_text(arg), to_text(sub)
                found.append((sub, f"{t} is real only where -1 <= {a} <= 1, and {a} = {v} here"))
        elif isinstance(sub, sympy.acosh):
            arg = sub.args[0]
            if substitute(arg, values) == 1 and not known_within(arg, 1, None):
                a = to_text(arg)
                found.append((sub, f"{to_text(sub)} is real only where {a} >= 1, and {a} = 1 here"))
    return found


def domain_edge(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], var: sympy.Symbol
) -> str | None:
    """Why ``expr`` is defined on one side only of ``values`` along ``var``, or ``None``.

    A partial derivative in ``var`` needs f on both sides along ``var``. At x = 0,
    ``x**pi`` is 0 but has no real value for x < 0; ``acos(z)`` at z = -1 has none
    for z < -1. Each piece on the edge of its domain is tried at the point moved by
    ±10⁻³⁰ in ``var`` (exactly): ``x**y`` at (0, 2) is ``x**2`` along x and 0 along
    y, so it has both partial derivatives.

    >>> x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    >>> domain_edge(x**sympy.pi, {x: 0}, x)
    'x**pi is real only where x >= 0, and x = 0 here'
    >>> domain_edge((x**2 + 1)**sympy.Rational(3, 2), {x: 0}, x) is None
    True
    >>> domain_edge(x**y, {x: 0, y: 2}, x), domain_edge(x**y, {x: 0, y: 2}, y)
    (None, None)
    >>> domain_edge(sympy.acos(x), {x: -1}, x)
    'acos(x) is real only where -1 <= x <= 1, and x = -1 here'
    """
    for sub, reason in _edge_candidates(expr, values):
        if var not in sub.free_symbols:
            continue
        for step in (_EDGE_STEP, -_EDGE_STEP):
            moved = {**values, var: values[var] + step}
            try:
                value = substitute(sub, moved)
            except LimitError:
                continue
            if value.has(sympy.I) or is_bad(value):
                return reason
    return None


def jump(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], var: sympy.Symbol
) -> str | None:
    """Why ``expr`` jumps at ``values`` along ``var`` (a step of sign or Heaviside), or ``None``.

    ``sign(x**2)`` is 0 at 0 and 1 on both sides: no derivative, although the delta
    term of its derivative has a vanishing coefficient there. Tried like
    :func:`domain_edge`, at the point moved by ±10⁻³⁰ (exactly).

    >>> x = sympy.Symbol("x", real=True)
    >>> jump(sympy.sign(x**2), {x: 0}, x)
    'sign(x**2) jumps at x**2 = 0'
    >>> jump(x**2 * sympy.sign(x), {x: 0}, x) is None
    True
    """
    from jacobi.lang.printing import to_text

    steps = [
        k
        for k in sorted(expr.atoms(*KINKS), key=sympy.default_sort_key)
        if var in k.free_symbols and substitute(k.args[0], values) == 0
    ]
    if not steps:
        return None
    here = numeric(substitute(expr, values))
    for step in (_EDGE_STEP, -_EDGE_STEP):
        try:
            near = numeric(substitute(expr, {**values, var: values[var] + step}))
        except LimitError:
            continue
        if here is None or near is None or not (here.is_Number and near.is_Number):
            continue
        if abs(near - here) > 10**-15 * max(1, abs(here)):
            return f"{to_text(steps[0])} jumps at {to_text(steps[0].args[0])} = 0"
    return None


# ---------------------------------------------------------------- kinks


def expand_kink_derivatives(expr: sympy.Expr) -> sympy.Expr:
    """``Derivative(sign(g), x)`` (SymPy leaves it when g may be undefined) as delta terms."""
    if not expr.has(sympy.Derivative):
        return expr
    from jacobi.math.kinks import clean_derivative

    return clean_derivative(expr, keep_deltas=True)


def localize(
    expr: sympy.Expr,
    values: Mapping[sympy.Symbol, sympy.Expr],
    memo: dict[sympy.Expr, sympy.Expr],
) -> sympy.Expr:
    """``expr`` with every piecewise piece replaced by its branch near the point.

    ``Max``/``Min`` with one strictly largest/smallest argument, ``Abs``, ``sign``,
    ``Heaviside`` and ``DiracDelta`` of an argument that is not 0 at the point are
    replaced by what they equal in a neighbourhood; the result equals ``expr``
    near the point. A product with a factor that is 0 near the point is 0 (the
    derivative of a function that is constant near the point, whatever the
    outer function's derivative formula says). Arguments of the pieces are checked
    to be defined there.
    """
    if expr in memo:
        return memo[expr]
    if not expr.args or not (expr.free_symbols & values.keys()):
        return expr
    args = [localize(a, values, memo) for a in expr.args]
    out: sympy.Expr
    if isinstance(expr, sympy.Mul) and any(a == 0 for a in args):
        out = sympy.S.Zero
    elif isinstance(expr, (sympy.Max, sympy.Min, sympy.Abs, *KINKS, sympy.DiracDelta)):
        at = [checked_value(a, values) for a in args]
        signs = [real_sign(v) for v in at]
        if isinstance(expr, (sympy.Max, sympy.Min)):
            out = _pick(expr, args, at)
        elif signs[0] in (-1, 1):
            s = signs[0]
            if isinstance(expr, sympy.Abs):
                out = args[0] if s == 1 else -args[0]
            elif isinstance(expr, sympy.sign):
                out = sympy.Integer(s)
            elif isinstance(expr, sympy.Heaviside):
                out = sympy.Integer(1 if s == 1 else 0)
            else:
                out = sympy.S.Zero
        else:
            out = expr.func(*args)
    else:
        out = expr.func(*args)
    memo[expr] = out
    return out


def _pick(expr: sympy.Expr, args: list[sympy.Expr], at: list[sympy.Expr]) -> sympy.Expr:
    """The arguments of a Max/Min that attain it at the point (one: that argument)."""
    big = isinstance(expr, sympy.Max)
    best: list[int] = []
    for k in range(len(args)):
        if not best:
            best = [k]
            continue
        d = real_sign(at[k] - at[best[0]])
        if d is None:
            return expr.func(*args)  # cannot compare with bounded effort: keep it
        if d == 0:
            best.append(k)
        elif (d > 0) == big:
            best = [k]
    if len(best) == 1:
        return args[best[0]]
    return expr.func(*(args[k] for k in best))


def side_values(
    expr: sympy.Expr,
    kinks: list[sympy.Expr],
    values: Mapping[sympy.Symbol, sympy.Expr],
    directions: Sequence[sympy.Symbol],
) -> set[sympy.Expr] | None:
    """The values of ``expr`` with its kinks read from each side along each direction.

    Along direction v, side s, every kink argument g has the sign of g(p + s·h·e_v)
    for a tiny h: all kinks are read from the same side at once, so
    ``relu(x) - relu(-x)`` is smooth at 0. ``None`` if no direction tells the sides.
    """
    sides: set[sympy.Expr] = set()
    for v in directions:
        if v not in values:
            continue
        per_side: list[list[int]] = []
        for s in (-1, 1):
            moved = dict(values)
            moved[v] = values[v] + s * _SIDE_STEP
            found = [real_sign(substitute(k.args[0], moved)) for k in kinks]
            signs = [g for g in found if g in (-1, 1)]
            if len(signs) != len(kinks):
                break
            per_side.append(signs)
        else:
            for signs in per_side:
                repl = {
                    k: sympy.Integer(g if isinstance(k, sympy.sign) else (1 + g) // 2)
                    for k, g in zip(kinks, signs, strict=True)
                }
                sides.add(final_value(expr.xreplace(repl), values))
    return sides or None


def kink_atoms(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> list[sympy.Expr]:
    return sorted(
        (
            atom
            for atom in expr.atoms(*KINKS)
            if atom.free_symbols and substitute(atom.args[0], values) == 0
        ),
        key=sympy.default_sort_key,
    )


def final_value(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """Substitute, then repair removable ``0*oo`` forms (``x**y*log(x)`` at x = 0, y = 2)."""
    val = substitute(expr, values)
    if not is_bad(val):
        return val
    combined = sympy.powsimp(expr)
    if combined != expr:
        val2 = substitute(combined, values)
        if not is_bad(val2):
            return val2
        expr = combined
    if isinstance(expr, sympy.Mul) and _vanishing_power_log(expr, values):
        return sympy.S.Zero
    return val


def _vanishing_power_log(expr: sympy.Mul, values: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """True if ``expr`` is b**e * log(b)**k * (finite) with b -> 0 and e > 0: its limit is 0."""
    groups: dict[sympy.Expr, sympy.Expr] = {}
    logs: set[sympy.Expr] = set()
    rest: list[sympy.Expr] = []
    for factor in expr.args:
        base, exp = factor.as_base_exp()
        if isinstance(base, sympy.log) and exp.is_Integer and exp > 0:
            logs.add(base.args[0])
            continue
        if base.free_symbols and substitute(base, values) == 0:
            groups[base] = groups.get(base, sympy.S.Zero) + exp
            continue
        rest.append(factor)
    if not groups or any(b not in groups for b in logs):
        return False
    if any(real_sign(substitute(e, values)) != 1 for e in groups.values()):
        return False
    return not any(is_bad(substitute(r, values)) for r in rest)


def live_deltas(
    expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]
) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """``expr`` without the delta terms that vanish at the point, and the deltas that do not.

    ``x**2*DiracDelta(x)`` is 0 at x = 0 (the derivative of ``sign(x)*x**2`` exists
    there): only a delta whose coefficient survives at the point is a real jump.
    """
    if not expr.has(sympy.DiracDelta):
        return expr, []
    # Sorted: a set's order follows PYTHONHASHSEED, and the first one is named.
    deltas = [
        d
        for d in sorted(expr.atoms(sympy.DiracDelta), key=sympy.default_sort_key)
        if substitute(d.args[0], values) == 0
    ]
    if deltas:
        # A coefficient that vanishes only through sign(0) = 0 (sign(x)**4, from the
        # derivative of sign(x)**5, a real jump) is not 0 on either side: those kink
        # values stay unknown in the probe.
        marker = sympy.Dummy("delta")
        sides = {
            k: sympy.Dummy("side")
            for k in expr.atoms(*KINKS)
            if k.args and substitute(k.args[0], values) == 0
        }
        probe = substitute(expr.xreplace({**sides, **{d: marker for d in deltas}}), values)
        if marker not in probe.free_symbols:
            expr = expr.xreplace({d: sympy.S.Zero for d in deltas})
            deltas = []
    return expr, deltas


def kink_values(
    expr: sympy.Expr,
    kinks: list[sympy.Expr],
    values: Mapping[sympy.Symbol, sympy.Expr],
    directions: Sequence[sympy.Symbol],
) -> set[sympy.Expr]:
    """The values of ``expr`` with its ``kinks`` read from each side (see :func:`side_values`).

    Where no direction tells the sides apart, every choice of side for each kink
    (at most 64 choices) is tried.
    """
    found = side_values(expr, kinks, values, directions)
    if found is not None:
        return found
    found = set()
    for signs in itertools.islice(itertools.product((-1, 1), repeat=len(kinks)), 64):
        repl = {
            k: sympy.Integer(s if isinstance(k, sympy.sign) else (1 + s) // 2)
            for k, s in zip(kinks, signs, strict=True)
        }
        found.add(final_value(expr.xreplace(repl), values))
    return found
