"""jacobi.lang.termorder against SymPy's own functions: the same order, the same precedence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Integer, S
from sympy import Rational as R
from sympy.printing.precedence import precedence as sympy_precedence
from sympy.printing.precedence import precedence_traditional as sympy_traditional

from jacobi.lang.termorder import (
    complex_value,
    monomial,
    ordered_factors,
    ordered_terms,
    polynomial_terms,
    precedence,
    precedence_traditional,
)

x, y, z = sympy.symbols("x y z", real=True)
x_plain = sympy.Symbol("x")  # the same name as x, other assumptions
a, b = sympy.symbols("a b", commutative=False)

SUMS = [
    x + y,
    2 - 3 * x,
    -3 * x + 2,
    sympy.pi - 2 * x,
    2 + 3 * x,
    x**2 - 2 * x + 1,
    3 * x * y**2 - x**3 + 7 - y / 2,
    sympy.sqrt(2) * x + x + sympy.pi * x,
    sympy.sin(x + y) - sympy.cos(x) + sympy.exp(-x) / 3,
    x + x_plain + y,
    x * x_plain + x_plain**2 + x**2,
    x ** R(1, 3) + x ** R(2, 3) + x,
    x**y + x ** (2 * y) + y,
    1 / x + 1 / x**2 + x,
    x + sympy.O(x**2),
    a * b + b * a + x,
    sympy.Add(2 * x, 3 * x, evaluate=False),
    sympy.Add(x, sympy.Mul(x, x, evaluate=False), evaluate=False),
    Integer(10) ** 400 * x + Integer(10) ** 401 * y + R(1, 3) * z,
    R(2**60 + 1, 3) * x + R(2**60, 3) * x_plain,
    sympy.zoo * x + y,
    sympy.oo + x,
    sympy.Float("1.5") * x - sympy.Float("2.5", 30) * y,
    sympy.I * x + y,
]


def _ids(cases: Sequence[Any]) -> list[str]:
    """Ids by position: str() and even srepr() of a sum whose terms tie (x and a real x)
    follow the hash seed, and pytest-xdist refuses workers that collect other ids."""
    return [f"case{k}" for k in range(len(cases))]


@pytest.mark.parametrize("expr", SUMS, ids=_ids(SUMS))
def test_ordered_terms_is_sympys(expr: Any) -> None:
    assert ordered_terms(expr) == expr.as_ordered_terms()


@pytest.mark.parametrize("expr", SUMS, ids=_ids(SUMS))
def test_polynomial_terms_only_for_monomials_and_in_sympys_order(expr: Any) -> None:
    terms = polynomial_terms(expr)
    if terms is not None:
        assert terms == [monomial(t) for t in expr.as_ordered_terms()]


FACTORS = [
    (2, x, y),
    (y, x),
    (x_plain, x),
    (x**2, x_plain, sympy.sin(x)),
    (R(1, 3), sympy.exp(x), x + 1, y**-2),
    (sympy.sqrt(2), x, sympy.pi),
]


@pytest.mark.parametrize("factors", FACTORS, ids=_ids(FACTORS))
def test_ordered_factors_is_sympys(factors: tuple[Any, ...]) -> None:
    product = sympy.Mul(*factors, evaluate=False)
    assert ordered_factors(product.args) == product.as_ordered_factors()


@pytest.mark.parametrize(
    "term", [-3 * y * x**2, x * y * z, R(-2, 7) * z**5 * x, x, x**3, R(5, 2), x_plain * x]
)
def test_monomial_factors_in_sympys_order(term: Any) -> None:
    found = monomial(term)
    if found is None:  # two symbols named x
        assert term == x_plain * x
        return
    c, powers = found
    assert c == term.as_coeff_Mul()[0]
    factors = [f for _, _, f in powers]
    assert sympy.Mul(c, *factors) == term
    assert [f for f in sympy.Mul(*factors).as_ordered_factors()] == factors or len(factors) < 2


@pytest.mark.parametrize(
    "expr", [sympy.sin(x), 1 / x, x + 1, sympy.sqrt(2) * x, sympy.Mul(2, 3, x, evaluate=False)]
)
def test_monomial_refuses_other_terms(expr: Any) -> None:
    assert monomial(expr) is None


PRECEDENCE_CASES = [
    x, -x, 2 * x, -2 * x, R(-1, 2) * x, R(1, 2) * x, x / y, x + 1, x**2, Integer(3),
    Integer(-3), R(1, 3), R(-1, 3), S.Half, S.One, S.NegativeOne, S.Zero, sympy.pi,
    sympy.E, sympy.Float(-1.5), sympy.Float(2.5), sympy.oo, -sympy.oo, sympy.zoo,
    sympy.nan, sympy.sin(x), sympy.Abs(x), sympy.Mul(-2, sympy.zoo, evaluate=False),
    sympy.Mul(-2, x, sympy.zoo, evaluate=False), sympy.Mul(-1.5, x, evaluate=False),
    sympy.Eq(x, 1), sympy.UnevaluatedExpr(x + 1), sympy.UnevaluatedExpr(-x),
    sympy.Integral(x, x), sympy.Derivative(sympy.Function("f")(x), x), sympy.Mod(x, 2),
    sympy.Function("f")(x), sympy.Matrix([[x]]), 3, 2.5, "text", sympy.Symbol,
    sympy.And(sympy.Symbol("p"), sympy.Symbol("q")), sympy.Piecewise((x, x > 0), (0, True)),
]  # fmt: skip


@pytest.mark.parametrize("item", PRECEDENCE_CASES, ids=_ids(PRECEDENCE_CASES))
def test_precedence_is_sympys(item: Any) -> None:
    assert precedence(item) == sympy_precedence(item)
    assert precedence(item) == sympy_precedence(item)  # once the class is known, too
    if isinstance(item, sympy.Basic):
        assert precedence_traditional(item) == sympy_traditional(item)


@pytest.mark.parametrize(
    "number",
    [
        Integer(0), Integer(1), Integer(-7), Integer(2**53 - 1), Integer(2**53 + 1),
        Integer(-(2**60) - 3), R(1, 3), R(-2, 7), R(2**52 + 1, 2**52 - 1), R(1, 2**60),
        Integer(10) ** 400, R(10**400 + 1, 3), sympy.Float("0.1"), sympy.sqrt(2), sympy.pi,
    ],
)  # fmt: skip
def test_complex_value_is_complex(number: Any) -> None:
    assert complex_value(number) == complex(number)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(-(2**70), 2**70),
    st.integers(1, 2**70),
)
def test_complex_value_of_rationals(p: int, q: int) -> None:
    r = R(p, q)
    assert complex_value(r) == complex(r)


POLYNOMIALS = st.lists(
    st.tuples(
        st.tuples(st.integers(-20, 20), st.sampled_from([1, 1, 2, 3, 7])).map(lambda t: R(*t)),
        st.lists(st.tuples(st.sampled_from([x, y, z, x_plain]), st.integers(0, 4)), max_size=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(POLYNOMIALS)
def test_random_polynomials_order_as_sympy(terms: list[tuple[Any, list[tuple[Any, int]]]]) -> None:
    expr = sympy.Add(*(c * sympy.Mul(*(s**k for s, k in powers)) for c, powers in terms))
    if expr.is_Add:
        assert ordered_terms(expr) == expr.as_ordered_terms()
        found = polynomial_terms(expr)
        if found is not None:
            assert found == [monomial(t) for t in expr.as_ordered_terms()]


@settings(max_examples=200, deadline=None)
@given(st.integers(-(2**80), 2**80))
def test_complex_value_of_integers(n: int) -> None:
    assert complex_value(Integer(n)) == complex(Integer(n))
