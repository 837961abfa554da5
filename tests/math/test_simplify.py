"""sin² + cos² = 1 on a polynomial's terms (single_term) and the plain monomials tidy keeps.

single_term's results are checked to be equal to the polynomial (numerically, at
points, to 30 digits) and to be the form the full search (``simplest``) picks;
the hand-derived cases are the volume elements of coordinate maps.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import cos, exp, sin

from jacobi.lang.parse import symbol
from jacobi.math import simplify as simp

r, t, p, x, a, b = (symbol(n) for n in ("r", "t", "p", "x", "a", "b"))


def polynomial(terms: dict[tuple[int, ...], int], gens: list[sympy.Expr]) -> sympy.Expr:
    return sympy.Add(
        *[c * sympy.Mul(*[g**e for g, e in zip(gens, m, strict=True)]) for m, c in terms.items()]
    )


# (terms, generators, the single term by hand, or None)
CASES = [
    # polar: r cos² + r sin² = r
    ({(1, 2, 0): 1, (1, 0, 2): 1}, [r, cos(t), sin(t)], r),
    # the complex exponential e^x (cos y, sin y): e^(2x) (cos² + sin²) is one term, but
    # exp is not a bare symbol or sin/cos: the search decides (and finds e^(2x))
    ({(2, 2, 0): 1, (2, 0, 2): 1}, [exp(x), cos(t), sin(t)], None),
    # 2 sin² - 1 + cos² = sin²: one term after cos² -> 1 - sin²
    ({(0, 2): 2, (0, 0): -1, (2, 0): 1}, [cos(t), sin(t)], sin(t) ** 2),
    # a lone cos(t)² next to a sin/cos pair in p: r cos²t (cos²p + sin²p) = r cos²t
    ({(1, 2, 2, 0): 1, (1, 2, 0, 2): 1}, [r, cos(t), cos(p), sin(p)], r * cos(t) ** 2),
    # sin² + cos² - 1 = 0: no term at all, the search's
    ({(2, 0): 1, (0, 2): 1, (0, 0): -1}, [cos(t), sin(t)], None),
    # -sin(p)³cos(p)² - sin(p)cos(p)⁴ is -sin(p)cos(p)² by sin³ = sin(1 - cos²), but that
    # reads longer (a minus sign) than sin(p)³ - sin(p), the search's choice
    ({(2, 3): -1, (4, 1): -1}, [cos(p), sin(p)], None),
    # 2 r sin²: a coefficient, the search's
    ({(1, 2, 0): 2, (1, 0, 2): 2}, [r, cos(t), sin(t)], None),
    # t sin(t): t is the argument too, the search's
    ({(1, 1, 2): 1, (1, 3, 0): 1}, [t, sin(t), cos(t)], None),
    # cos² - sin² stays two terms either way (it is cos 2t, a new function)
    ({(2, 0): 1, (0, 2): -1}, [cos(t), sin(t)], None),
    # sin and cos of a sum: the angle formulas are simplest's, not single_term's
    ({(2, 0): 1, (0, 2): 1}, [cos(a + b), sin(a + b)], None),
    # beyond TRIG_MAX_DEGREE: left alone, as simplest leaves it
    ({(14, 0): 1, (12, 2): 1}, [cos(t), sin(t)], None),
]


def test_spherical_volume_element() -> None:
    # r² sin θ (cos²φ + sin²φ)(cos²θ + sin²θ), expanded by hand into its four terms
    # (t is θ, p is φ): the textbook volume element r² sin θ.
    gens = [r, cos(p), cos(t), sin(p), sin(t)]
    terms = {(2, 2, 2, 0, 1): 1, (2, 2, 0, 0, 3): 1, (2, 0, 2, 2, 1): 1, (2, 0, 0, 2, 3): 1}
    assert simp.single_term(terms, gens) == r**2 * sin(t)


@pytest.mark.parametrize(("terms", "gens", "expected"), CASES)
def test_single_term(
    terms: dict[tuple[int, ...], int], gens: list[sympy.Expr], expected: sympy.Expr | None
) -> None:
    got = simp.single_term(terms, gens)
    if expected is None:
        assert got is None
    else:
        assert got == expected


def test_denominator_divides_the_term() -> None:
    assert simp.single_term({(1, 2, 0): 3, (1, 0, 2): 3}, [r, cos(t), sin(t)], 3) == r
    assert simp.single_term({(1, 2, 0): 3, (1, 0, 2): 3}, [r, cos(t), sin(t)], 6) is None


def numerically_equal(u: sympy.Expr, v: sympy.Expr) -> bool:
    for point in ({r: 0.7, t: 1.3, p: -0.4}, {r: -2.1, t: 0.2, p: 2.9}):
        subs = {k: sympy.Float(val, 30) for k, val in point.items()}
        if abs((u - v).evalf(30, subs=subs)) > 1e-20:
            return False
    return True


exponent = st.integers(0, 4)


@settings(max_examples=120, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 2), exponent, exponent, exponent, exponent),
        st.sampled_from([1, -1, 2, 3]),
        min_size=1,
        max_size=6,
    ),
    st.tuples(st.integers(0, 2), exponent, exponent, exponent, exponent),
    st.sampled_from([0, 1, 2]),
)
def test_single_term_is_equal_and_is_simplests_choice(
    terms: dict[tuple[int, ...], int], base: tuple[int, ...], pair: int
) -> None:
    gens = [r, cos(t), sin(t), cos(p), sin(p)]
    if pair:
        # add base*(cos² + sin² - 1) for t or p: a polynomial that does reduce
        i = 2 * pair - 1
        for shift, sign in (((i, 2),), 1), (((i + 1, 2),), 1), ((), -1):
            m = list(base)
            for k, add in shift:
                m[k] += add
            terms[tuple(m)] = terms.get(tuple(m), 0) + sign
        terms = {m: c for m, c in terms.items() if c}
    got = simp.single_term(terms, gens)
    if got is None or not terms:
        return
    expr = polynomial(terms, gens)
    assert numerically_equal(got, expr)
    assert not isinstance(got, sympy.Add)
    assert got == simp.simplest(expr)  # the full search picks the same form


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([r, t, x, r**2, t**3, sin(t), cos(p), sin(x), cos(r)]),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([1, -1, 2, -6]),
)
def test_plain_monomials_are_their_own_tidy_form(
    factors: list[sympy.Expr], coefficient: int
) -> None:
    m = coefficient * sympy.Mul(*factors)
    if m.is_Atom:
        return
    trig_powers = [
        f
        for f in sympy.Mul.make_args(m)
        if isinstance(f, sympy.Pow) and isinstance(f.base, (sin, cos))
    ]
    assert simp.plain_monomial(m) == (not trig_powers)
    assert simp.tidy(m) == m


@pytest.mark.parametrize(
    "expr",
    [r * cos(t) ** 2, r / t, sin(2 * t) * r, sin(a + b) * r, r * t + 1, sympy.sqrt(r) * t],
)
def test_not_plain_monomials(expr: sympy.Expr) -> None:
    assert not simp.plain_monomial(expr)


@pytest.mark.parametrize(
    ("expr", "degree"),
    [
        (sin(x) + cos(x) ** sympy.Rational(-999, 1000), 999),
        (x ** sympy.Rational(1, 2) + x ** sympy.Rational(1, 3) + x**5, 30),  # x**(1/6)
        (x ** sympy.Rational(3, 2) * t ** sympy.Rational(1, 4), 3),
        (x**9 + t**2, 0),
    ],
)
def test_root_degree(expr: sympy.Expr, degree: int) -> None:
    assert simp.root_degree(expr) == degree


def test_high_roots_are_not_factorised() -> None:
    # d/dx (cos(x)**(1/1000) - x): factoring it is a degree-999 polynomial in
    # cos(x)**(1/1000), which SymPy does not finish; the entry is kept as differentiated
    d = (cos(x) ** sympy.Rational(1, 1000) - x).diff(x)
    assert simp.needs_too_much(d) and simp.tidy(d) == d
    assert simp.too_large(d) and simp.simplest(d) == d
    low = (cos(x) ** sympy.Rational(1, 10) - x).diff(x)
    assert not simp.needs_too_much(low) and not simp.too_large(low)
