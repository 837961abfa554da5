"""SymPy expressions for tests that hold a fast printer to SymPy's own: random trees,
random polynomials, the robot arm's Jacobian and a dense quadratic map's determinant."""

from __future__ import annotations

import random
from typing import Any

import sympy
from hypothesis import strategies as st
from sympy import Integer
from sympy import Rational as R

from jacobi import function
from jacobi.math.determinant import jacobian_determinant

x, y, z, theta, alpha_2 = sympy.symbols("x y z theta alpha_2", real=True)
x_plain = sympy.Symbol("x")  # the name of x, without its assumptions
PI = sympy.Symbol("pi", real=True)
E_sym = sympy.Symbol("E", real=True)
f = sympy.Function("f")

SYMBOLS = [x, y, z, theta, alpha_2, x_plain, PI, E_sym]

LEAVES = st.one_of(
    st.sampled_from(SYMBOLS),
    st.integers(-12, 12).map(Integer),
    st.tuples(st.integers(-40, 40), st.integers(1, 12)).map(lambda t: R(*t)),
    st.sampled_from([sympy.pi, sympy.E, sympy.sqrt(2), sympy.Float("0.1"), sympy.Float("2.5", 30)]),
)
UNARY = [
    sympy.sin, sympy.cos, sympy.exp, sympy.log, sympy.sqrt, sympy.Abs, sympy.sign,
    sympy.atan, sympy.Heaviside, sympy.gamma, lambda a: -a, lambda a: a / 3,
    lambda a: 1 / (1 + sympy.exp(-a)), lambda a: sympy.diff(a, x), f,
]  # fmt: skip
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / b,
    lambda a, b: sympy.Mul(a, b, evaluate=False),
    lambda a, b: sympy.Add(a, b, evaluate=False),
    lambda a, b: sympy.expand(a * b),
    sympy.atan2,
    sympy.Max,
]
EXPONENTS = st.one_of(
    st.integers(-3, 5).map(Integer), st.sampled_from([R(1, 2), R(-1, 2), R(2, 3), R(-1, 3)])
)


def _apply(t: tuple[Any, ...]) -> Any:
    try:
        return t[0](*t[1:])
    except (ValueError, TypeError, ZeroDivisionError):
        return sympy.nan


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    children_x = children.filter(lambda e: x in getattr(e, "free_symbols", ()))
    return st.one_of(
        st.tuples(st.sampled_from(BINARY), children, children).map(_apply),
        st.tuples(st.sampled_from(UNARY), children).map(_apply),
        # exponents with a variable, or small numbers: numeric towers grow without bound
        st.tuples(st.just(lambda a, b: a**b), children, st.one_of(EXPONENTS, children_x)).map(
            _apply
        ),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=10)

#: Polynomials: terms c*x**a*y**b*... with rational c, which print by the polynomial path.
MONOMIALS = st.tuples(
    st.one_of(
        st.integers(-(10**20), 10**20).map(Integer),
        st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(lambda t: R(*t)),
    ),
    st.lists(st.tuples(st.sampled_from(SYMBOLS[:6]), st.integers(0, 5)), max_size=4),
)
POLYNOMIALS = st.lists(MONOMIALS, min_size=1, max_size=10).map(
    lambda terms: sympy.Add(*(c * sympy.Mul(*(s**k for s, k in ps)) for c, ps in terms))
)


def arm_jacobian(k: int) -> sympy.Matrix:
    """The Jacobian of a planar arm of ``k`` unit links (the issue's 40-link workload)."""
    t = sympy.symbols(f"t1:{k + 1}", real=True)
    angles = [sum(t[:i]) for i in range(1, k + 1)]
    comps = []
    for i in range(1, k + 1):
        comps += [sum(sympy.cos(a) for a in angles[:i]), sum(sympy.sin(a) for a in angles[:i])]
    return sympy.Matrix(comps).jacobian(t)


def quadratic_determinant(n: int, seed: int = 1) -> Any:
    """det J of a dense quadratic map in n variables (benchmarks/calculus.py's workload)."""
    rng = random.Random(seed)
    comps = []
    for _ in range(n):
        terms = [
            f"{rng.choice([-3, -2, -1, 1, 2, 3])}*x{j}*x{k}"
            for j in range(1, n + 1)
            for k in range(j, n + 1)
        ]
        terms += [f"{rng.choice([-3, -2, -1, 1, 2, 3])}*x{j}" for j in range(1, n + 1)]
        comps.append(" + ".join(terms))
    return jacobian_determinant(function(",\n".join(comps))).value
