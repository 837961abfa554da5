"""The fast routes of the determinant (jacobi.math.minors, the canonical assembly) against facts.

Every route (Python dicts, exact int64 arrays, residues modulo primes joined by
the CRT) must give the same polynomial: each is forced here on small matrices
and checked against SymPy's own Berkowitz determinant, expanded, or against a
result derived by hand. The canonical assembly is checked against SymPy's own
``Add(*terms)`` (the same arguments in the same order).
"""

from __future__ import annotations

import random

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, sin

from jacobi import function
from jacobi.errors import LimitError
from jacobi.lang.parse import symbol
from jacobi.lang.printing import to_text
from jacobi.math import determinant as dets
from jacobi.math import minors

r, theta = symbol("r"), symbol("theta")
l1, l2, t2 = symbol("l1"), symbol("l2"), symbol("t2")


# --------------------------------------------------------------------------- coordinate maps

# (function, --vars, det J by hand, as shown). Polar: cos·r cos + r sin·sin = r. Spherical
# (r, θ, φ): the textbook volume element r² sin θ. Cylindrical: polar times dz/dz = 1.
# Two-link arm, end point (l1 cos t1 + l2 cos(t1+t2), l1 sin t1 + l2 sin(t1+t2)): with
# c = cos, s = sin, det = l1 l2 (s(t1+t2) c(t1) - c(t1+t2) s(t1)) = l1 l2 sin(t2).
COORDINATES = [
    ("r*cos(t), r*sin(t)", None, r, "r"),
    (
        "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
        "r,theta,phi",
        r**2 * sin(theta),
        "r**2*sin(theta)",
    ),
    ("r*cos(t), r*sin(t), z", "r,t,z", r, "r"),
    (
        "l1 cos(t1) + l2 cos(t1 + t2), l1 sin(t1) + l2 sin(t1 + t2)",
        "t1,t2",
        l1 * l2 * sin(t2),
        "l1*l2*sin(t2)",
    ),
]


@pytest.mark.parametrize(("text", "variables", "expected", "shown"), COORDINATES)
def test_coordinate_maps(
    text: str, variables: str | None, expected: sympy.Expr, shown: str
) -> None:
    got = dets.jacobian_determinant(function(text, variables=variables)).value
    assert sympy.simplify(got - expected) == 0
    assert to_text(got) == shown


# --------------------------------------------------------------------------- dense polynomial maps


def quadratic(
    n: int, seed: int, scale: int = 1
) -> tuple[str, list[sympy.Expr], list[sympy.Symbol]]:
    """A dense quadratic map: its text, and the same components built directly in SymPy."""
    rng = random.Random(seed)
    xs = [symbol(f"x{i}") for i in range(1, n + 1)]
    texts, exprs = [], []
    for _ in range(n):
        parts, terms = [], []
        for j in range(n):
            for k in range(j, n):
                c = rng.choice([-3, -2, -1, 1, 2, 3]) * scale
                parts.append(f"{c}*x{j + 1}*x{k + 1}")
                terms.append(c * xs[j] * xs[k])
            c = rng.choice([-3, -2, -1, 1, 2, 3])
            parts.append(f"{c}*x{j + 1}")
            terms.append(c * xs[j])
        texts.append(" + ".join(parts))
        exprs.append(sympy.Add(*terms))
    return ", ".join(texts), exprs, xs


def berkowitz(exprs: list[sympy.Expr], xs: list[sympy.Symbol]) -> sympy.Expr:
    return sympy.expand(Matrix(exprs).jacobian(xs).det(method="berkowitz"))


ROUTES = {
    # (ARRAY_MIN_WORK, ARRAY_MIN_WORK_PER_MINOR, EXACT_BOUND)
    "dicts": (10**18, 10**18, minors.EXACT_BOUND),
    "int64 arrays": (0, 0, minors.EXACT_BOUND),
    "modular arrays": (0, 0, 2**8),  # every coefficient bound exceeds this: primes and the CRT
    "mixed": (300, 50, 2**8),  # small levels on dicts, large ones on arrays
}


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("n", [3, 4, 5])
def test_dense_quadratic_equals_berkowitz(
    route: str, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    least, per_minor, exact = ROUTES[route]
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK", least)
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK_PER_MINOR", per_minor)
    monkeypatch.setattr(minors, "EXACT_BOUND", exact)
    text, exprs, xs = quadratic(n, seed=n)
    got = dets.jacobian_determinant(function(text)).value
    assert sympy.expand(got - berkowitz(exprs, xs)) == 0


@pytest.mark.parametrize("scale", [10**9, 10**40])
def test_large_coefficients_are_exact(scale: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # 10^9: the bound passes 2^62, so residues modulo primes; 10^40: more digits than all
    # the primes hold together, so the dicts (big integers) do it.
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK", 0)
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK_PER_MINOR", 0)
    text, exprs, xs = quadratic(4, seed=11, scale=scale)
    got = dets.jacobian_determinant(function(text)).value
    assert sympy.expand(got - berkowitz(exprs, xs)) == 0


def test_cancelling_minors_are_dropped_on_every_route(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows 1 and 2 are equal: every minor on them is 0, so is the determinant.
    x, y = symbol("x"), symbol("y")
    rows = [[x + y, x * y, 1, x], [x, y, x * y, 2], [x, y, x * y, 2], [1, x, y, x + 1]]
    for least in (10**18, 0):
        monkeypatch.setattr(minors, "ARRAY_MIN_WORK", least)
        monkeypatch.setattr(minors, "ARRAY_MIN_WORK_PER_MINOR", 0)
        assert dets.determinant(Matrix(rows), simplify=False).value == 0


def test_limit_holds_on_arrays_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK", 0)
    monkeypatch.setattr(minors, "ARRAY_MIN_WORK_PER_MINOR", 0)
    monkeypatch.setattr(dets, "MAX_WORK", 10_000)
    text, _, _ = quadratic(6, seed=2)
    with pytest.raises(LimitError, match="too large to expand"):
        dets.jacobian_determinant(function(text), simplify=False)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(
                st.dictionaries(st.integers(0, 8), st.integers(-50, 50).filter(bool), max_size=3),
                min_size=n,
                max_size=n,
            ),
            min_size=n,
            max_size=n,
        )
    )
)
def test_the_bound_bounds_every_coefficient(rows: list[list[dict[int, int]]]) -> None:
    # Packed exponents 0..8 of one variable, radix large enough for no carries.
    n = len(rows)
    bound = minors.coefficient_bound(rows, n, 10**6)
    u = sympy.Symbol("u")
    m = Matrix([[sum(c * u**k for k, c in e.items()) for e in row] for row in rows])
    det = sympy.Poly(sympy.expand(m.det(method="berkowitz")), u)
    assert bound is not None
    assert all(abs(int(c)) <= bound for c in det.coeffs())
    assert minors.expand(rows, n, max_frontier=10**6, max_work=10**9, key_limit=9 * n) == {
        k: int(c) for (k,), c in det.as_dict().items()
    }


def test_primes_are_primes_below_2_31() -> None:
    assert all(sympy.isprime(p) and p < 2**31 for p in minors.PRIMES)
    assert len(set(minors.PRIMES)) == len(minors.PRIMES)


# --------------------------------------------------------------------------- canonical assembly

names = st.sampled_from(["x", "x1", "x10", "X", "a_2", "theta", "lambda", "E", "b"])


@settings(max_examples=80, deadline=None)
@given(
    st.lists(names, min_size=1, max_size=4, unique=True),
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 3), min_size=4, max_size=4),
            st.sampled_from([1, -1, 2, -2, 3, 10**25, -7]),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([1, 1, 2, 6]),
    st.booleans(),
)
def test_assembly_is_sympys_own_sum(
    gens_names: list[str], raw: list[tuple[list[int], int]], den: int, plain: bool
) -> None:
    gens = [symbol(g) if plain else sympy.Symbol(g) for g in gens_names]
    if not plain:
        gens[0] = sympy.Dummy(gens_names[0])  # a class outside SymPy's ordering table
    k = len(gens)
    terms = {tuple(e[:k]): c for e, c in raw}
    fast = dets._from_terms(terms, gens, den)
    slow = sympy.Add(
        *[
            sympy.Rational(c, den) * sympy.Mul(*[g**e for g, e in zip(gens, m, strict=True)])
            for m, c in terms.items()
        ]
    )
    assert fast == slow
    assert fast.args == slow.args and type(fast) is type(slow)
    for a, b in zip(sympy.preorder_traversal(fast), sympy.preorder_traversal(slow), strict=True):
        assert a.args == b.args  # every product's factors in SymPy's order too


@pytest.mark.parametrize("with_numpy", [True, False])
def test_unpacking_packed_exponents(with_numpy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import numpy

    if with_numpy:
        monkeypatch.setitem(sys.modules, "numpy", numpy)
    else:
        monkeypatch.delitem(sys.modules, "numpy")
    rng = random.Random(4)
    bounds = [3, 0, 7, 2]
    radix = [1, 4, 4, 32]  # mixed radix: (b + 1) of the generators before
    big = 10**30
    vectors = {}
    for _ in range(3000):
        vectors[tuple(rng.randint(0, b) for b in bounds)] = rng.randint(-big, big)
    packed = {sum(e * r for e, r in zip(v, radix, strict=True)): c for v, c in vectors.items()}
    assert dets._unpack(packed, bounds, radix) == vectors
