"""Values at points: exact, and honest about points where nothing is defined."""

from __future__ import annotations

import pytest
import sympy
from sympy import Matrix, Rational

from jacobi import commands
from jacobi.errors import InputError, LimitError, UndefinedError
from jacobi.evaluate import substitute, to_float


def value(text: str, at: str, variables: str | None = None) -> Matrix:
    report = commands.jac([text], at=at, variables=variables)
    assert report.value is not None
    return report.value


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("x+y, x*y", "-1,2", Matrix([[1, 1], [2, -1]])),  # seed 001
        ("x+y, x*y", "x=-1, y=2", Matrix([[1, 1], [2, -1]])),
        ("x+y, x*y", "y=2, x=-1", Matrix([[1, 1], [2, -1]])),
        ("x^2", "1/3", Matrix([[Rational(2, 3)]])),  # 1/3 stays exact
        ("sin(x)", "pi/4", Matrix([[sympy.sqrt(2) / 2]])),
        ("x*y", "pi, 1/3", Matrix([[Rational(1, 3), sympy.pi]])),
        ("sqrt(x)", "4", Matrix([[Rational(1, 4)]])),
        ("abs(x)^3", "0", Matrix([[0]])),  # differentiable at 0 although |x| is not
        ("x*abs(x)", "0", Matrix([[0]])),
        ("abs(x)", "-2", Matrix([[-1]])),
        ("r*cos(t), r*sin(t)", "2, pi/2", Matrix([[0, -2], [1, 0]])),
        # smooth at 0 although sign/heaviside jump there: the delta term has a zero factor
        ("sign(x)*x^2", "0", Matrix([[0]])),
        ("heaviside(x)*x^2", "0", Matrix([[0]])),
        ("atan2(y, x)", "1, 0", Matrix([[0, 1]])),  # away from the branch cut
    ],
)
def test_exact_values(text: str, at: str, expected: Matrix) -> None:
    assert value(text, at) == expected


@pytest.mark.parametrize(
    ("text", "at", "fragment"),
    [
        ("x*y/(x^2+y^2)", "0,0", "division by zero"),  # seed 000's counterexample
        ("1/x", "0", "division by zero"),
        ("log(x)", "0", "division by zero in 1/x"),
        ("log(x)", "-1", "log of a negative number"),
        ("sqrt(x)", "0", "division by zero"),  # derivative 1/(2 sqrt(x)) blows up
        ("sqrt(x)", "-1", "square root of x = -1 < 0"),
        ("abs(x)", "0", "kink"),  # |x| has no derivative at 0: never print sign(0) = 0
        ("abs(x - y)", "1,1", "kink"),
        ("max(x, y)", "1,1", "kink"),
        ("sign(x)", "0", "infinite"),  # a jump: no derivative
        ("atan2(y, x)", "-1,0", "jumps by 2*pi"),  # atan2's branch cut
    ],
)
def test_undefined_points_are_reported(text: str, at: str, fragment: str) -> None:
    with pytest.raises(UndefinedError) as info:
        value(text, at)
    assert fragment in info.value.message
    assert info.value.exit_code == 3


def test_undefined_names_the_entry() -> None:
    with pytest.raises(UndefinedError) as info:
        value("x+y, x*y/(x^2+y^2)", "0,0")
    assert "entry (2, 1)" in info.value.message


@pytest.mark.parametrize(
    ("at", "fragment"),
    [
        ("1", "1 value but there are 2 variables"),
        ("1,2,3", "3 values"),
        ("x=1", "no value for y"),
        ("x=1,y=2,z=3", "z, which is not a variable"),
    ],
)
def test_bad_points(at: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        value("x+y, x*y", at)
    assert fragment in info.value.message
    assert info.value.exit_code == 2


def test_substitution_is_simultaneous() -> None:
    x, y = sympy.symbols("x y", real=True)
    assert substitute(x - y, {x: y, y: x}) == y - x


def test_huge_values_are_refused_before_computing() -> None:
    with pytest.raises(LimitError):
        value("x^100000", "10^999")


def test_floats() -> None:
    assert to_float(Rational(1, 3)) == pytest.approx(1 / 3)
    assert to_float(sympy.zoo) is None
    assert to_float(sympy.I) is None


def test_python_variable_lists_get_the_cli_checks() -> None:
    from jacobi import function

    with pytest.raises(InputError):
        function("x^2", variables=["x", "x"])
    with pytest.raises(InputError):
        function("x^2", variables=["sin"])
    assert function("x^2 + y", variables=["y", "x"]).variable_names == ("y", "x")
