"""Determinants, volume elements and orientation, against hand-derived results.

Every expected value here was derived by hand (or is a textbook's printed result),
never pasted from jacobi's own output.
"""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Abs, Matrix, Rational, exp, sin, sqrt, tanh

from jacobi import function
from jacobi.commands import api as commands
from jacobi.errors import LimitError, ShapeError
from jacobi.lang.parse import symbol
from jacobi.math import determinant as dets

x, y, z, r = (symbol(n) for n in ("x", "y", "z", "r"))
theta = symbol("theta")
x1, x2 = (symbol(n) for n in ("x1", "x2"))
l1, l2, b = symbol("l1"), symbol("l2"), symbol("b")
sigma, rho, beta = symbol("sigma"), symbol("rho"), symbol("beta")
w11, w12, w21, w22 = (symbol(n) for n in ("w11", "w12", "w21", "w22"))


def same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Mathematical equality, by expansion or (small inputs) simplification."""
    d = sympy.expand(a - b)
    return d == 0 or sympy.simplify(d) == 0


# --------------------------------------------------------------------------- determinants

ARM3 = "l1 cos(a) + l2 cos(a+b) + l3 cos(a+b+c), l1 sin(a) + l2 sin(a+b) + l3 sin(a+b+c), a+b+c"
LORENZ = "sigma*(y - x), x*(rho - z) - y, x*y - beta*z"
TANH_LAYER = "tanh(w11 x1 + w12 x2), tanh(w21 x1 + w22 x2)"

# (function, --vars, hand-derived det J, the form shown)
DETERMINANTS = [
    ("r*cos(t), r*sin(t)", None, r),  # polar
    ("r*cos(t), r*sin(t), z", "r,t,z", r),  # cylindrical
    (
        "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
        "r,theta,phi",
        r**2 * sin(theta),
    ),  # spherical
    ("x+y, x*y", None, x - y),  # seed 001
    ("-2 x1 + x2, x1 + x2", None, sympy.Integer(-3)),  # seed 003, (5.63)-(5.66)
    ("2x + 3y, 4x - y", None, sympy.Integer(-14)),  # affine map: det A
    ("x^2, y^2", None, 4 * x * y),
    ("x/y, y", None, 1 / y),  # rational entries
    ("exp(x) cos(y), exp(x) sin(y)", None, exp(2 * x)),  # the complex exponential
    (ARM3, "a,b,c", l1 * l2 * sin(b)),  # planar 3-link arm with its orientation
    (LORENZ, "x,y,z", sigma * (beta * (rho - z - 1) - x**2 - x * y)),
    (
        TANH_LAYER,
        "x1,x2",
        (1 - tanh(w11 * x1 + w12 * x2) ** 2)
        * (1 - tanh(w21 * x1 + w22 * x2) ** 2)
        * (w11 * w22 - w12 * w21),
    ),  # a tanh layer: det(diag(1 - tanh(z)^2) W)
    ("x", None, sympy.Integer(1)),
    # J = [[yz, xz, xy], [1, 1, 1], [1, -1, 0]]: yz(0 + 1) - xz(0 - 1) + xy(-1 - 1)
    ("x*y*z, x + y + z, x - y", "x,y,z", y * z + x * z - 2 * x * y),
]


@pytest.mark.parametrize(("text", "variables", "expected"), DETERMINANTS)
def test_textbook_determinants(text: str, variables: str | None, expected: sympy.Expr) -> None:
    got = dets.jacobian_determinant(function(text, variables=variables)).value
    assert same(got, expected), got


@pytest.mark.parametrize(
    ("text", "variables", "shown"),
    [
        ("r*cos(t), r*sin(t)", None, "r"),
        (
            "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
            "r,theta,phi",
            "r**2*sin(theta)",
        ),
        ("x+y, x*y", None, "x - y"),
        (ARM3, "a,b,c", "l1*l2*sin(b)"),
        ("x/y, y", None, "1/y"),
    ],
)
def test_determinants_are_shown_simplified(text: str, variables: str | None, shown: str) -> None:
    from jacobi.lang.printing import to_text

    assert to_text(dets.jacobian_determinant(function(text, variables=variables)).value) == shown


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2x + 3y, 4x - y", "numeric"),  # an affine map: J is constant
        ("x+y, x*y", "polynomial"),
        ("x/y, y", "rational"),
        ("r*cos(t), r*sin(t)", "transcendental"),
        ("sqrt(x), y", "transcendental"),
    ],
)
def test_method_follows_the_entries(text: str, kind: str) -> None:
    assert dets.jacobian_determinant(function(text)).kind == kind


def test_numeric_matrices_use_exact_integers() -> None:
    m = Matrix([[Rational(1, 2), 3], [Rational(-1, 3), 4]])
    assert dets.determinant(m).value == Rational(1, 2) * 4 + 1 == 3
    assert dets.determinant(m).kind == "numeric"
    assert dets.determinant(Matrix([[sqrt(2), 1], [1, sqrt(2)]])).value == 1


def test_banded_determinant_is_cheap_and_right() -> None:
    # The 80×80 tridiagonal matrix with x on the diagonal and 1 beside it: its
    # determinant follows the recurrence D_k = x D_(k-1) - D_(k-2) (D_0 = 1, D_1 = x),
    # computed here independently. A dense method would need 2^80 minors.
    n = 80
    m = sympy.zeros(n, n)
    for i in range(n):
        m[i, i] = x
        if i + 1 < n:
            m[i, i + 1] = m[i + 1, i] = 1
    d_prev, d = sympy.Integer(1), x
    for _ in range(1, n):
        d_prev, d = d, sympy.expand(x * d - d_prev)
    assert sympy.expand(dets.determinant(m, simplify=False).value - d) == 0


def test_huge_expansions_stop_with_a_limit_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tridiagonal matrix with a different symbol on each diagonal entry has a
    # Fibonacci number of terms (about 10^8 for n = 40): refuse, do not eat memory.
    n = 40
    xs = [symbol(f"x{i}") for i in range(1, n + 1)]
    m = sympy.zeros(n, n)
    for i in range(n):
        m[i, i] = xs[i]
        if i + 1 < n:
            m[i, i + 1] = m[i + 1, i] = 1
    monkeypatch.setattr(dets, "MAX_WORK", 200_000)  # the real cap takes seconds to reach
    with pytest.raises(LimitError, match="too large to expand"):
        dets.determinant(m, simplify=False)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)),
        st.integers(-20, 20).filter(bool),
        max_size=12,
    ),
    st.integers(1, 6),
)
def test_fast_polynomial_assembly_is_canonical(
    terms: dict[tuple[int, int, int], int], den: int
) -> None:
    gens = (x, y, z)
    fast = dets._from_terms(terms, gens, den)
    slow = sympy.Add(*[Rational(c, den) * x**i * y**j * z**k for (i, j, k), c in terms.items()])
    assert fast == slow
    assert fast.args == slow.args  # the same canonical order, not just equal
    assert hash(fast) == hash(slow)


def test_berkowitz_fallback_agrees() -> None:
    entries = [[x + i * y + j for j in range(4)] for i in range(4)]
    rows = [[sympy.Poly(e, x, y).as_dict() for e in row] for row in entries]
    rows = [[{m: int(c) for m, c in d.items()} for d in row] for row in rows]
    berk = dets._berkowitz(rows, 2)
    expansion, _ = dets._integer_det(rows, 2)
    assert berk == expansion
    assert sympy.Matrix(entries).det() == 0 and berk == {}


small = st.integers(min_value=-3, max_value=3)


@st.composite
def polynomial_entries(draw: st.DrawFn) -> sympy.Expr:
    terms = draw(st.lists(st.tuples(small, st.integers(0, 2), st.integers(0, 2)), max_size=3))
    return sympy.Add(*[c * x**i * y**j for c, i, j in terms])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(polynomial_entries(), min_size=n, max_size=n), min_size=n, max_size=n
        )
    )
)
def test_polynomial_determinant_equals_cofactor_expansion(rows: list[list[sympy.Expr]]) -> None:
    m = Matrix(rows)
    assert sympy.expand(dets.determinant(m, simplify=False).value - m.det(method="berkowitz")) == 0


@st.composite
def mixed_entries(draw: st.DrawFn) -> sympy.Expr:
    pick = draw(st.integers(0, 4))
    c = draw(small)
    return [c * x, c + sin(x), sympy.Rational(c, 2) * y, c / (x + 2), exp(y) * c][pick]


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda n: st.lists(
            st.lists(mixed_entries(), min_size=n, max_size=n), min_size=n, max_size=n
        )
    )
)
def test_mixed_determinant_equals_berkowitz(rows: list[list[sympy.Expr]]) -> None:
    m = Matrix(rows)
    got = dets.determinant(m).value
    want = m.det(method="berkowitz")
    for xv, yv in [(Rational(1, 3), Rational(-2, 7)), (Rational(5, 2), Rational(3, 1))]:
        a = got.xreplace({x: xv, y: yv}).evalf(30)
        e = want.xreplace({x: xv, y: yv}).evalf(30)
        assert abs(a - e) < 1e-20 * (1 + abs(e))


def test_non_square_determinant_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match=r"3 components and 2 variables \(J is 3×2\)") as info:
        dets.jacobian_determinant(function("x, y, x*y"))
    assert info.value.hint is not None and "--volume" in info.value.hint
    with pytest.raises(ShapeError, match="fewer components than variables"):
        dets.jacobian_determinant(function("x + y + z"))


# --------------------------------------------------------------------------- orientation, volume


@pytest.mark.parametrize(
    ("text", "at", "value", "scale", "orientation"),
    [
        ("x+y, x*y", "-1,2", -3, 3, "reversed"),  # seed 001: areas scale by 3, flipped
        ("x+y, x*y", "2,-1", 3, 3, "preserved"),
        ("x+y, x*y", "1,1", 0, 0, "collapsed"),
        ("r*cos(t), r*sin(t)", "2, pi/3", 2, 2, "preserved"),
        ("-2 x1 + x2, x1 + x2", "0,0", -3, 3, "reversed"),  # seed 003 (5.61): |det| = 3
    ],
)
def test_determinant_at_a_point(
    text: str, at: str, value: int, scale: int, orientation: str
) -> None:
    report = commands.det([text], at=at)
    assert report.value is not None and report.value[0, 0] == value
    assert report.data["volume_scale"] == str(scale)
    assert report.data["orientation"] == orientation


@pytest.mark.parametrize(
    ("value", "orientation"),
    [
        (sympy.Integer(-3), dets.Orientation.REVERSED),
        (sqrt(2) - 1, dets.Orientation.PRESERVED),  # 0.414...: positive
        (sympy.pi - sympy.Rational(22, 7), dets.Orientation.REVERSED),  # 22/7 > pi
        (sympy.S.Zero, dets.Orientation.COLLAPSED),
        (symbol("a") ** 2 + 1, dets.Orientation.PRESERVED),  # positive for every real a
        (symbol("a"), dets.Orientation.UNKNOWN),
    ],
)
def test_orientation_is_the_sign(value: sympy.Expr, orientation: dets.Orientation) -> None:
    assert dets.orientation(value) is orientation


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        # unit sphere: the area element is |sin(theta)|; sin(theta) on 0 <= theta <= pi
        ("sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)", "theta,phi", Abs(sin(theta))),
        # sphere of radius 2: 4|sin(theta)|
        (
            "2 sin(theta) cos(phi), 2 sin(theta) sin(phi), 2 cos(theta)",
            "theta,phi",
            4 * Abs(sin(theta)),
        ),
        ("cos(t), sin(t), t", None, sqrt(2)),  # a helix: speed sqrt(2)
        ("x, y, x^2 + y^2", None, sqrt(4 * x**2 + 4 * y**2 + 1)),  # a paraboloid's area element
        ("x + y, x - y", None, sympy.Integer(2)),  # square: |det J|
    ],
)
def test_volume_elements(text: str, variables: str | None, expected: sympy.Expr) -> None:
    got = dets.volume_element(function(text, variables=variables))
    assert same(got, expected), got


def test_volume_element_needs_m_at_least_n() -> None:
    with pytest.raises(ShapeError, match="at least as many components"):
        dets.volume_element(function("x + y"))


def _tridiagonal(diagonal: list[sympy.Expr]) -> sympy.Matrix:
    n = len(diagonal)
    m = sympy.zeros(n, n)
    for i, d in enumerate(diagonal):
        m[i, i] = d
        if i + 1 < n:
            m[i, i + 1] = m[i + 1, i] = 1
    return m


def _continuant(diagonal: list[sympy.Expr]) -> sympy.Expr:
    """det of :func:`_tridiagonal`, by D_k = a_k D_(k-1) - D_(k-2): independent of jacobi."""
    d_prev, d = sympy.Integer(1), diagonal[0]
    for a in diagonal[1:]:
        d_prev, d = d, sympy.expand(a * d - d_prev)
    return d


def test_a_determinant_with_too_many_terms_is_refused_with_its_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Bratu-like diagonal (x_i/4 - 2: two terms each): the determinant's terms are counted
    # before any SymPy expression is built, and refused above the bound.
    diagonal = [symbol(f"x{i}") / 4 - 2 for i in range(1, 9)]
    terms = len(sympy.Add.make_args(_continuant(diagonal)))
    monkeypatch.setattr(dets, "MAX_RESULT_TERMS", terms - 1)
    with pytest.raises(LimitError, match=f"has {terms:,} terms when expanded"):
        dets.determinant(_tridiagonal(diagonal), simplify=False)
    monkeypatch.setattr(dets, "MAX_RESULT_TERMS", terms)
    value = dets.determinant(_tridiagonal(diagonal), simplify=False).value
    assert sympy.expand(value - _continuant(diagonal)) == 0


def test_minors_holding_too_many_terms_stop_early(monkeypatch: pytest.MonkeyPatch) -> None:
    diagonal = [symbol(f"x{i}") + 1 for i in range(1, 13)]
    monkeypatch.setattr(dets, "MAX_ALIVE_TERMS", 50)  # the real bound: see test_timeout
    with pytest.raises(LimitError, match="the minors of its first [0-9]+ rows have"):
        dets.determinant(_tridiagonal(diagonal), simplify=False)


def test_large_sparse_matrix_with_rational_coefficients() -> None:
    # Upper bidiagonal 200×200: det is the product of the diagonal (x_i/3 + 1/7), built
    # directly; the zeros of the matrix never go through SymPy's polynomial conversion.
    n = 200
    xs = [symbol(f"x{i}") for i in range(1, n + 1)]
    m = sympy.zeros(n, n)
    for i in range(n):
        m[i, i] = xs[i] / 3 + Rational(1, 7)
        if i + 1 < n:
            m[i, i + 1] = xs[i + 1] ** 2
    value = dets.determinant(m[:6, :6], simplify=False).value
    assert sympy.expand(value - sympy.Mul(*[v / 3 + Rational(1, 7) for v in xs[:6]])) == 0
    single = sympy.zeros(n, n)
    for i in range(n):
        single[i, i] = xs[i] / 3
        if i + 1 < n:
            single[i, i + 1] = Rational(1, 5)
    assert dets.determinant(single, simplify=False).value == sympy.Mul(*xs) / 3**n
