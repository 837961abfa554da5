"""Values at points: exact, and honest about points where nothing is defined."""

from __future__ import annotations

import pytest
import sympy
from sympy import Matrix, Rational

from jacobi.commands import api as commands
from jacobi.errors import InputError, LimitError, UndefinedError
from jacobi.math.magnitude import to_float
from jacobi.math.substitute import substitute


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
        ("log(x)", "0", "log(x) is log of 0"),  # f itself first, then J
        ("log(x)", "-1", "log of a negative number"),
        ("sqrt(x)", "0", "defined on one side only"),  # and 1/(2 sqrt(x)) blows up
        ("sqrt(x)", "-1", "square root of x = -1 < 0"),
        ("abs(x)", "0", "kink"),  # |x| has no derivative at 0: never print sign(0) = 0
        ("abs(x - y)", "1,1", "kink"),
        ("max(x, y)", "1,1", "kink"),
        ("sign(x)", "0", "jumps"),  # a jump: no derivative
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
    assert "component f2" in info.value.message
    with pytest.raises(UndefinedError) as info:
        value("x+y, abs(x - y)", "1,1")  # f is defined, J is not: the entry is named
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


# ---------------------------------------------------------------- issue 8, items 7-9


def cli_code(run_args: list[str]) -> tuple[int, str, str]:
    from conftest import run_cli

    res = run_cli(run_args)
    return res.code, res.out, res.err


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        # parameter values are checked like typed input: log(-27), sqrt(-1), 1/0 are refused
        (["jac", "log(a^3), cos(y a)", "--vars", "y", "--param", "a=-3"], 2, "log of a negative"),
        (["jac", "sqrt(a)*x", "--vars", "x", "--param", "a=-1"], 2, "square root of a = -1"),
        (["jac", "x/a", "--vars", "x", "--param", "a=0"], 2, "division by zero in 1/a"),
        # every piece of f must be real at the point, not only the simplified whole
        (["jac", "exp(acos(x))", "--at", "-pi"], 3, "acos(x) has no real value"),
        (["jac", "abs(sqrt(x))", "--at", "-1"], 3, "square root of x = -1"),
        (["jac", "x*atan2(x, x)", "--at", "0"], 3, "atan2(x, x)"),
        # formerly internal errors (exit 5)
        (["jac", "relu(sqrt(x))", "--at", "-1"], 3, "square root of x = -1"),
        (["jac", "max(acosh(x), 0)", "--at", "0"], 3, "acosh(x)"),
        (["linearize", "min(log(x), 1)", "--at", "0"], 3, "log(x) is log of 0"),
        (["jac", "atan2(1, max(x, y/z))", "--at", "1,1,0"], 3, "division by zero in 1/z"),
        (["jac", "min(y, (y + y) * atanh(y), y)", "--at", "3/2"], 3, "atanh(y)"),
        # kinks: undefined on the kink, with the kind of kink named
        (["jac", "abs(x)", "--at", "0"], 3, "kink of sign at x = 0"),
        (["hessian", "abs(x)", "--at", "0"], 3, "kink of sign at x = 0"),
        (["jac", "relu(x)", "--at", "0"], 3, "kink"),
    ],
)
def test_bad_points_and_parameters_are_clear_errors(
    args: list[str], code: int, fragment: str
) -> None:
    got, out, err = cli_code(args)
    assert got == code, err
    assert fragment in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        # x^y at (0, 2): f(x, 2) = x^2 and f(0, y) = 0 for y > 0, so both partials are 0
        ("x^y", "0,2", Matrix([[0, 0]])),
        # relu(x) - relu(-x) = x everywhere: the two kinks cancel when read from one side
        ("relu(x) - relu(-x)", "0", Matrix([[1]])),
        ("abs(x) - abs(-x) + x", "0", Matrix([[1]])),
        # acos(min(1, x)) = acos(1) = 0 for all x > 1
        ("acos(min(1, x))", "2", Matrix([[0]])),
        ("max(x, 1)^2", "3", Matrix([[6]])),  # only the active branch matters
        ("sign(1/x)", "1", Matrix([[0]])),  # formerly "Can't calculate derivative wrt 1"
        ("sign(1/x)", "-2", Matrix([[0]])),
        ("relu(x+y) - relu(-x-y)", "0,0", Matrix([[1, 1]])),
    ],
)
def test_false_undefined_points_have_values(text: str, at: str, expected: Matrix) -> None:
    assert value(text, at) == expected


def test_huge_point_is_a_value_or_a_limit_never_a_crash() -> None:
    code, out, err = cli_code(["jac", "x^x", "--at", "exp(exp(exp(10)))", "--format", "latex"])
    assert code in (0, 4) and "internal error" not in err


def test_real_checks_are_bounded_by_size_not_time() -> None:
    from jacobi.math.magnitude import is_bad, real_sign

    tower = sympy.exp(sympy.exp(sympy.exp(20)))
    assert to_float(tower) is None  # too large to evaluate: no float, no waiting
    assert is_bad(tower) is False  # taken as it stands, as before
    assert is_bad(sympy.acos(-sympy.pi)) and is_bad(sympy.atanh(Rational(3, 2)))
    assert not is_bad(sympy.acos(Rational(1, 3)))
    # sqrt(2)**2 - 2 written so that SymPy does not fold it: classified as 0
    assert real_sign((sympy.sqrt(2) + sympy.sqrt(3)) ** 2 - 5 - 2 * sympy.sqrt(6)) == 0
    assert real_sign(sympy.pi - Rational(355, 113)) == -1  # pi < 355/113


@pytest.mark.parametrize("name", ["magnitude", "substitute", "domain", "evaluate"])
def test_no_clock_in_evaluate(name: str) -> None:
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(f"jacobi.math.{name}"))
    assert "soft_limit" not in source and "Deadline" not in source


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        # SymPy computes gamma and polygamma at integers exactly: a factorial of 10^8
        # hung the process (no timer can interrupt it).
        (["jac", "gamma(x)", "--at", "100000000"], 4, "digits"),
        (["jac", "digamma(x)", "--at", "100000000"], 4, "digits"),
        # (2e)^y at y = 10^20 is expanded into 2**(10**20)*exp(10**20) by SymPy.
        (["jac", "1/(2*e)^y", "--at", "10^20"], 4, "digits"),
        # not real at the point, though SymPy cannot tell symbolically
        (["jac", "(-t)^5^(1/4)", "--at", "4/3"], 3, "no real value"),
        (["jac", "erfinv(x)", "--at", "2"], 3, "no real value"),
    ],
)
def test_values_that_are_too_large_or_not_real(args: list[str], code: int, fragment: str) -> None:
    got, out, err = cli_code(args)
    assert got == code, err
    assert fragment in err and out == ""


def test_float_text_beyond_the_range_of_floats() -> None:
    from jacobi.math.magnitude import float_text

    # erfcinv has no numeric evaluation in SymPy: erfcinv(1/2) = erfinv(1/2) = 0.4769362762...
    assert float_text(sympy.erfcinv(Rational(1, 2))) == "0.476936276204"
    # gamma(2000) = 1999! = 2000!/2000, and 2000! = 3.3162750924506...e5735 (tables)
    assert float_text(sympy.gamma(sympy.Integer(2000))) == "1.65813754623e+5732"
    assert float_text(sympy.sqrt(-1 + sympy.Integer(0))) == "undefined"


def test_a_jump_hidden_by_sign_of_zero_is_still_a_kink() -> None:
    # d/dx sign(x)^5 = 10 sign(x)^4 DiracDelta(x): the coefficient is 0 at x = 0 only
    # because sign(0) = 0; on both sides it is 10, and sign(x)^5 jumps from -1 to 1.
    got, out, err = cli_code(["jac", "sign(x)^5", "--at", "0"])
    assert got == 3 and "jumps" in err
    got, out, err = cli_code(["jac", "x^2*sign(x)", "--at", "0"])  # a real derivative, 0
    assert got == 0, err


def test_a_power_of_a_sum_of_constants_is_not_computed_digit_by_digit() -> None:
    # (cot(10) - 3/2)^10000 stays an unevaluated power (about 1e-13726): no digit limit.
    value = commands.jac(["(z+cot(10))^10^4"], at="-3/2").value
    assert value is not None
    expected = 10000 * (sympy.cot(10) - Rational(3, 2)) ** 9999
    assert abs(value[0, 0].evalf(30) / expected.evalf(30) - 1) < 1e-20


@pytest.mark.parametrize(
    ("args", "code"),
    [
        # (3/2)^9999 has 4771 + 3010 digits (numerator and denominator): within 10,000
        (["jac", "z^10^4", "--at", "-3/2"], 0),
        # 11^10000 has 10,414 digits
        (["jac", "z^10^4", "--at", "11"], 4),
        # 2^40000 has 12,042 digits; (1/2)^20000 has 6,021
        (["jac", "2^x", "--at", "40000"], 4),
        (["jac", "(1/2)^x", "--at", "20000"], 0),
    ],
)
def test_the_digit_limit_counts_digits_exactly(args: list[str], code: int) -> None:
    got, out, err = cli_code(args)
    assert got == code, err


@pytest.mark.parametrize(
    ("text", "at", "code"),
    [
        # f is defined on one side only along the variable: no (two-sided) derivative
        ("x^pi", "0", 3),
        ("x^(3/2)", "0", 3),
        ("relu(acos(z)*(y-x))", "1,-9/4,-1", 3),  # found by the differential test
        ("(2x - 6)*(x^e + atanh(x))", "0", 3),
        ("acosh(x)", "1", 3),
        ("tanh(x)^pi", "0", 3),  # found by the differential test: tanh(x) < 0 for x < 0
        # defined on both sides along each variable: the partial derivatives exist
        ("x^y", "0,2", 0),  # x^2 along x, 0^y = 0 along y
        ("(x^2+1)^(3/2)", "0", 0),
        ("(x^2+y^2)^(3/2)", "0,0", 0),
    ],
)
def test_no_derivative_where_f_is_defined_on_one_side_only(text: str, at: str, code: int) -> None:
    got, out, err = cli_code(["jac", text, "--at", at])
    assert got == code, err
    if code == 3:
        assert "defined on one side only" in err


def test_points_agree_with_at_on_the_edge_of_the_domain() -> None:
    from conftest import run_cli

    res = run_cli(["jac", "x^pi", "--points", "-"], stdin="x\n0\n1\n")
    rows = res.out.splitlines()
    assert rows[1].startswith("0,,undefined")
    assert rows[2].startswith("1,3.14159265358979")


def test_long_points_are_classified_with_enough_digits() -> None:
    # A 181-digit point just below sqrt(2) (truncated decimal expansion): x - sqrt(2) is
    # about -9.5e-181, which cancels to "0" at 30 digits.
    import mpmath

    with mpmath.workdps(300):
        q = mpmath.nstr(mpmath.sqrt(2), 250, strip_zeros=False)[:182]
        assert mpmath.mpf(q) < mpmath.sqrt(2)
    got, out, err = cli_code(["jac", "abs(x - sqrt(2))", "--at", q, "-f", "json"])
    assert got == 0, err
    assert '"numeric": [[-1.0]]' in out
    got, out, err = cli_code(["jac", "sqrt(x - sqrt(2))", "--at", q])
    assert got == 3 and "square root" in err


@pytest.mark.parametrize("text", ["sign(x^2)", "heaviside(x^2)", "x + sign(x^2)"])
def test_a_step_with_a_double_root_is_a_jump(text: str) -> None:
    # sign(x^2) is 0 at 0 and 1 on both sides; the delta term of its derivative,
    # 4x DiracDelta(x^2), has a vanishing coefficient there, yet f is not continuous.
    got, out, err = cli_code(["jac", text, "--at", "0"])
    assert got == 3 and "jumps" in err


@pytest.mark.parametrize(
    ("text", "at", "fragment"),
    [
        # SymPy simplifies each of these to x while parsing; f is still undefined here.
        ("exp(log(x))", "-1", "log of a negative number"),
        ("sqrt(x)^2", "-1", "square root"),
        ("sqrt(x)*sqrt(x)", "-1", "square root"),
        ("(x^(1/4))^4", "-1", "root of order 4"),
        ("1/(1/x)", "0", "division by zero"),
        ("sqrt(x)^2", "0", "one side only"),
    ],
)
def test_the_domain_survives_simplification_while_parsing(
    text: str, at: str, fragment: str
) -> None:
    got, out, err = cli_code(["jac", text, "--at", at])
    assert got == 3 and fragment in err, err
    # where the pieces are defined, the value is that of x: J = 1
    got, out, err = cli_code(["jac", text, "--at", "2", "-f", "json"])
    assert got == 0 and '"value": [["1"]]' in out, err


def test_points_keep_the_domain_lost_while_parsing() -> None:
    from conftest import run_cli

    res = run_cli(["jac", "exp(log(x))", "--points", "-"], stdin="x\n-1\n2\n")
    rows = res.out.splitlines()
    assert rows[1].startswith("-1,,undefined") and rows[2] == "2,1.0,ok"


def test_an_undefined_piece_inside_min_is_undefined_not_an_internal_error() -> None:
    # found by the differential test: Min(exp(0), atan2(0, 0)) made SymPy raise ValueError
    got, out, err = cli_code(["jac", "atan2(min(exp(x), atan2(0, x)), csc(x + 25))", "--at", "0"])
    assert got == 3 and "atan2" in err


def test_atan2_of_constants_whose_sign_sympy_cannot_tell_stays_real() -> None:
    # SymPy writes atan2(8, tan(e)/theta) at theta = -2/3 as -I*log(...): found by the
    # differential test, refused as "no real value". tan(e) < 0, so x = -1.5 tan(e) > 0
    # and the value is atan(8/x); d/dtheta atan2(8, c/theta) = 8c/(64 theta^2 + c^2).
    got, out, err = cli_code(["jac", "atan2(8, tan(e)/theta)", "--vars", "theta", "--at", "-2/3"])
    assert got == 0, err
    c = sympy.tan(sympy.E)
    theta = Rational(-2, 3)
    expected = (8 * c / (64 * theta**2 + c**2)).evalf(12)
    assert f"{float(expected):.12g}" in out
