"""The chain rule over any number of layers, with its accumulation costs.

:func:`compose` substitutes the layers into each other simultaneously;
:func:`chain` multiplies the layer Jacobians along the composition and checks the
product against the Jacobian of the composition (symbolically within counted
bounds, else at seeded random points); :func:`chain_costs` counts the scalar
multiplications of forward mode, reverse mode and the best order (the classic
matrix-chain dynamic programme).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from jacobi.errors import InputError, ShapeError
from jacobi.math import derivatives
from jacobi.math.determinant import matmul
from jacobi.math.simplify import is_zero, optional, simplest, tidy_matrix
from jacobi.math.substitute import substitute
from jacobi.model import VectorFunction

__all__ = [
    "VERIFY_MAX_OPS",
    "Chain",
    "ChainCosts",
    "chain",
    "chain_costs",
    "check_shapes",
    "compose",
    "layer_names",
]

#: Chain-rule entries with more operations than this are checked at points, not symbolically.
VERIFY_MAX_OPS = 400


@dataclass(frozen=True)
class ChainCosts:
    """Scalar multiplications to multiply the layer Jacobians, by evaluation order.

    ``dims`` are the sizes p0 (final output), p1, ..., pk (input): the layer
    Jacobians, outermost first, are p0×p1, p1×p2, ..., p(k-1)×pk.
    """

    dims: tuple[int, ...]
    forward: int
    reverse: int
    best: int
    best_order: str


def chain_costs(dims: Sequence[int], names: Sequence[str] | None = None) -> ChainCosts:
    """Costs of forward (right to left), reverse (left to right) and the best order.

    The best parenthesisation comes from the classic matrix-chain dynamic
    programme. ``names`` label the factors, outermost first.

    >>> c = chain_costs([1, 3, 4, 5], ["J3", "J2", "J1"])  # (1×3)(3×4)(4×5): scalar loss
    >>> c.forward, c.reverse, c.best, c.best_order
    (75, 32, 32, '(J3 J2) J1')
    """
    p = list(dims)
    k = len(p) - 1
    if k < 1:
        raise ValueError("need at least one factor")
    labels = list(names) if names is not None else [f"J{k - i}" for i in range(k)]
    forward = sum(p[i] * p[i + 1] * p[k] for i in range(k - 1))
    reverse = sum(p[0] * p[i] * p[i + 1] for i in range(1, k))
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(2, k + 1):
        for i in range(k - length + 1):
            j = i + length - 1
            cost[i][j] = -1
            for s in range(i, j):
                c = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, s

    def text(i: int, j: int, top: bool) -> str:
        if i == j:
            return labels[i]
        s = split[i][j]
        inner = f"{text(i, s, False)} {text(s + 1, j, False)}"
        return inner if top else f"({inner})"

    best = cost[0][k - 1] if k > 1 else 0
    order = text(0, k - 1, True)
    # On a tie, name the familiar order: reverse mode first, then forward mode.
    if k > 2 and reverse == best:
        order = labels[0]
        for label in labels[1:]:
            order = f"({order} {label})"
        order = order[1:-1]
    elif k > 2 and forward == best:
        order = labels[-1]
        for label in reversed(labels[:-1]):
            order = f"({label} {order})"
        order = order[1:-1]
    return ChainCosts(tuple(p), forward, reverse, best, order)


@dataclass(frozen=True)
class Chain:
    """The chain rule for ``layers[0] ∘ layers[1] ∘ ... ∘ layers[-1]`` (outermost first).

    ``factors[i]`` is the Jacobian of ``layers[i]`` evaluated along the
    composition, as a function of the innermost variables; ``product`` is
    their product (outer first, inner last); ``direct`` is the Jacobian of the
    composition computed directly. ``verified`` says how the two were found
    equal: ``"symbolically"``, ``"numerically"`` (at random points), or
    ``"unverified"``/``"mismatch"``.
    """

    layers: tuple[VectorFunction, ...]
    composition: VectorFunction
    outer_jacobians: tuple[sympy.ImmutableMatrix, ...]
    factors: tuple[sympy.ImmutableMatrix, ...]
    product: sympy.ImmutableMatrix
    direct: sympy.ImmutableMatrix
    verified: str
    costs: ChainCosts


def compose(layers: Sequence[VectorFunction]) -> VectorFunction:
    """The composition ``layers[0] ∘ ... ∘ layers[-1]``, substituting simultaneously.

    Each layer's variables are replaced by the components of the next inner
    layer all at once, so layers may reuse names (``g(x, y)`` of ``h(x, y)``).

    >>> from jacobi import function
    >>> g = function("y, x")          # swaps its arguments
    >>> h = function("x + 1, 2*y")
    >>> compose([g, h]).components    # g(h(x, y)) = (2y, x + 1), not a sequential mix-up
    (2*y, x + 1)
    """
    if not layers:
        raise InputError("a composition needs at least one function")
    check_shapes(layers)
    inner = layers[-1]
    comps = list(inner.components)
    for layer in reversed(layers[:-1]):
        mapping = dict(zip(layer.variables, comps, strict=True))
        comps = [substitute(c, mapping) for c in layer.components]
    params = {s: v for layer in layers for s, v in layer.parameters}
    return VectorFunction(
        components=tuple(comps),
        variables=inner.variables,
        parameters=tuple(params.items()),
        texts=(),
    )


def layer_names(count: int) -> list[str]:
    """The names of the layers in messages, outermost first: g, h for two, else f3, f2, f1.

    >>> layer_names(2), layer_names(3)
    (['g', 'h'], ['f3', 'f2', 'f1'])
    """
    return ["g", "h"] if count == 2 else [f"f{count - i}" for i in range(count)]


def check_shapes(layers: Sequence[VectorFunction]) -> None:
    """Each layer must take as many variables as the next inner one gives components."""
    names = layer_names(len(layers))
    inner_vars = set(layers[-1].variables)
    for i in range(len(layers) - 1):
        outer, inner = layers[i], layers[i + 1]
        if outer.n != inner.m:
            raise ShapeError(
                f"the functions do not compose: {names[i]} takes {outer.n} variable"
                f"{'s' if outer.n != 1 else ''} ({', '.join(outer.variable_names) or 'none'}; "
                f"J_{names[i]} is {outer.m}×{outer.n}) but {names[i + 1]} gives {inner.m} "
                f"component{'s' if inner.m != 1 else ''} (J_{names[i + 1]} is {inner.m}×{inner.n})",
                hint="name the outer function's variables with --outer-vars"
                if len(layers) == 2
                else "name each outer function's variables with --layer-vars",
            )
        clash = [s.name for s, v in outer.parameters if v is None and s in inner_vars]
        if clash:
            raise InputError(
                f"{clash[0]} is a constant of {names[i]} but a variable of the innermost function",
                hint=f"list {clash[0]} among {names[i]}'s variables, or rename it",
            )


def _verify(
    direct: sympy.MatrixBase,
    product: sympy.MatrixBase,
    symbols: Sequence[sympy.Symbol],
    seed: int = 0,
) -> str:
    """How ``direct`` and ``product`` were found equal, or ``"mismatch"``/``"unverified"``.

    First symbolically (each difference expanded and reduced by the bounded
    identities of :func:`jacobi.math.simplify.is_zero`), entries over
    :data:`VERIFY_MAX_OPS` operations skipped; then at seeded random points.
    """
    diffs = [d - p for d, p in zip(direct, product, strict=True)]

    def proved(d: sympy.Expr) -> bool | None:
        if d == 0:
            return True
        if int(sympy.count_ops(d)) > VERIFY_MAX_OPS:
            return None
        return optional(lambda: is_zero(d), None)

    verdicts = [proved(d) for d in diffs]
    if all(v is True for v in verdicts):
        return "symbolically"
    if any(v is False for v in verdicts):
        return "mismatch"
    rng = random.Random(seed)
    free = sorted(set().union(*(d.free_symbols for d in diffs)) | set(symbols), key=str)
    good = 0
    for _ in range(40):
        point = {s: sympy.Rational(rng.randint(-1999, 1999), 1000) for s in free}
        values = [_number_at(d, point) for d in diffs]
        if any(v is None for v in values):
            continue
        scale = max([1.0] + [abs(v) for e in product if (v := _number_at(e, point)) is not None])
        if any(abs(v) > 1e-12 * scale for v in values if v is not None):
            return "mismatch"
        good += 1
        if good == 3:
            return "numerically"
    return "unverified"


def _number_at(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> float | None:
    """``expr`` at ``point`` to 30 digits, or ``None`` where it is not a finite real number.

    Evaluated numerically (``evalf`` with ``subs``), never by exact substitution:
    ``u**(u*u)`` at u = 1999/1000 would otherwise be computed as an exact rational
    power with millions of digits.
    """
    try:
        v = expr.evalf(30, subs=point)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    if not v.is_Number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    number = float(v)
    return number if math.isfinite(number) else None


def chain(layers: Sequence[VectorFunction], *, simplify: bool = True, verify: bool = True) -> Chain:
    """The chain rule for a composition of layers, outermost first.

    Examples
    --------
    Seed 003, example 5.10: f(x) = exp(x1 x2²) of x(t) = (t cos t, t sin t).

    >>> from jacobi import function
    >>> c = chain([function("exp(x1*x2^2)"), function("t*cos(t), t*sin(t)")])
    >>> [m.shape for m in c.factors], c.product.shape, c.verified
    ([(1, 2), (2, 1)], (1, 1), 'symbolically')
    """
    layers = tuple(layers)
    if len(layers) < 2:
        raise InputError("the chain rule needs at least two functions (outer first, inner last)")
    composition = compose(layers)
    outer_jacs: list[sympy.ImmutableMatrix] = []
    factors: list[sympy.ImmutableMatrix] = []
    for i, layer in enumerate(layers):
        jac = derivatives.jacobian(layer, simplify=simplify)
        outer_jacs.append(jac)
        if i == len(layers) - 1:
            factors.append(jac)
            continue
        # Tidy in the layer's own variables, then substitute: substituted forms are
        # readable as they come, and tidying them again only rewrites them.
        inner = compose(layers[i + 1 :])
        mapping = dict(zip(layer.variables, inner.components, strict=True))
        factors.append(jac.applyfunc(lambda e, m=mapping: substitute(e, m)))
    raw = factors[-1]
    for factor in reversed(factors[:-1]):
        raw = matmul(factor, raw)
    direct = derivatives.differentiate(composition.components, composition.variables)
    verified = _verify(direct, raw, composition.variables) if verify else "unverified"
    product = tidy_matrix(raw, simplest) if simplify else raw
    names = [f"J_{n}" for n in layer_names(len(layers))]
    dims = [layers[0].m] + [layer.n for layer in layers]
    costs = chain_costs(dims, names)
    return Chain(
        layers=layers,
        composition=composition,
        outer_jacobians=tuple(outer_jacs),
        factors=tuple(factors),
        product=sympy.ImmutableMatrix(product),
        direct=direct,
        verified=verified,
        costs=costs,
    )
