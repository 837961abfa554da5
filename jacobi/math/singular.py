"""Singular sets: where det J = 0, as typed solutions (words are in :mod:`jacobi.render.words`).

The determinant is brought over a common denominator and its numerator factored;
each factor is solved when it is small enough to be settled by counts (see
:func:`_one_generator`), otherwise kept as its :class:`Equation`. A solution is
one of

* :class:`Roots`: a variable equals one of finitely many values (``r = 0``,
  ``x = y`` from a linear factor);
* :class:`Periodic`: a variable equals ``period*n + offset`` for an integer ``n``
  (``theta = pi*n``), with finitely many extra values;
* :class:`AllZero`: every one of some variables is 0 (a sum of even powers,
  ``x**2 + y**2``);
* :class:`Equation`: a factor left unsolved (``x + sin(x) = 0``).

Conditions on the parameters (factors without the variables) are :class:`Roots`
of one parameter value each, or :class:`Equation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeAlias

import sympy

from jacobi.math import simplify
from jacobi.math.simplify import optional

__all__ = [
    "SOLVE_MAX_DEGREE",
    "SOLVE_MAX_OPS",
    "AllZero",
    "Condition",
    "Equation",
    "Periodic",
    "Roots",
    "SingularSet",
    "Solution",
    "singular_set",
]

#: det J = 0 is solved for one variable only when the factor has at most this many operations
#: (SymPy's solvers have no bound of their own; a larger factor is shown as its equation).
SOLVE_MAX_OPS = 40
#: ... and is a polynomial of at most this degree in the variable (or in one sin, cos, exp of it).
SOLVE_MAX_DEGREE = 4


@dataclass(frozen=True)
class Roots:
    """``variable`` equals one of ``values`` (numbers, or expressions in other symbols)."""

    variable: sympy.Symbol
    values: tuple[sympy.Expr, ...]


@dataclass(frozen=True)
class Periodic:
    """``variable`` is one of ``values`` or ``period*n + offset`` for an integer ``n``.

    ``terms`` holds the ``(period, offset)`` pair of each family; ``integer`` is the
    name of ``n``, chosen not to clash with the symbols of the determinant.
    """

    variable: sympy.Symbol
    terms: tuple[tuple[sympy.Expr, sympy.Expr], ...]
    values: tuple[sympy.Expr, ...] = ()
    integer: str = "n"

    def families(self) -> tuple[sympy.Expr, ...]:
        """``period*n + offset`` for each family, ``n`` an integer symbol named ``integer``.

        >>> t = sympy.Symbol("t", real=True)
        >>> Periodic(t, ((sympy.pi, sympy.pi / 2),)).families()
        (pi*n + pi/2,)
        """
        n = sympy.Symbol(self.integer, integer=True)
        return tuple(period * n + offset for period, offset in self.terms)


@dataclass(frozen=True)
class AllZero:
    """Every one of ``variables`` is 0 (where a sum of even powers such as x² + y² vanishes)."""

    variables: tuple[sympy.Symbol, ...]


@dataclass(frozen=True)
class Equation:
    """``expr = 0``, left unsolved."""

    expr: sympy.Expr


#: Where one factor of det J is 0.
Solution: TypeAlias = Roots | Periodic | AllZero | Equation
#: A condition on the parameters under which det J = 0 for every value of the variables.
Condition: TypeAlias = Roots | Equation


@dataclass(frozen=True)
class SingularSet:
    """Where ``det J = 0``: the equation and, where they could be found, its solutions.

    ``solutions`` holds one :data:`Solution` per factor of the determinant that has
    real zeros; ``complete`` is False if some factor could not be solved (it is an
    :class:`Equation` then).
    """

    equation: sympy.Expr
    solutions: tuple[Solution, ...]
    complete: bool
    everywhere: bool = False
    nowhere: bool = False
    #: Where det J itself is undefined (its denominator is 0), e.g. ``(Roots(y, (0,)),)``.
    undefined: tuple[Solution, ...] = ()
    #: Conditions on the parameters under which det J = 0 for every value of the
    #: variables, e.g. ``a = 1`` and ``a = -1`` for det J = a² − 1.
    conditions: tuple[Condition, ...] = ()


def _merge_periodic(images: list[sympy.Set]) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """``(period, offset)`` pairs; equally spaced offsets merge into a finer period."""
    pairs: list[tuple[sympy.Expr, sympy.Expr]] = []
    for image in images:
        lam = image.lamda
        n = lam.variables[0]
        expr = sympy.expand(lam.expr)
        period = expr.coeff(n)
        offset = sympy.expand(expr - period * n)
        pairs.append((period, offset))
    periods = {p for p, _ in pairs}
    if len(periods) == 1 and len(pairs) > 1:
        period = periods.pop()
        offsets = sorted((o for _, o in pairs), key=lambda o: float(o))
        step = period / len(pairs)
        if all(sympy.simplify(offsets[i] - offsets[0] - i * step) == 0 for i in range(len(pairs))):
            return [(step, offsets[0])]
    return pairs


def _set_solution(var: sympy.Symbol, solutions: sympy.Set, integer: str) -> Solution | None:
    """The solution of a finite set or a union of image sets; None if not expressible."""
    if isinstance(solutions, sympy.FiniteSet):
        return Roots(var, tuple(solutions))
    parts = solutions.args if isinstance(solutions, sympy.Union) else (solutions,)
    finite = [p for p in parts if isinstance(p, sympy.FiniteSet)]
    images = [p for p in parts if isinstance(p, sympy.ImageSet)]
    if len(finite) + len(images) != len(parts) or not images:
        return None
    values = tuple(s for f in finite for s in f)
    return Periodic(var, tuple(_merge_periodic(images)), values, integer)


def _one_generator(factor: sympy.Expr, var: sympy.Symbol) -> bool:
    """Whether ``factor`` is a small polynomial in ``var`` or in one function of a linear ``var``.

    These are the equations SymPy's ``solveset`` settles in milliseconds; anything
    else (``x + sin(x)``, products of several trigonometric factors) is kept as its
    equation. The test counts, it does not time: the same factor is always solved
    or always kept.
    """
    if int(sympy.count_ops(factor)) > SOLVE_MAX_OPS:
        return False
    if factor.is_polynomial(var):
        return bool(sympy.degree(factor, var) <= SOLVE_MAX_DEGREE)
    calls = {
        c
        for c in factor.atoms(sympy.Function, sympy.Pow)
        if var in c.free_symbols and not (c.is_Pow and c.exp.is_Integer and c.base == var)
    }
    if len(calls) != 1:
        return False
    (call,) = calls
    if not isinstance(call, (sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.sinh, sympy.tanh)):
        return False
    arg = call.args[0]
    if not (arg.is_polynomial(var) and sympy.degree(arg, var) == 1):
        return False
    z = sympy.Dummy("z")
    rest = factor.xreplace({call: z})
    return var not in rest.free_symbols and bool(
        rest.is_polynomial(z) and sympy.degree(rest, z) <= 2
    )


def _sum_of_squares(
    factor: sympy.Expr, present: Sequence[sympy.Symbol]
) -> tuple[AllZero, ...] | None:
    """``(AllZero((x, y)),)`` for x² + y² (positive multiples of even powers), ``()`` for x² + 1.

    Such a sum is 0 exactly where every term is; returns ``None`` for other factors.
    """
    if not factor.is_polynomial(*present):
        return None
    poly = sympy.Poly(factor, *present)
    monomials = poly.terms()
    if not all(c.is_positive for _, c in monomials) or not all(
        all(e % 2 == 0 for e in m) for m, _ in monomials
    ):
        return None
    if any(all(e == 0 for e in m) for m, _ in monomials):
        return ()  # a positive constant term: never 0
    if not all(sum(1 for e in m if e) == 1 for m, _ in monomials):
        return None  # x**2*y**2 + z**2: zero on a union of sets, shown as the equation
    zero = [v for v in present if any(m[present.index(v)] for m, _ in monomials)]
    return (AllZero(tuple(zero)),)


def _solve_factor(
    factor: sympy.Expr, variables: Sequence[sympy.Symbol], integer: str
) -> tuple[Solution, ...] | None:
    """Where ``factor = 0``: ``()`` if nowhere (for real values), ``None`` if not solved."""
    present = [v for v in variables if v in factor.free_symbols]
    if len(present) == 1:
        var = present[0]
        if not _one_generator(factor, var):
            return None
        solved = sympy.solveset(factor, var, sympy.S.Reals)
        if solved is sympy.S.EmptySet:
            return ()
        found = _set_solution(var, solved, integer)
        return None if found is None else (found,)
    squares = _sum_of_squares(factor, present)
    if squares is not None:
        return squares
    # Several variables: solve for one that occurs linearly, preferring one whose
    # coefficient is free of the variables (no division by a variable), else keep
    # the equation.
    linear = [v for v in present if factor.is_polynomial(v) and sympy.degree(factor, v) == 1]
    linear.sort(key=lambda v: bool(factor.diff(v).free_symbols & set(variables)))
    for var in linear:
        sols = sympy.solve(factor, var)
        if len(sols) == 1:
            return (Roots(var, (sols[0],)),)
    return None


def _fraction(det: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``(numerator, denominator)`` of ``det`` over a common denominator, cancelled."""
    num, den = sympy.fraction(det)
    if simplify.too_large(det):
        return num, den

    def split() -> tuple[sympy.Expr, sympy.Expr]:
        n, d = sympy.fraction(sympy.together(det))
        if d.free_symbols:
            n, d = sympy.fraction(sympy.cancel(n / d))
        return n, d

    return optional(split, (num, den))


def _zero_part(factor: sympy.Expr) -> sympy.Expr:
    """``u`` for ``u**p`` with ``p > 0`` (``sqrt(u) = 0`` exactly where ``u = 0``)."""
    while factor.is_Pow and factor.exp.is_positive:
        factor = factor.base
    return factor


def _factors(expr: sympy.Expr) -> list[sympy.Expr]:
    """The distinct factors of ``expr`` that contain symbols (``[expr]`` if it is too large)."""
    pairs = [(expr, 1)]
    if not simplify.too_large(expr):
        _, pairs = optional(lambda: sympy.factor_list(expr), (1, pairs))
    out: list[sympy.Expr] = []
    for factor, _mult in pairs:
        for part in sympy.Mul.make_args(factor):
            part = _zero_part(part)
            if part.free_symbols and part not in out:
                out.append(part)
    return out


def _solve_factors(
    factors: list[sympy.Expr], variables: Sequence[sympy.Symbol], integer: str
) -> tuple[list[Solution], list[Condition], bool]:
    """(solutions, conditions on the parameters, complete) for the factors of det J."""
    wanted = set(variables)
    solutions: list[Solution] = []
    conditions: list[Condition] = []
    complete = True
    for factor in factors:
        if not (factor.free_symbols & wanted):
            conditions.extend(_parameter_conditions(factor))
            continue
        found = optional(partial(_solve_factor, factor, variables, integer), None)
        if found is None:
            complete = False
            solutions.append(Equation(factor))
        else:
            solutions.extend(found)
    return solutions, conditions, complete


def singular_set(det: sympy.Expr, variables: Sequence[sympy.Symbol]) -> SingularSet:
    """The points where a map is not locally invertible: the real solutions of det J = 0.

    The determinant is brought over a common denominator: det J = 0 where its
    numerator is 0 (and the denominator is not; where the denominator is 0,
    det J itself is undefined, listed in ``undefined``). The numerator is
    factored and each factor solved when it is small enough (see
    :func:`_one_generator`); periodic solutions are given with an integer ``n``.
    A factor without the variables (a product of parameters) is a condition on
    the parameters, listed in ``conditions``: where it holds, J is singular
    everywhere. A factor that is not solved is kept as its :class:`Equation`.

    Examples
    --------
    >>> from jacobi.lang.parse import symbol
    >>> from jacobi.render.words import solution_text
    >>> r, t, l1, l2, b, y = (symbol(n) for n in ("r", "t", "l1", "l2", "b", "y"))
    >>> singular_set(r, [r, t]).solutions
    (Roots(variable=r, values=(0,)),)
    >>> found = singular_set(l1*l2*sympy.sin(b), [b])
    >>> [solution_text(s) for s in found.solutions], [solution_text(c) for c in found.conditions]
    (['b = pi*n (n any integer)'], ['l1 = 0', 'l2 = 0'])
    >>> found = singular_set(-1/y**2, [r, y])
    >>> found.nowhere, [solution_text(u) for u in found.undefined]
    (True, ['y = 0'])
    >>> a = symbol("a")
    >>> found = singular_set(a**2 - 1, [r, y])   # det J depends only on a parameter
    >>> found.nowhere, [solution_text(c) for c in found.conditions]
    (False, ['a = 1', 'a = -1'])
    """
    if det == 0:
        return SingularSet(det, (), True, everywhere=True)
    if det.free_symbols == set():
        return SingularSet(det, (), True, nowhere=True)
    names = {v.name for v in det.free_symbols}
    integer = next(c for c in ("n", "k", "m", "n_", "k_") if c not in names)
    wanted = set(variables)
    num, den = _fraction(det)
    solutions, conditions, complete = _solve_factors(_factors(num), variables, integer)
    undefined: tuple[Solution, ...] = ()
    if den.free_symbols & wanted:
        den_factors = [f for f in _factors(den) if f.free_symbols & wanted]
        undefined = tuple(_solve_factors(den_factors, variables, integer)[0])
    return SingularSet(
        det,
        tuple(solutions),
        complete,
        nowhere=not solutions and not conditions,
        undefined=undefined,
        conditions=tuple(conditions),
    )


def _parameter_conditions(factor: sympy.Expr) -> list[Condition]:
    """``a = 1`` and ``a = -1`` for the factor ``a**2 - 1`` of det J; the equation if unsolved."""
    symbols = sorted(factor.free_symbols, key=lambda s: s.name)
    if len(symbols) == 1 and _one_generator(factor, symbols[0]):
        solved = optional(lambda: sympy.solveset(factor, symbols[0], sympy.S.Reals), None)
        if isinstance(solved, sympy.FiniteSet):
            return [Roots(symbols[0], (v,)) for v in solved]
        if solved is sympy.S.EmptySet:
            return []
    return [Equation(factor)]
