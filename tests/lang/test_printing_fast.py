"""The fast printer gives exactly the text of SymPy's StrPrinter with jacobi's rules.

The reference is ``printing._reference_text``: ``_JacobiPrinter`` (``StrPrinter`` plus the
round-trip rules) called the plain way, with SymPy's own term order, precedence and no
memory between sub-expressions, as every text was printed before the fast paths.
"""

from __future__ import annotations

from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from sympy import Integer, S
from sympy import Rational as R
from sympy_cases import (
    EXPRESSIONS,
    PI,
    POLYNOMIALS,
    E_sym,
    arm_jacobian,
    f,
    quadratic_determinant,
    x,
    x_plain,
    y,
    z,
)

from jacobi.lang import printing
from jacobi.lang.printing import _reference_text, declared, to_text, to_text_matrix


def _outcome(show: Any, *args: Any) -> Any:
    """The text, or the class of the error (SymPy refuses some unevaluated objects)."""
    try:
        return show(*args)
    except Exception as error:  # noqa: BLE001  # the same refusal is the same behaviour
        return type(error)


def _same(expr: Any) -> None:
    assert _outcome(to_text, expr) == _outcome(_reference_text, expr)
    names = ["x", "pi"]
    assert _outcome(to_text, expr, names) == _outcome(_reference_text, expr, names)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_random_expressions_print_as_before(expr: Any) -> None:
    _same(expr)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(POLYNOMIALS)
def test_random_polynomials_print_as_before(expr: Any) -> None:
    _same(expr)
    _same(sympy.expand(expr * (x - 2 * y)))


EXAMPLES = [
    2 - 3 * x,
    -3 * x + 2,
    sympy.pi - 2 * x,
    -x - 1,
    x * x_plain + x_plain**2 + x**2 - 1,
    sympy.Mul(2, x + 1, sympy.sin(x)),
    sympy.Mul(-1, x + 1, x - 1),
    sympy.Mul(R(-3, 2), 1 / (x + 1)),
    sympy.Mul(3, x + 1, 1 / y),
    y / (x + 1) / 2,
    -(x**2) * y / (3 * z),
    x ** (-y) * 2 ** (-x),
    sympy.sqrt(x) / sympy.sqrt(y) - 1 / sympy.sqrt(x),
    (x * y) ** -1 + (x**2) ** -1,
    sympy.Pow(x * y, -1, evaluate=False) * z,
    sympy.Mul(x, sympy.Pow(2, -1, evaluate=False), evaluate=False),
    sympy.Mul(1, x, evaluate=False),
    sympy.Mul(x, 2, evaluate=False),
    sympy.Mul(x, sympy.Mul(y, z, evaluate=False), evaluate=False),
    sympy.Add(x, sympy.Mul(x, x, evaluate=False), evaluate=False),
    sympy.Mul(-2, sympy.zoo, x, evaluate=False),
    sympy.zoo * x + y,
    sympy.oo * x - y,
    sympy.nan + x,
    sympy.I * x + 2,
    x + sympy.O(x**3),
    sympy.Float("-1.5") * x + sympy.Float("0.25", 40),
    sympy.Float(3.0) * x**2 + sympy.Float(1.0),
    Integer(10) ** 5000 * x - R(1, 10**4400) * y,
    sympy.Symbol("a", commutative=False) * sympy.Symbol("b", commutative=False) + x,
    sympy.Matrix([[x + 1, 2 * y]]),
    sympy.ImmutableMatrix([[sympy.pi * x, -y]]),
    sympy.Eq(x + 1, 2 * y),
    sympy.Piecewise((x, x > 0), (-x, True)),
    sympy.Derivative(f(x), x) + f(x) ** 2,
    sympy.Integral(x**2, (x, 0, 1)) * 3,
    sympy.UnevaluatedExpr(x + 1) * 2,
    sympy.Tuple(x, -y),
    sympy.pi * PI + sympy.pi / 2,
    sympy.E * E_sym - sympy.exp(2),
    S.Zero,
    S.NegativeOne,
    R(-7, 3),
    3,
    "text",
]


@pytest.mark.parametrize("expr", EXAMPLES)
def test_examples_print_as_before(expr: Any) -> None:
    _same(expr)


def test_memory_between_calls_never_changes_a_text() -> None:
    inner = sympy.sin(x + y) * sympy.pi
    whole = inner + PI * x
    first = [to_text(inner), to_text(whole), to_text(inner, ["pi"]), to_text(inner)]
    assert first == [
        _reference_text(inner),
        _reference_text(whole),
        _reference_text(inner, ["pi"]),
        _reference_text(inner),
    ]
    with declared(["x", "pi"]):
        assert to_text(inner) == _reference_text(inner) == "acos(-1)*sin(x + y)"
    assert to_text(inner) == "pi*sin(x + y)"
    printing._SHARED[False].clear()
    assert to_text(whole) == _reference_text(whole)


def test_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "_SHARED_LIMIT", 5)
    texts = [to_text(sympy.sin(x + k)) for k in range(12)]
    assert len(printing._SHARED[False]) <= 5
    assert texts == [_reference_text(sympy.sin(x + k)) for k in range(12)]
    assert to_text(sympy.sin(x + 3)) == "sin(x + 3)"


def test_matrices_print_as_before() -> None:
    m = sympy.Matrix([[sympy.pi * x, PI], [x**2 - 1, sympy.sin(x + 1)]])
    reference = [[_reference_text(e, {"x", "pi"}) for e in row] for row in m.tolist()]
    assert to_text_matrix(m) == reference
    assert to_text_matrix(m, ["x"]) == [[_reference_text(e, ["x"]) for e in r] for r in m.tolist()]
    plain = sympy.Matrix([[sympy.pi * x, 1]])
    assert to_text_matrix(plain) == [["pi*x", "1"]]


def test_robot_arm_jacobian_prints_as_before() -> None:
    jac = arm_jacobian(10)
    entries = jac.tolist()
    assert to_text_matrix(jac) == [[_reference_text(e) for e in row] for row in entries]
    assert [to_text(e) for row in entries for e in row] == [
        _reference_text(e) for row in entries for e in row
    ]


def test_dense_quadratic_determinant_prints_as_before() -> None:
    det = quadratic_determinant(6)
    assert len(det.args) > 400
    assert to_text(det) == _reference_text(det)
    halved = sympy.expand(det / 2 - 1)
    assert to_text(halved) == _reference_text(halved)
