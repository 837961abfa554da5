"""From texts to model objects: parameter values are checked like typed input."""

from __future__ import annotations

import io

import pytest
import sympy

from jacobi.commands.inputs import build_function, read_source
from jacobi.errors import InputError, LimitError
from jacobi.lang.parse import MAX_INPUT_CHARS


@pytest.mark.parametrize(
    ("exprs", "variables", "param", "fragment"),
    [
        ("log(a^3), cos(y a)", "y", "a=-3", "log(a**3) is log of a negative number"),
        ("sqrt(a)*x", "x", "a=-1", "sqrt(a) takes the square root of a = -1 < 0"),
        ("x/a", "x", "a=0", "division by zero in 1/a"),
        ("acos(a) + x", "x", "a=2", "acos(a)"),
        ("x^2 + log(b - a)", "x", "a=1, b=1", "log(-a + b) is log of 0"),
    ],
)
def test_parameter_values_that_make_f_meaningless(
    exprs: str, variables: str, param: str, fragment: str
) -> None:
    with pytest.raises(InputError) as info:
        build_function([exprs], variables=variables, params=[param])
    assert fragment in info.value.message
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("exprs", "param", "expected"),
    [
        ("sqrt(x - a)", "a=5", sympy.sqrt(sympy.Symbol("x", real=True) - 5)),
        ("log(a) x", "a=1", sympy.S.Zero),
        ("x/a", "a=-2", -sympy.Symbol("x", real=True) / 2),
    ],
)
def test_good_parameter_values(exprs: str, param: str, expected: sympy.Expr) -> None:
    f = build_function([exprs], variables="x", params=[param])
    assert f.components[0] == expected


def test_stdin_is_read_only_up_to_the_limit() -> None:
    stream = io.StringIO("x" * (MAX_INPUT_CHARS + 1000))
    text = read_source("-", stream)
    assert len(text) == MAX_INPUT_CHARS + 1  # never the whole stream
    with pytest.raises(LimitError):
        build_function([text])


def test_parameter_values_get_the_size_limits_of_typed_input() -> None:
    # (3/2 - y)^(10^20) typed is refused; the same through --param hung in tidying.
    with pytest.raises(LimitError, match="exponent"):
        build_function(["(3/2 - y)^a"], variables="y", params=["a=10^20"])
    f = build_function(["(3/2 - y)^a"], variables="y", params=["a=3"])
    y = sympy.Symbol("y", real=True)
    assert sympy.expand(f.components[0] - (sympy.Rational(3, 2) - y) ** 3) == 0


def test_a_nul_byte_in_a_file_name_is_an_input_error() -> None:
    with pytest.raises(InputError, match="NUL"):
        read_source("@a\x00b")


# ---------------------------------------------------------------- a definition's left-hand side
X, Y, A = sympy.symbols("x y a", real=True)


@pytest.mark.parametrize(
    ("text", "variables", "jacobian"),
    [
        # Hand-derived: the definition's variables are the columns, in its order.
        ("f(x) = x^2", (X,), [[2 * X]]),
        ("f(y, x) = x*y^2", (Y, X), [[2 * X * Y, Y**2]]),
        ("f(x, y) = [x+y, x*y]", (X, Y), [[1, 1], [Y, X]]),
        ("F(x) = a*x + y", (X,), [[A]]),  # a and y are parameters
        ("g = x^2 + y", (X, Y), [[2 * X, 1]]),  # no variables: every name, as without it
        ("# a file's first line\nf(y, x) = x*y^2", (Y, X), [[2 * X * Y, Y**2]]),
    ],
)
def test_a_left_hand_side_gives_the_variable_order(
    text: str, variables: tuple[sympy.Symbol, ...], jacobian: list[list[sympy.Expr]]
) -> None:
    f = build_function([text])
    assert f.variables == variables
    J = sympy.Matrix(f.components).jacobian(sympy.Matrix(f.variables))
    assert J == sympy.Matrix(jacobian)


@pytest.mark.parametrize(
    ("text", "variables", "message", "column"),
    [
        ("f() = x", None, "needs its variables", 2),
        ("f(x, 2) = x", None, "not a list of names", 5),
        ("f(x, y) = x*y", "y,x", "give the variables in another order", None),
        ("u = x*y, v = x+y", None, "'=' is not allowed", 11),
        ("f(x, y) = x + (y", None, "unclosed '('", 14),
        ("# note\nf(x) = x +* 2", None, "expected an expression after '+'", 16),
    ],
)
def test_a_bad_left_hand_side_is_one_clear_error(
    text: str, variables: str | None, message: str, column: int | None
) -> None:
    with pytest.raises(InputError) as caught:
        build_function([text], variables=variables)
    assert message in caught.value.message
    assert caught.value.column == column
    if column is not None:
        assert caught.value.source == text  # the caret goes under the text as typed
