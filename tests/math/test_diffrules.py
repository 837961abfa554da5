"""jacobi's fast differentiation against SymPy's own ``diff``: the same tree, node for node.

Every check computes jacobi's derivative first (on a cleared SymPy cache, as in a
run) and then ``expr.diff(v)``, and asks for the same expression: ``==``, the same
``.args`` and the same ``srepr`` (which spells out every node in order).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacobi import function
from jacobi.lang.parse import symbol
from jacobi.math.derivatives import partial_derivative
from jacobi.math.diffrules import FAST_FUNCTIONS, derivative

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "differential.py"
_NAME = "jacobi_differential"
if _NAME in sys.modules:
    gen_module = sys.modules[_NAME]
else:
    _spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    assert _spec is not None and _spec.loader is not None
    gen_module = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = gen_module
    _spec.loader.exec_module(gen_module)

x, y, z = symbol("x"), symbol("y"), symbol("z")


def _outcome(fn: Callable[[], sympy.Expr]) -> sympy.Expr | type[Exception]:
    try:
        return fn()
    except Exception as error:  # SymPy refuses some derivatives; so must we, alike
        return type(error)


def assert_same_as_sympy(e: sympy.Expr, v: sympy.Basic) -> None:
    sympy.core.cache.clear_cache()
    mine = _outcome(lambda: derivative(e, v))
    via_api = _outcome(lambda: partial_derivative(e, v))
    reference = _outcome(lambda: e.diff(v))
    for got in (mine, via_api):
        if isinstance(reference, type) or isinstance(got, type):
            assert got == reference, (e, v, got, reference)
            continue
        assert got == reference, (e, v, got, reference)
        assert got.args == reference.args, (e, v)
        assert sympy.srepr(got) == sympy.srepr(reference), (e, v)


# --- the three workloads of issue 10, as jacobi reads them (slices of them) -----------------


def _bratu(n: int, rows: int) -> str:
    h2 = f"1/{(n + 1) ** 2}"
    comps = []
    for i in range(1, rows + 1):
        left = f"u{i - 1} - " if i > 1 else ""
        comps.append(f"{left}2*u{i} + u{i + 1} + {h2}*exp(u{i})")
    return ", ".join(comps)


def _brusselator(n: int, rows: int) -> str:
    m = n // 2
    a = f"{(m + 1) ** 2}/50"
    comps = []
    for i in range(1, rows // 2 + 1):
        ul, vl = (f"u{i - 1}", f"v{i - 1}") if i > 1 else ("1", "3")
        comps.append(f"1 + u{i}^2*v{i} - 4*u{i} + {a}*({ul} - 2*u{i} + u{i + 1})")
        comps.append(f"3*u{i} - u{i}^2*v{i} + {a}*({vl} - 2*v{i} + v{i + 1})")
    return ", ".join(comps)


def _arm(links: int) -> str:
    comps = []
    for k in range(1, links + 1):
        for trig in ("cos", "sin"):
            angles = ["+".join(f"t{j}" for j in range(1, i + 1)) for i in range(1, k + 1)]
            comps.append(" + ".join(f"{trig}({a})" for a in angles))
    return ", ".join(comps)


@pytest.mark.parametrize(
    "text",
    [_bratu(1000, 15), _brusselator(1000, 16), _arm(5)],
    ids=["bratu", "brusselator", "arm"],
)
def test_workloads_give_sympys_expressions(text: str) -> None:
    f = function(text)
    absent = symbol("absent")
    for comp in f.components:
        for v in [*sorted(comp.free_symbols, key=str), absent]:
            assert_same_as_sympy(comp, v)


# --- random expressions from the differential tester's generator ---------------------------


@pytest.mark.parametrize("seed", range(3))
def test_random_expressions_give_sympys_expressions(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    while checked < 25:
        names = rng.choice(gen_module.VARIABLE_SETS)
        try:
            e = gen_module.build(gen_module.gen(rng, names, 3))
        except ValueError:  # SymPy refuses the tree (Max of a non-real constant)
            continue
        for name in names:
            assert_same_as_sympy(e, symbol(name))
        checked += 1


# --- hand-picked nodes: the fast rules, their guards and the fallbacks ---------------------

f_undefined = sympy.Function("f")
nonreal = sympy.Symbol("w")  # no assumptions: Abs and sign differentiate differently
infinite = sympy.Symbol("h", infinite=True)  # is_finite False: 0*h is nan, not 0
zero = sympy.Symbol("o", zero=True)  # log(o) is zoo
nc = sympy.Symbol("n", commutative=False)
dummy = sympy.Dummy("x")

CASES = [
    x**2 * y - 4 * x + sympy.exp(x) / 1002001,
    3 * x * y * z,
    sympy.Float("2.5") * x * y,
    x * y * sympy.pi + sympy.E * x,
    sympy.sqrt(x**2 + y**2),
    1 / (1 + x**2),
    (x * y + 1) ** sympy.Rational(-3, 2),
    sympy.tan(x * y) + sympy.sec(x) + sympy.csc(x) + sympy.cot(x),
    sympy.asin(x) + sympy.acos(x * y) + sympy.atan(x**2) + sympy.acot(x),
    sympy.asec(x) + sympy.acsc(x) + sympy.asinh(x) + sympy.acosh(x) + sympy.atanh(x),
    sympy.sinh(x) * sympy.cosh(y) + sympy.tanh(x) + sympy.coth(x) + sympy.sech(x) + sympy.csch(x),
    sympy.acoth(x * y),
    sympy.atan2(y, x) + sympy.atan2(x**2, 1 + y),
    sympy.erf(x * y) + sympy.erfc(x),
    sympy.log(x**2 + 1) + sympy.log(x, 2) + sympy.log(x * y),
    sympy.exp(sympy.sin(x) * sympy.cos(x * y)),
    sympy.cos(x + y + z) + sympy.sin(-x - y),
    # fallbacks: specialised derivatives, variable exponents, special functions
    sympy.Abs(x) ** 3 + sympy.sign(x) * x**2,
    sympy.Abs(nonreal) * x + sympy.sign(nonreal * x),
    sympy.Max(x, y**2) + sympy.Min(x, 1) + sympy.Heaviside(x - y),
    sympy.Piecewise((x**2, x > 0), (sympy.sin(x), True)),
    x**x + 2**x + x**y + y ** (x * y),
    sympy.gamma(x) + sympy.loggamma(x * y) + sympy.polygamma(1, x) + sympy.besselj(2, x),
    sympy.LambertW(x) + sympy.LambertW(x, -1) + sympy.Ei(x) + sympy.Si(x),
    sympy.Derivative(sympy.sign(1 / y), y) * x + x,
    sympy.sign(1 / x) * y,
    f_undefined(x, y) * x + sympy.sin(f_undefined(x)),
    sympy.Subs(f_undefined(y), y, x**2) * x,
    sympy.Integral(x * y, (y, 0, 1)) * x + x,
    # the guards: infinite factors, zero and infinite bases, infinite numbers
    infinite * x * y + infinite * x,
    (sympy.zoo + 1 / (y - 5)) * sympy.sqrt(sympy.tan(1)),  # 0*(zoo + ...) is nan: found by a search
    (x + sympy.oo) * y * x + (x - sympy.oo) ** 2 * y,
    sympy.oo * x * y + sympy.zoo * x + x * sympy.nan,
    x**2 * sympy.exp(infinite) + sympy.log(infinite) * x,
    zero**2 + x * zero + (zero + x) ** 3,
    infinite**2 * x + (x + infinite) ** -1,
    dummy**2 * x + sympy.cos(dummy * x),
    nonreal**3 + sympy.exp(nonreal * x),
    nc * x + x * nc * y,
    sympy.Integer(7),
    x,
]


@pytest.mark.parametrize("e", CASES, ids=[str(i) for i in range(len(CASES))])
def test_hand_picked_expressions_give_sympys_expressions(e: sympy.Expr) -> None:
    for v in sorted(e.free_symbols, key=sympy.default_sort_key) + [z, dummy]:
        assert_same_as_sympy(e, v)


def test_other_things_to_differentiate_by_go_to_sympy() -> None:
    fx = f_undefined(x)
    assert_same_as_sympy(fx**2 + sympy.sin(fx), fx)
    assert_same_as_sympy(sympy.sin(x) * sympy.Derivative(fx, x), sympy.Derivative(fx, x))


def test_the_elementary_functions_take_the_fast_path() -> None:
    for cls in (sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.atan2, sympy.erf):
        assert cls in FAST_FUNCTIONS
    for cls in (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Piecewise, sympy.Max, sympy.gamma):
        assert cls not in FAST_FUNCTIONS


# --- property: random trees over fast and fallback nodes and the awkward leaves ------------

_LEAVES = [x, y, nonreal, infinite, zero, dummy, sympy.Integer(2), sympy.Rational(-1, 3)]
_LEAVES += [sympy.Float("0.5"), sympy.pi, sympy.E, sympy.oo, sympy.zoo]
_UNARY = [sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.atanh, sympy.erf]
_UNARY += [sympy.Abs, sympy.sign, sympy.sqrt, sympy.gamma, sympy.Heaviside]


@st.composite
def trees(draw: st.DrawFn, depth: int = 3) -> sympy.Expr:
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(_LEAVES))
    kind = draw(st.sampled_from(["add", "mul", "pow", "fn", "atan2", "max"]))
    a = draw(trees(depth - 1))
    try:
        if kind == "fn":
            return draw(st.sampled_from(_UNARY))(a)
        b = draw(trees(depth - 1))
        if kind == "pow":
            exponents = [2, 3, -1, -2, sympy.Rational(1, 2), sympy.Rational(-3, 2)]
            return a ** (b if draw(st.booleans()) else draw(st.sampled_from(exponents)))
        fn = {"add": sympy.Add, "mul": sympy.Mul, "atan2": sympy.atan2, "max": sympy.Max}[kind]
        return fn(a, b)
    except (ValueError, TypeError):  # SymPy refuses it (Max of zoo, a comparison with nan)
        return a


@settings(max_examples=40, deadline=None)
@given(trees())
def test_random_trees_give_sympys_expressions(e: sympy.Expr) -> None:
    if not isinstance(e, sympy.Expr):
        return
    for v in (x, y, nonreal, infinite, zero, dummy):
        assert_same_as_sympy(e, v)
