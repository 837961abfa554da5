"""Singular sets (where det J = 0) as typed solutions, against hand-solved equations.

Every expected value here was solved by hand and built directly as SymPy values,
never pasted from jacobi's own output.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
import sympy
from sympy import Integer, pi, sin, sqrt

from jacobi import function
from jacobi.lang.parse import symbol
from jacobi.math.determinant import jacobian_determinant
from jacobi.math.singular import (
    AllZero,
    Equation,
    Periodic,
    Roots,
    SingularSet,
    Solution,
    singular_set,
)

x, y, z, r = (symbol(n) for n in ("x", "y", "z", "r"))
a, b, l1, l2 = (symbol(n) for n in ("a", "b", "l1", "l2"))
rho, beta = symbol("rho"), symbol("beta")

ARM3 = "l1 cos(a) + l2 cos(a+b) + l3 cos(a+b+c), l1 sin(a) + l2 sin(a+b) + l3 sin(a+b+c), a+b+c"
LORENZ = "sigma*(y - x), x*(rho - z) - y, x*y - beta*z"
ZERO = (Integer(0),)


def singular(text: str, variables: str | None = None) -> SingularSet:
    f = function(text, variables=variables)
    return singular_set(jacobian_determinant(f).value, f.variables)


@pytest.mark.parametrize(
    ("text", "variables", "solutions", "conditions"),
    [
        # det J = r
        ("r*cos(t), r*sin(t)", None, {Roots(r, ZERO)}, set()),
        # det J = x - y: solved for the first variable, whose coefficient is a number
        ("x+y, x*y", None, {Roots(x, (y,))}, set()),
        # det J = 4xy
        ("x^2, y^2", None, {Roots(x, ZERO), Roots(y, ZERO)}, set()),
        # det J = l1 l2 sin(b): b = pi n, or a vanishing link length
        (ARM3, "a,b,c", {Periodic(b, ((pi, Integer(0)),))}, {Roots(l1, ZERO), Roots(l2, ZERO)}),
        (
            "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)",
            "a,b",
            {Periodic(b, ((pi, Integer(0)),))},
            {Roots(l1, ZERO), Roots(l2, ZERO)},
        ),
        # det J = -cos(x) sin(y)
        (
            "sin(x), cos(y)",
            None,
            {Periodic(x, ((pi, pi / 2),)), Periodic(y, ((pi, Integer(0)),))},
            set(),
        ),
        # det J = exp(x) > 0
        ("exp(x), y", None, set(), set()),
        # det J = cos(2x): 2x = pi/2 + pi n
        ("sin(2x)/2, y", None, {Periodic(x, ((pi / 2, pi / 4),))}, set()),
        # det J = x^2 - 2, irreducible over QQ: x = sqrt(2) or x = -sqrt(2) (one factor)
        ("x^3/3 - 2x, y", None, {Roots(x, (-sqrt(2), sqrt(2)))}, set()),
    ],
)
def test_singular_sets(
    text: str, variables: str | None, solutions: set[Solution], conditions: set[Solution]
) -> None:
    found = singular(text, variables)
    assert _canonical(found.solutions) == _canonical(solutions)
    assert _canonical(found.conditions) == _canonical(conditions)
    assert found.complete
    assert not found.everywhere and found.nowhere == (not solutions and not conditions)


def _canonical(items: Iterable[Solution]) -> set[Solution]:
    """Solutions with finite value sets sorted (the order SymPy lists them in is not a fact)."""
    out: set[Solution] = set()
    for item in items:
        if isinstance(item, Roots):
            item = Roots(item.variable, tuple(sorted(item.values, key=sympy.default_sort_key)))
        out.add(item)
    return out


@pytest.mark.parametrize(
    ("text", "variables", "conditions"),
    [
        # det J = a^2 - 1: singular everywhere when a = ±1, nowhere otherwise.
        ("a x + y, x + a y", "x,y", {Roots(a, (Integer(1),)), Roots(a, (Integer(-1),))}),
        ("a x, y", "x,y", {Roots(a, ZERO)}),
        # det J = a^2 + 1 > 0 for every real a.
        ("a x - y, x + a y", "x,y", set()),
        # det J = a + sin(a): not solved, kept as its equation
        ("(a + sin(a)) x, y", "x,y", {Equation(a + sin(a))}),
    ],
)
def test_singular_set_of_a_determinant_of_parameters_only(
    text: str, variables: str, conditions: set[Solution]
) -> None:
    found = singular(text, variables)
    assert found.solutions == ()
    assert set(found.conditions) == conditions
    assert found.nowhere == (not conditions)


def test_singular_set_of_a_sum_of_squares() -> None:
    # det J of (x^2 - y^2, 2xy) is 4(x^2 + y^2): zero only at the origin.
    found = singular("x^2-y^2, 2x y")
    assert found.solutions == (AllZero((x, y)),)
    assert found.complete
    # x^2 + y^2 + 1 is never 0.
    assert singular_set(x**2 + y**2 + 1, [x, y]).nowhere


def test_singular_set_of_a_linear_factor_prefers_no_division() -> None:
    found = singular(LORENZ, "x,y,z")
    (z_sol,) = [s for s in found.solutions if isinstance(s, Roots) and s.variable == z]
    # det J = 0  <=>  beta*(rho - z - 1) = x^2 + x*y  (sigma != 0)
    (value,) = z_sol.values
    assert sympy.expand(beta * (rho - value - 1) - x**2 - x * y) == 0
    assert sympy.fraction(sympy.together(value))[1].free_symbols <= {beta}


@pytest.mark.parametrize(
    ("text", "solutions", "undefined"),
    [
        # det J = -1/y^2: never 0; f (and det J) undefined at y = 0.
        ("x, 1/y", set(), {Roots(y, ZERO)}),
        # det J = 1/(2 sqrt(y)): never 0; det J undefined at y = 0.
        ("x, sqrt(y)", set(), {Roots(y, ZERO)}),
        # det J = 1/x: never 0; f undefined at x = 0.
        ("x, y/x", set(), {Roots(x, ZERO)}),
        # det J = y/sqrt(x^2+y^2): 0 on y = 0 (away from the origin, where it is undefined).
        ("x, sqrt(x^2+y^2)", {Roots(y, ZERO)}, {AllZero((x, y))}),
    ],
)
def test_singular_sets_of_non_polynomial_determinants(
    text: str, solutions: set[Solution], undefined: set[Solution]
) -> None:
    found = singular(text)
    assert set(found.solutions) == solutions
    assert found.nowhere == (not solutions)
    assert set(found.undefined) == undefined
    assert found.complete


def test_singular_set_degrades_to_the_equation_when_sympy_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise sympy.PolynomialError("unexpected")

    monkeypatch.setattr(sympy, "factor_list", broken)
    monkeypatch.setattr(sympy, "solveset", broken)
    found = singular_set(x * y - 1, [x, y])
    assert found.solutions in ((Roots(x, (1 / y,)),), (Roots(y, (1 / x,)),))
    found = singular_set(sin(x) + x, [x])
    assert found.solutions == (Equation(x + sin(x)),)
    assert not found.complete


def test_singular_everywhere_and_nowhere() -> None:
    assert singular_set(sympy.S.Zero, [x]).everywhere
    assert singular_set(sympy.Integer(5), [x]).nowhere


def test_the_integer_of_periodic_solutions_avoids_the_symbols_of_det_j() -> None:
    n = symbol("n")
    (periodic,) = singular_set(n * sin(x), [x]).solutions
    assert isinstance(periodic, Periodic) and periodic.integer not in ("n", "x")
    k = sympy.Symbol(periodic.integer, integer=True)
    assert periodic.families() == (pi * k,)


def test_a_factor_linear_in_one_variable_only_is_solved_for_it() -> None:
    # J = [[2x, 1], [y, x]]: det J = 2x^2 - y, linear in y only.
    assert singular("x^2+y, x*y").solutions == (Roots(y, (2 * x**2,)),)
