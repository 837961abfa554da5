"""Derivations of determinants and chain-rule entries (issue 12): every line agrees.

Each line of each derivation (and of each child) is evaluated at random rational
points, its unevaluated derivatives replaced by SymPy's own ``diff``, and must agree
with the first line; a ``"substitute"`` line must agree with the line before it with
the derivation's point substituted. The last line must be jacobi's own result
(``jacobian_determinant``, ``chain(...).product``), the determinant must also equal
SymPy's ``Matrix.det`` of the matrix, and every line's text must read back with
jacobi's parser to the line.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
import sympy

from jacobi.api import function
from jacobi.lang.parse import parse_expression, symbol
from jacobi.lang.printing import to_text
from jacobi.math.chain import chain
from jacobi.math.derivatives import jacobian
from jacobi.math.determinant import determinant, jacobian_determinant
from jacobi.math.steps import Derivation, Line, pending
from jacobi.math.steps_matrix import (
    MAX_COFACTOR_ORDER,
    best_line,
    chain_steps,
    determinant_steps,
)

ROOT = Path(__file__).resolve().parents[2]
x, y, z, r, t = (symbol(n) for n in ("x", "y", "z", "r", "t"))


# --------------------------------------------------------------------------- the checker


def _plain(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with each unevaluated derivative done by SymPy (DiracDelta terms dropped)."""
    done = {d: d.doit().replace(sympy.DiracDelta, lambda *a: sympy.S.Zero) for d in pending(expr)}
    return expr.xreplace(done)


def _value(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> complex | None:
    """``expr`` at ``point`` (30 digits), or None where it is not a finite real number."""
    try:
        v = _plain(expr).evalf(30, subs=point)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number) or abs(im) > 1e-20 * max(1, abs(re)):
        return None
    return complex(float(re), float(im))


def _points(rng: random.Random, symbols: Sequence[sympy.Symbol], k: int) -> list[dict]:
    numerators = [n for n in range(-29, 30) if n]
    return [
        {s: sympy.Rational(rng.choice(numerators), rng.choice((7, 11, 13))) for s in symbols}
        for _ in range(k)
    ]


def _agree(a: complex, b: complex) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a))


class Tally:
    def __init__(self) -> None:
        self.derivations = 0
        self.lines = 0
        self.compared = 0


def check(d: Derivation, rng: random.Random, tally: Tally) -> None:
    """Every line (and every child's) agrees with the first; every line reads back."""
    tally.derivations += 1
    tally.lines += len(d.lines)
    body = d.lines[:-1] if d.point else d.lines
    symbols = sorted(set().union(*(line.expr.free_symbols for line in d.lines)), key=str)
    for line in d.lines:
        _reads_back(line, rng)
        for child in line.children:
            check(child, rng, tally)
    good = 0
    for point in _points(rng, symbols, 8):
        first = _value(body[0].expr, point)
        if first is None:
            continue
        for k, line in enumerate(body[1:], start=1):
            got = _value(line.expr, point)
            assert got is not None and _agree(first, got), (k, line.rule, to_text(line.expr))
            tally.compared += 1
        good += 1
        if good == 3:
            break
    assert good or len(body) == 1, [to_text(line.expr) for line in body]
    if d.point:
        last = d.lines[-1]
        assert last.rule == "substitute"
        moved = sympy.sympify(body[-1].expr).xreplace(dict(d.point))
        for point in _points(rng, sorted(last.expr.free_symbols | moved.free_symbols, key=str), 3):
            a, b = _value(moved, point), _value(last.expr, point)
            if a is not None and b is not None:
                assert _agree(a, b), (to_text(moved), to_text(last.expr))
                tally.compared += 1


def _reads_back(line: Line, rng: random.Random) -> None:
    text = to_text(line.expr)
    names = sorted(s.name for s in line.expr.free_symbols)
    back = parse_expression(text, variables=names, keep_derivatives=True)
    if back == line.expr:
        return
    # 2*(x + 1) prints as it reads, but reads back distributed: equal in value
    for point in _points(rng, sorted(line.expr.free_symbols, key=str), 2):
        a, b = _value(line.expr, point), _value(back, point)
        assert (a is None) == (b is None) and (a is None or b is None or _agree(a, b)), text


def rules(d: Derivation) -> list[str]:
    return [line.rule for line in d.lines]


# --------------------------------------------------------------------------- determinants


def _det_case(texts: str, variables: str | None = None) -> Derivation:
    """The determinant derivation of f's Jacobian, checked: jacobi's and SymPy's value."""
    f = function(texts, variables=variables)
    jac = jacobian(f)
    d = determinant_steps(jac)
    assert d.last == jacobian_determinant(f).value
    assert sympy.simplify(d.first - sympy.Matrix(jac).det()) == 0
    tally = Tally()
    check(d, random.Random(7), tally)
    assert tally.compared >= len(d.lines) - 1
    return d


def test_polar_gives_r() -> None:
    d = _det_case("r cos(t), r sin(t)")
    assert rules(d) == ["2x2 determinant", "simplify"]
    c, s = sympy.cos(t), sympy.sin(t)
    assert d.first == c * (r * c) - (-r * s) * s  # a*d - b*c with the entries in place
    assert d.last == r


def test_spherical_gives_r2_sin_theta() -> None:
    d = _det_case(
        "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)", variables="r,theta,phi"
    )
    theta = symbol("theta")
    assert d.last == r**2 * sympy.sin(theta)
    assert to_text(d.last) == "r**2*sin(theta)"
    # the third row (cos θ, -r sin θ, 0) is the one with a zero
    assert d.lines[0].rule == "cofactor expansion"
    assert d.lines[0].along == ("row", 2)
    assert d.lines[0].count == 2 and len(d.lines[0].children) == 2
    assert rules(d)[-1] == "simplify"


def test_seed_example_is_the_2x2_formula() -> None:
    d = _det_case("x+y, x*y")
    assert [(line.expr, line.rule) for line in d.lines] == [(x - y, "2x2 determinant")]


def test_one_by_one() -> None:
    d = _det_case("x^2")
    assert rules(d) == ["1x1 determinant"] and d.last == 2 * x


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], ("row", 0)),  # no zeros: the first row
        ([[1, 0, 3], [4, 0, 6], [7, 8, 9]], ("column", 1)),
        ([[1, 2, 3], [0, 5, 0], [7, 8, 9]], ("row", 1)),
        ([[1, 2, 0], [4, 5, 6], [0, 8, 9]], ("row", 0)),  # tie of rows and columns: row 0
        ([[1, 2, 3], [4, 5, 0], [7, 8, 0]], ("column", 2)),
    ],
)
def test_the_line_with_most_zeros(rows: list[list[int]], line: tuple[str, int]) -> None:
    assert best_line(sympy.Matrix(rows)) == line


def test_three_by_three_with_zeros_expands_along_the_zeros() -> None:
    m = sympy.Matrix([[x, 0, y], [z, 0, 1], [x * y, 2, 0]])
    d = determinant_steps(m)
    head = d.lines[0]
    assert head.rule == "cofactor expansion" and head.along == ("column", 1)
    # one non-zero entry in column 1: (-1)**(2+1) * 2 * det [[x, y], [z, 1]]
    assert head.count == 1
    assert d.first == -2 * (x - y * z)
    (child,) = head.children
    assert child.first == x * 1 - y * z
    assert d.last == determinant(m).value
    assert sympy.expand(d.last - m.det()) == 0
    check(d, random.Random(3), Tally())


def test_four_by_four() -> None:
    f = function("x*y + z, y*z*w, x - w^2, x*y*z*w", variables="x,y,z,w")
    jac = jacobian(f)
    d = determinant_steps(jac)
    assert d.lines[0].rule == "cofactor expansion"
    assert all(c.lines[0].rule == "cofactor expansion" for c in d.lines[0].children)
    assert d.last == jacobian_determinant(f).value
    assert sympy.expand(d.first - sympy.Matrix(jac).det()) == 0
    tally = Tally()
    check(d, random.Random(4), tally)
    assert tally.derivations > 4


def test_a_dense_four_by_four_is_written_out() -> None:
    m = sympy.Matrix(4, 4, lambda i, j: symbol(f"a{i}{j}"))
    d = determinant_steps(m)
    assert d.lines[0].rule == "cofactor expansion"
    assert len(sympy.expand(d.first).args) == 24
    assert d.last == determinant(m).value
    check(d, random.Random(5), Tally())


def test_six_by_six_names_the_method() -> None:
    f = function(", ".join(f"x{k}*x{(k + 1) % 6} + x{k}^2" for k in range(6)))
    assert f.n == 6 > MAX_COFACTOR_ORDER
    jac = jacobian(f)
    d = determinant_steps(jac)
    assert [(line.expr, line.rule) for line in d.lines] == [
        (jacobian_determinant(f).value, "Berkowitz")
    ]
    numbers = sympy.Matrix(6, 6, lambda i, j: (i + 1) ** j)
    d = determinant_steps(numbers)
    assert [(line.expr, line.rule) for line in d.lines] == [
        (numbers.det(), "fraction-free elimination")
    ]


def test_too_many_terms_names_the_method() -> None:
    m = sympy.Matrix(4, 4, lambda i, j: symbol(f"a{i}{j}"))
    d = determinant_steps(m, max_terms=10)
    assert rules(d) == ["Berkowitz"] and d.last == determinant(m).value


def test_the_caller_passes_the_result() -> None:
    m = sympy.Matrix([[1, 1], [y, x]])
    d = determinant_steps(m, result=x - y)
    assert d.last == x - y
    assert determinant_steps(sympy.Matrix([[x, 1], [1, x]]), result=x**2 - 1).last == x**2 - 1


def test_rational_entries_end_in_jacobis_determinant() -> None:
    d = _det_case("x/(x+y)*y, y^2/(x-y)+x")
    assert rules(d) == ["2x2 determinant", "simplify"]  # expanding would only lengthen it
    assert _det_case("x/(x+y), y/(x-y)").last == 0


def test_determinant_steps_are_deterministic() -> None:
    f = function("x*y + z, y*z*w, x - w^2, x*y*z*w", variables="x,y,z,w")
    runs = [
        [(to_text(line.expr), line.rule) for line in determinant_steps(jacobian(f)).lines]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


# --------------------------------------------------------------------------- the chain rule


def _chain_case(texts: Sequence[str], variables: Sequence[str | None]) -> list[Derivation]:
    layers = [function(s, variables=v) for s, v in zip(texts, variables, strict=True)]
    c = chain(layers)
    direct = c.direct
    found = []
    rng = random.Random(11)
    for i in range(c.product.rows):
        for j in range(c.product.cols):
            d = chain_steps(c, i, j)
            assert d.last == c.product[i, j]
            assert d.lines[0].rule == "chain rule"
            # the entry equals the Jacobian of the composition, computed directly
            for point in _points(rng, sorted(direct[i, j].free_symbols, key=str), 2):
                a, b = _value(direct[i, j], point), _value(d.first, point)
                if a is not None and b is not None:
                    assert _agree(a, b)
            check(d, rng, Tally())
            found.append(d)
    return found


def test_chain_seed_003() -> None:
    (d,) = _chain_case(["exp(x1*x2^2)", "t*cos(t), t*sin(t)"], [None, None])
    head = d.lines[0]
    assert head.count == 2
    x1, x2 = symbol("x1"), symbol("x2")
    firsts = [c.first for c in head.children]
    assert firsts == [
        sympy.Derivative(sympy.exp(x1 * x2**2), x1),
        sympy.Derivative(sympy.exp(x1 * x2**2), x2),
        sympy.Derivative(t * sympy.cos(t), t),
        sympy.Derivative(t * sympy.sin(t), t),
    ]
    # ∂g/∂x_k at x = h(t): the substitution is the children's last line
    assert head.children[0].point == ((x1, t * sympy.cos(t)), (x2, t * sympy.sin(t)))
    assert head.children[0].lines[-1].rule == "substitute"
    assert not head.children[2].point


def test_chain_two_by_two() -> None:
    ds = _chain_case(["u*v, u+v", "x*y, x-y"], ["u,v", "x,y"])
    assert len(ds) == 4
    u, v = symbol("u"), symbol("v")
    # entry (1, 1): ∂(u+v)/∂u ∂(xy)/∂y + ∂(u+v)/∂v ∂(x-y)/∂y = x - 1
    assert ds[3].first == x - 1
    assert ds[3].lines[0].children[0].first == sympy.Derivative(u + v, u)
    # entry (0, 0): v*y + u*1 at u = xy, v = x - y
    assert sympy.expand(ds[0].first - ((x - y) * y + x * y)) == 0


def test_chain_with_three_layers() -> None:
    ds = _chain_case(["sin(a)", "u*v", "x*y, x-y"], ["a", "u,v", "x,y"])
    head = ds[0].lines[0]
    inner = head.children[-1]
    assert inner.lines[0].rule == "chain rule" and inner.lines[0].children


def test_chain_terms_over_the_bound_have_no_children() -> None:
    c = chain([function("u*v, u+v", variables="u,v"), function("x*y, x-y")])
    d = chain_steps(c, 0, 0, max_terms=1)
    assert d.lines[0].count == 2 and d.lines[0].children == ()
    assert d.last == c.product[0, 0]


# --------------------------------------------------------------------------- the seeds


def _seed_cases(command: str) -> list[dict]:
    lines = (ROOT / "samples" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    return [case for raw in lines if (case := json.loads(raw))["command"] == command]


@pytest.mark.parametrize("case", _seed_cases("det"), ids=lambda c: c["id"])
def test_seed_determinants(case: dict) -> None:
    _det_case(case["exprs"], case.get("vars"))


@pytest.mark.parametrize("case", _seed_cases("chain"), ids=lambda c: c["id"])
def test_seed_chains(case: dict) -> None:
    texts = case["exprs"]
    _chain_case(texts, [None] * len(texts))


def test_seed_003_linear_change_of_basis() -> None:
    # seed 003 (5.62)-(5.66): y1 = -2 x1 + x2, y2 = x1 + x2; |det J| = 3
    d = _det_case("-2*x1 + x2, x1 + x2")
    assert [(line.expr, line.rule) for line in d.lines] == [(-3, "2x2 determinant")]


def test_seed_001_left_multiplication_by_a_matrix() -> None:
    # seed 001: f(x) = W x, df/dx = W; det W by cofactors along the first row (no zeros)
    rows = [" + ".join(f"w{i}{j}*x{j}" for j in range(1, 4)) for i in range(1, 4)]
    d = _det_case(", ".join(rows), variables="x1,x2,x3")
    assert d.lines[0].along == ("row", 0) and d.lines[0].count == 3
    assert len(sympy.expand(d.first).args) == 6


def test_seed_001_elementwise_function_of_a_linear_layer() -> None:
    # seed 001's elementwise functions: sigmoid applied to W x; J = diag(sigmoid'(Wx)) W
    ds = _chain_case(
        ["sigmoid(u1), sigmoid(u2)", "w11*x1 + w12*x2, w21*x1 + w22*x2"], ["u1,u2", "x1,x2"]
    )
    # entry (0, 1): only k = 1 contributes (d sigmoid(u1)/d u2 = 0)
    head = ds[1].lines[0]
    assert head.count == 1
    u1 = symbol("u1")
    assert head.children[0].first == sympy.Derivative(sympy.Pow(1 + sympy.exp(-u1), -1), u1)
