"""The calculus around the Jacobian, against hand-derived textbook results and identities.

Every expected value here was derived by hand (or is a textbook's printed result),
never pasted from jacobi's own output.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Abs, Matrix, Rational, cos, exp, sin, sqrt, tanh

from jacobi import function, point
from jacobi.commands import api as commands
from jacobi.errors import InputError, LimitError, ShapeError, UndefinedError
from jacobi.lang.parse import symbol
from jacobi.math import calculus
from jacobi.math import derivatives as core

x, y, z, r, t, s = (symbol(n) for n in ("x", "y", "z", "r", "t", "s"))
theta, phi = symbol("theta"), symbol("phi")
x1, x2, x3 = symbol("x1"), symbol("x2"), symbol("x3")
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
    got = calculus.jacobian_determinant(function(text, variables=variables)).value
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

    assert (
        to_text(calculus.jacobian_determinant(function(text, variables=variables)).value) == shown
    )


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
    assert calculus.jacobian_determinant(function(text)).kind == kind


def test_numeric_matrices_use_exact_integers() -> None:
    m = Matrix([[Rational(1, 2), 3], [Rational(-1, 3), 4]])
    assert calculus.determinant(m).value == Rational(1, 2) * 4 + 1 == 3
    assert calculus.determinant(m).kind == "numeric"
    assert calculus.determinant(Matrix([[sqrt(2), 1], [1, sqrt(2)]])).value == 1


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
    assert sympy.expand(calculus.determinant(m, simplify=False).value - d) == 0


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
    monkeypatch.setattr(calculus, "MAX_WORK", 200_000)  # the real cap takes seconds to reach
    with pytest.raises(LimitError, match="too large to expand"):
        calculus.determinant(m, simplify=False)


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
    fast = calculus._from_terms(terms, gens, den)
    slow = sympy.Add(*[Rational(c, den) * x**i * y**j * z**k for (i, j, k), c in terms.items()])
    assert fast == slow
    assert fast.args == slow.args  # the same canonical order, not just equal
    assert hash(fast) == hash(slow)


def test_berkowitz_fallback_agrees() -> None:
    entries = [[x + i * y + j for j in range(4)] for i in range(4)]
    rows = [[sympy.Poly(e, x, y).as_dict() for e in row] for row in entries]
    rows = [[{m: int(c) for m, c in d.items()} for d in row] for row in rows]
    berk = calculus._berkowitz(rows, 2)
    expansion, _ = calculus._integer_det(rows, 2)
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
    assert (
        sympy.expand(calculus.determinant(m, simplify=False).value - m.det(method="berkowitz")) == 0
    )


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
    got = calculus.determinant(m).value
    want = m.det(method="berkowitz")
    for xv, yv in [(Rational(1, 3), Rational(-2, 7)), (Rational(5, 2), Rational(3, 1))]:
        a = got.xreplace({x: xv, y: yv}).evalf(30)
        e = want.xreplace({x: xv, y: yv}).evalf(30)
        assert abs(a - e) < 1e-20 * (1 + abs(e))


def test_non_square_determinant_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match=r"3 components and 2 variables \(J is 3×2\)") as info:
        calculus.jacobian_determinant(function("x, y, x*y"))
    assert info.value.hint is not None and "--volume" in info.value.hint
    with pytest.raises(ShapeError, match="fewer components than variables"):
        calculus.jacobian_determinant(function("x + y + z"))


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
    got = calculus.volume_element(function(text, variables=variables))
    assert same(got, expected), got


def test_volume_element_needs_m_at_least_n() -> None:
    with pytest.raises(ShapeError, match="at least as many components"):
        calculus.volume_element(function("x + y"))


# --------------------------------------------------------------------------- singular sets


@pytest.mark.parametrize(
    ("text", "variables", "solutions"),
    [
        ("r*cos(t), r*sin(t)", None, ["r = 0"]),
        ("x+y, x*y", None, ["x = y"]),
        ("x^2, y^2", None, ["x = 0", "y = 0"]),
        (
            ARM3,
            "a,b,c",
            [
                "b = pi*n (n any integer)",
                "l1 = 0 (a condition on the parameters)",
                "l2 = 0 (a condition on the parameters)",
            ],
        ),
        (
            "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)",
            "a,b",
            [
                "b = pi*n (n any integer)",
                "l1 = 0 (a condition on the parameters)",
                "l2 = 0 (a condition on the parameters)",
            ],
        ),
        ("sin(x), cos(y)", None, ["x = pi*n + pi/2 (n any integer)", "y = pi*n (n any integer)"]),
        ("exp(x), y", None, []),
    ],
)
def test_singular_sets(text: str, variables: str | None, solutions: list[str]) -> None:
    f = function(text, variables=variables)
    found = calculus.singular_set(calculus.jacobian_determinant(f).value, f.variables)
    conditions = [f"{c} (a condition on the parameters)" for c in found.conditions]
    assert sorted(found.solutions + tuple(conditions)) == sorted(solutions)
    assert found.complete


@pytest.mark.parametrize(
    ("text", "variables", "conditions"),
    [
        # det J = a^2 - 1: singular everywhere when a = ±1, nowhere otherwise.
        ("a x + y, x + a y", "x,y", ["a = 1", "a = -1"]),
        ("a x, y", "x,y", ["a = 0"]),
        # det J = a^2 + 1 > 0 for every real a.
        ("a x - y, x + a y", "x,y", []),
    ],
)
def test_singular_set_of_a_determinant_of_parameters_only(
    text: str, variables: str, conditions: list[str]
) -> None:
    f = function(text, variables=variables)
    found = calculus.singular_set(calculus.jacobian_determinant(f).value, f.variables)
    assert found.solutions == ()
    assert list(found.conditions) == conditions
    assert found.nowhere == (not conditions)


def test_singular_set_of_a_sum_of_squares() -> None:
    # det J of (x^2 - y^2, 2xy) is 4(x^2 + y^2): zero only at the origin.
    f = function("x^2-y^2, 2x y")
    found = calculus.singular_set(calculus.jacobian_determinant(f).value, f.variables)
    assert found.solutions == ("x = 0 and y = 0",)
    assert found.complete
    # x^2 + y^2 + 1 is never 0.
    x, y = symbol("x"), symbol("y")
    assert calculus.singular_set(x**2 + y**2 + 1, [x, y]).nowhere


def test_singular_set_of_a_linear_factor_prefers_no_division() -> None:
    f = function(LORENZ, variables="x,y,z")
    found = calculus.singular_set(calculus.jacobian_determinant(f).value, f.variables)
    (z_sol,) = [s for s in found.solutions if s.startswith("z = ")]
    # det J = 0  <=>  beta*(rho - z - 1) = x^2 + x*y  (sigma != 0)
    from jacobi.lang.parse import parse_expression

    z_expr = parse_expression(z_sol[4:])
    assert same(beta * (rho - z_expr - 1) - x**2 - x * y, 0)


@pytest.mark.parametrize(
    ("text", "solutions", "undefined"),
    [
        # det J = -1/y^2: never 0; f (and det J) undefined at y = 0.
        ("x, 1/y", [], ["y = 0"]),
        # det J = 1/(2 sqrt(y)): never 0; det J undefined at y = 0.
        ("x, sqrt(y)", [], ["y = 0"]),
        # det J = 1/x: never 0; f undefined at x = 0.
        ("x, y/x", [], ["x = 0"]),
        # det J = y/sqrt(x^2+y^2): 0 on y = 0 (away from the origin, where it is undefined).
        ("x, sqrt(x^2+y^2)", ["y = 0"], ["x = 0 and y = 0"]),
    ],
)
def test_singular_sets_of_non_polynomial_determinants(
    text: str, solutions: list[str], undefined: list[str]
) -> None:
    f = function(text)
    found = calculus.singular_set(calculus.jacobian_determinant(f).value, f.variables)
    assert sorted(found.solutions) == sorted(solutions)
    assert found.nowhere == (not solutions)
    assert sorted(found.undefined) == sorted(undefined)
    assert found.complete


def test_singular_set_degrades_to_the_equation_when_sympy_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise sympy.PolynomialError("unexpected")

    monkeypatch.setattr(sympy, "factor_list", broken)
    monkeypatch.setattr(sympy, "solveset", broken)
    found = calculus.singular_set(x * y - 1, [x, y])
    assert found.solutions in (("x = 1/y",), ("y = 1/x",))
    found = calculus.singular_set(sin(x) + x, [x])
    assert found.solutions == ("x + sin(x) = 0",)
    assert not found.complete


def test_singular_everywhere_and_nowhere() -> None:
    assert calculus.singular_set(sympy.S.Zero, [x]).everywhere
    assert calculus.singular_set(sympy.Integer(5), [x]).nowhere


# --------------------------------------------------------------------------- chain rule

BOOK_510 = exp(x1 * x2**2) * (x2**2 * (cos(t) - t * sin(t)) + 2 * x1 * x2 * (sin(t) + t * cos(t)))


def test_example_5_10_gives_the_books_result() -> None:
    c = calculus.chain([function("exp(x1*x2^2)"), function("t*cos(t), t*sin(t)")])
    book = BOOK_510.xreplace({x1: t * cos(t), x2: t * sin(t)})
    assert c.product.shape == (1, 1)
    assert same(c.product[0, 0], book)
    # the factors of (5.74b): [exp(x1 x2^2) x2^2, 2 exp(x1 x2^2) x1 x2], [cos t - t sin t; ...]
    outer = c.outer_jacobians[0]
    assert same(outer[0, 0], exp(x1 * x2**2) * x2**2)
    assert same(outer[0, 1], 2 * exp(x1 * x2**2) * x1 * x2)
    assert same(c.factors[1][0, 0], cos(t) - t * sin(t))
    assert same(c.factors[1][1, 0], sin(t) + t * cos(t))
    assert c.verified == "symbolically"


PHI = Matrix([[1, 2], [3, 4], [5, 6]])
Y = Matrix(sympy.symbols("y1:4", real=True))
THETA = Matrix([symbol("theta1"), symbol("theta2")])


def test_example_5_11_least_squares_gradient() -> None:
    # L(theta) = ||y - Phi theta||^2; the book: dL/dtheta = -2 (y - Phi theta)^T Phi.
    residual = Y - PHI * THETA
    expected = -2 * residual.T * PHI
    text = " + ".join(f"({sympy.sstr(e)})^2" for e in residual)
    g = calculus.gradient(function(text, variables="theta1,theta2"))
    assert g.shape == (1, 2)
    assert all(same(a, e) for a, e in zip(g, expected, strict=True))
    # ... and by the chain rule: L(e) = ||e||^2 of e(theta) = y - Phi theta, dL/de = 2 e^T.
    inner = ", ".join(sympy.sstr(e) for e in residual)
    c = calculus.chain([function("e1^2 + e2^2 + e3^2"), function(inner, variables="theta1,theta2")])
    assert all(same(a, e) for a, e in zip(c.product, expected, strict=True))
    assert same(c.factors[1] + PHI, sympy.zeros(3, 2)) or c.factors[1] == -PHI


def test_example_5_9_affine_map_jacobian_is_A() -> None:
    a = Matrix([[1, -2, 3], [0, 5, Rational(1, 2)]])
    text = ", ".join(sympy.sstr(e) for e in a * Matrix([x1, x2, x3]))
    assert core.jacobian(function(text, variables="x1,x2,x3")) == a


def test_simultaneous_substitution_when_layers_share_names() -> None:
    g = function("y, x")  # g(x, y) = (y, x)
    h = function("x + 1, 2*y")  # h(x, y) = (x + 1, 2y)
    c = calculus.chain([g, h])
    assert c.composition.components == (2 * y, x + 1)
    assert c.product == Matrix([[0, 2], [1, 0]])
    assert c.verified == "symbolically"


def test_chain_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ShapeError, match=r"g takes 2 variables .*J_g is 1×2.* h gives 3 .*J_h is 3×3"
    ):
        calculus.chain([function("u*v"), function("x, y, z")])


def test_outer_constant_that_is_an_inner_variable_is_refused() -> None:
    with pytest.raises(InputError, match="x is a constant of g but a variable"):
        calculus.chain([function("x*u", variables="u"), function("x^2")])


def test_three_layers_costs_favour_reverse_for_a_scalar_loss() -> None:
    # x in R^4 -> R^3 -> R^2 -> R (seed 000's backpropagation): (1x2)(2x3)(3x4)
    f1 = function("x1 + x2, x2 + x3, x3 + x4")
    f2 = function("a*b, b*c", variables="a,b,c")
    f3 = function("p^2 + q^2", variables="p,q")
    c = calculus.chain([f3, f2, f1])
    assert [m.shape for m in c.factors] == [(1, 2), (2, 3), (3, 4)]
    assert c.costs.forward == 2 * 3 * 4 + 1 * 2 * 4  # J2 J1 first, then J3 (J2 J1)
    assert c.costs.reverse == 1 * 2 * 3 + 1 * 3 * 4  # J3 J2 first, then (J3 J2) J1
    assert c.costs.reverse < c.costs.forward
    assert c.costs.best == c.costs.reverse and c.costs.best_order == "(J_f3 J_f2) J_f1"
    assert c.verified == "symbolically"


@pytest.mark.parametrize(
    ("dims", "forward", "reverse", "best", "order"),
    [
        ([1, 3, 4, 5], 1 * 3 * 5 + 3 * 4 * 5, 1 * 3 * 4 + 1 * 4 * 5, 32, "(A B) C"),
        ([5, 4, 3, 1], 5 * 4 * 1 + 4 * 3 * 1, 5 * 4 * 3 + 5 * 3 * 1, 32, "A (B C)"),
        ([10, 30, 5, 60], 10 * 30 * 60 + 30 * 5 * 60, 10 * 30 * 5 + 10 * 5 * 60, 4500, "(A B) C"),
        # CLRS 15.2: 30x35 35x15 15x5 5x10 10x20 20x25 needs 15125 multiplications
        ([30, 35, 15, 5, 10, 20, 25], None, None, 15125, "(A (B C)) ((D E) F)"),
        ([2, 3], 0, 0, 0, "A"),
    ],
)
def test_matrix_chain_order(
    dims: list[int], forward: int | None, reverse: int | None, best: int, order: str
) -> None:
    names = list("ABCDEF")[: len(dims) - 1]
    c = calculus.chain_costs(dims, names)
    if forward is not None:
        assert (c.forward, c.reverse) == (forward, reverse)
    assert (c.best, c.best_order) == (best, order)


# ------------------------------------------------------------------ grad, hessian, jvp, vjp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x1^2 + x2^2 + x3^2", Matrix([[2 * x1, 2 * x2, 2 * x3]])),  # ||x||^2 -> 2 x^T
        ("x*y*z", Matrix([[y * z, x * z, x * y]])),
        ("exp(x) sin(y)", Matrix([[exp(x) * sin(y), exp(x) * cos(y)]])),
        ("1/(1 + exp(-x))", Matrix([[exp(-x) / (1 + exp(-x)) ** 2]])),  # sigmoid' = s(1 - s)
        ("3 x1 - 2 x2 + x3", Matrix([[3, -2, 1]])),  # a^T x -> a^T (5.105)
    ],
)
def test_gradients(text: str, expected: Matrix) -> None:
    got = calculus.gradient(function(text))
    assert got.shape == expected.shape
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


def test_gradient_layouts_and_vector_input() -> None:
    f = function("x^2*y")
    assert calculus.gradient(f) == Matrix([[2 * x * y, x**2]])
    assert calculus.gradient(f, layout="denominator") == Matrix([[2 * x * y], [x**2]])
    with pytest.raises(ShapeError, match=r"scalar function .* 2 components") as info:
        calculus.gradient(function("x+y, x*y"))
    assert info.value.hint == "for a vector function use 'jacobi jac'"


B = Matrix([[1, 2], [0, 3]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^3 + x*y^2", Matrix([[6 * x, 2 * y], [2 * y, 2 * x]])),
        # x^T B x has Hessian B + B^T (5.107 differentiated once more)
        ("x1*(x1 + 2*x2) + x2*(3*x2)", B + B.T),
        (
            "sin(x*y)",
            Matrix(
                [
                    [-(y**2) * sin(x * y), cos(x * y) - x * y * sin(x * y)],
                    [cos(x * y) - x * y * sin(x * y), -(x**2) * sin(x * y)],
                ]
            ),
        ),
    ],
)
def test_hessians(text: str, expected: Matrix) -> None:
    got = calculus.hessian(function(text))
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


@pytest.mark.parametrize(
    ("text", "at", "v", "jv", "w", "wj"),
    [
        ("x+y, x*y", "-1,2", "1, 2", [3, 0], "1, 2", [5, -1]),  # seed 001 at (-1, 2)
        ("2x + 3y, 4x - y", "0,0", "1, 0", [2, 4], "0, 1", [4, -1]),  # columns / rows of A
    ],
)
def test_jvp_and_vjp_by_hand(
    text: str, at: str, v: str, jv: list[int], w: str, wj: list[int]
) -> None:
    assert list(commands.jvp([text], vector=v, at=at).value) == jv  # type: ignore[arg-type]
    assert list(commands.vjp([text], vector=w, at=at).value) == wj  # type: ignore[arg-type]


def test_vector_lengths_are_checked() -> None:
    f = function("x+y, x*y, x")
    with pytest.raises(ShapeError, match=r"the vector v has 3 entries but needs 2 \(J is 3×2"):
        calculus.jvp(f, [1, 2, 3])
    with pytest.raises(ShapeError, match=r"the vector w has 2 entries but needs 3"):
        calculus.vjp(f, [1, 2])


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("x*y", "1,2", [2 * x + y - 2]),
        ("x*y, x^2", "1,2", [2 * x + y - 2, 2 * x - 1]),
        ("sin(x)", "0", [x]),
        ("exp(x)", "0", [x + 1]),
        ("sqrt(x)", "4", [x / 4 + 1]),
        ("sin(x)", "pi/4", [sqrt(2) / 2 + sqrt(2) / 2 * (x - sympy.pi / 4)]),
    ],
)
def test_linearisations(text: str, at: str, expected: list[sympy.Expr]) -> None:
    f = function(text)
    got = calculus.linearize(f, point(f, at))
    assert all(same(a, e) for a, e in zip(got, expected, strict=True))


def test_linearisation_undefined_point() -> None:
    f = function("log(x)")
    with pytest.raises(UndefinedError):
        calculus.linearize(f, point(f, "0"))


# --------------------------------------------------------------------------- inverse


def test_inverse_jacobians() -> None:
    polar = calculus.inverse_jacobian(function("r*cos(t), r*sin(t)"))
    assert all(
        same(a, e)
        for a, e in zip(polar, Matrix([[cos(t), sin(t)], [-sin(t) / r, cos(t) / r]]), strict=True)
    )
    f = function("x+y, x*y")
    # [[1, 1], [2, -1]]^-1 = -1/3 [[-1, -1], [-2, 1]]
    assert calculus.inverse_jacobian(f, point(f, "-1,2")) == Matrix(
        [[Rational(1, 3), Rational(1, 3)], [Rational(2, 3), Rational(-1, 3)]]
    )
    sym = calculus.inverse_jacobian(f)
    assert all(same(a, e) for a, e in zip(sym, Matrix([[x, -1], [-y, 1]]) / (x - y), strict=True))


def test_inverse_errors() -> None:
    f = function("x+y, x*y")
    with pytest.raises(UndefinedError, match=r"singular at x = 1, y = 1 \(det J = 0\)"):
        calculus.inverse_jacobian(f, point(f, "1,1"))
    with pytest.raises(InputError, match="det J = 0 everywhere"):
        calculus.inverse_jacobian(function("x + y, 2x + 2y"))
    with pytest.raises(ShapeError, match="square"):
        calculus.inverse_jacobian(function("x, y, x*y"))


# --------------------------------------------------------------------------- properties


@st.composite
def smooth_expr(draw: st.DrawFn, variables: tuple[sympy.Symbol, ...]) -> sympy.Expr:
    """Small random polynomial and trigonometric expressions in ``variables``."""
    out = sympy.S.Zero
    for _ in range(draw(st.integers(1, 3))):
        c = draw(st.integers(-3, 3))
        v = draw(st.sampled_from(variables))
        w = draw(st.sampled_from(variables))
        kind = draw(st.integers(0, 3))
        term = [v * w, sin(v), cos(v + w), v**2][kind]
        out += c * term
    return out + draw(st.sampled_from(variables))


U = (symbol("u"), symbol("v"))
XY = (x, y)


def numeric(expr: sympy.Expr, values: dict[sympy.Symbol, sympy.Expr]) -> float:
    return float(expr.xreplace(values).evalf(30))


@settings(max_examples=20, deadline=None)
@given(
    st.lists(smooth_expr(U), min_size=2, max_size=2),
    st.lists(smooth_expr(XY), min_size=2, max_size=2),
    st.tuples(st.fractions(-2, 2, max_denominator=7), st.fractions(-2, 2, max_denominator=7)),
)
def test_chain_product_is_the_jacobian_of_the_composition(
    outer: list[sympy.Expr], inner: list[sympy.Expr], at: tuple[Fraction, Fraction]
) -> None:
    from jacobi.model import VectorFunction

    g = VectorFunction(tuple(outer), U)
    h = VectorFunction(tuple(inner), XY)
    c = calculus.chain([g, h], simplify=False, verify=False)
    values = {
        x: Rational(at[0].numerator, at[0].denominator),
        y: Rational(at[1].numerator, at[1].denominator),
    }
    # Central finite differences of the composition, independent of symbolic differentiation.
    step = Rational(1, 10**8)
    for i, comp in enumerate(c.composition.components):
        for j, v in enumerate(XY):
            plus = dict(values, **{})
            plus[v] = values[v] + step
            minus = dict(values)
            minus[v] = values[v] - step
            fd = (comp.xreplace(plus) - comp.xreplace(minus)).evalf(40) / (2 * step)
            assert abs(numeric(c.product[i, j], values) - float(fd)) < 1e-6 * (1 + abs(float(fd)))


@settings(max_examples=25, deadline=None)
@given(smooth_expr(XY))
def test_gradient_is_the_one_row_jacobian_and_hessian_is_symmetric(expr: sympy.Expr) -> None:
    from jacobi.model import VectorFunction

    f = VectorFunction((expr,), XY)
    g = calculus.gradient(f)
    assert g.shape == (1, 2)
    assert all(same(a, e) for a, e in zip(g, core.jacobian(f), strict=True))
    h = calculus.hessian(f)
    assert same(h[0, 1], h[1, 0])
    # the Hessian is the Jacobian of the gradient
    assert all(
        same(a, sympy.diff(expr, u, v))
        for a, (u, v) in zip(h, [(x, x), (x, y), (y, x), (y, y)], strict=True)
    )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(smooth_expr(XY), min_size=1, max_size=3),
    st.lists(st.integers(-5, 5), min_size=3, max_size=3),
)
def test_jvp_and_vjp_are_matrix_products(comps: list[sympy.Expr], ints: list[int]) -> None:
    from jacobi.model import VectorFunction

    f = VectorFunction(tuple(comps), XY)
    jac = Matrix(comps).jacobian(list(XY))
    v = ints[:2]
    w = ints[: len(comps)]
    assert all(same(a, e) for a, e in zip(calculus.jvp(f, v), jac * Matrix(v), strict=True))
    assert all(same(a, e) for a, e in zip(calculus.vjp(f, w), Matrix([w]) * jac, strict=True))


def test_chain_self_check_evaluates_numerically_not_exactly() -> None:
    # g(u, v) = u^(u u) of h = (|u|, sqrt(w + u)): exact substitution of random rationals
    # into |u|^(|u|^2) made rational powers with millions of digits (the 60 s limit).
    g = function("u^(u*u)", variables="u,v")
    h = function("abs(u), sqrt(w+u)", variables="u,v,w")
    c = calculus.chain([g, h])
    assert c.verified in ("symbolically", "numerically")
    u = symbol("u")
    # d/du |u|^(u^2) = |u|^(u^2) (2u log|u| + u^2 sign(u)/|u|), by hand.
    expected = Abs(u) ** (u**2) * (2 * u * sympy.log(Abs(u)) + u**2 * sympy.sign(u) / Abs(u))
    for value in (sympy.Rational(3, 2), sympy.Rational(-7, 10)):
        got = c.product[0, 0].subs(u, value).evalf(30)
        assert abs(got - expected.subs(u, value).evalf(30)) < 1e-20


def test_chain_self_check_with_kinks_and_logs() -> None:
    # Issue 8, item 8: an internal error in chain's own numeric check.
    layers = [
        function("relu(v), u^27", variables="u,v"),
        function("p^2 - p/2, p^2 - 2p", variables="p"),
        function(" -sqrt(2/3) - log(x)"),
    ]
    c = calculus.chain(layers)
    assert c.verified in ("symbolically", "numerically")
