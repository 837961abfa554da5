"""``jacobi implicit``: against SymPy's ``idiff``, hand-derived systems and finite differences
along the curve."""

from __future__ import annotations

import json

import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.errors import InputError, ShapeError, UndefinedError
from jacobi.lang.parse import symbol

x, y, z, y1, y2 = (symbol(n) for n in ("x", "y", "z", "y1", "y2"))


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    return bool(sympy.simplify(a - b) == 0)


# SymPy's idiff examples (sympy/geometry/tests/test_util.py) and curves of the same kind;
# the answer is computed by sympy.idiff itself, on the same (real) symbols.
@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("x^2 + y^2 - 4", x**2 + y**2 - 4),
        ("y*exp(y) - x*exp(x)", y * sympy.exp(y) - x * sympy.exp(x)),
        (
            "y - (-10*(-sin(x) + 1/x)^2 + tan(x)^2 + 2*cosh(x/10))",
            y - (-10 * (-sympy.sin(x) + 1 / x) ** 2 + sympy.tan(x) ** 2 + 2 * sympy.cosh(x / 10)),
        ),
        ("x^3 + y^3 - 3*x*y", x**3 + y**3 - 3 * x * y),  # the folium of Descartes
        ("x^2/4 + y^2/9 - 1", x**2 / 4 + y**2 / 9 - 1),
    ],
)
def test_first_and_second_derivatives_are_sympys_idiff(text: str, expr: sympy.Expr) -> None:
    # The third order on the circle is SymPy's own case (below); here orders 1 and 2.
    report = api.implicit([text], solve_for="y", order=2)
    first, second = (report.blocks[k].matrix[0, 0] for k in range(2))
    assert _same(first, sympy.idiff(expr, y, x))
    assert _same(second, sympy.idiff(expr, y, x, 2))


def test_the_circle_as_the_issue_writes_it() -> None:
    report = api.implicit(["x^2 + y^2 - 1"], solve_for="y")
    assert report.blocks[0].matrix[0, 0] == -x / y
    assert ("holds where", "∂F/∂y = 2*y ≠ 0 (the implicit function theorem)") in report.facts
    # SymPy's test: the third derivative on x^2 + y^2 = 4 is 3x(-x^2 - y^2)/y^5 ...
    third = api.implicit(["x^2 + y^2 - 4"], solve_for="y", order=3).blocks[2].matrix[0, 0]
    assert _same(third, 3 * x * (-(x**2) - y**2) / y**5)
    assert _same(third, sympy.idiff(x**2 + y**2 - 4, y, x, 3))
    # ... which on the lower half, y = -sqrt(4 - x^2), is 12 x / (4 - x^2)^(5/2), as SymPy's
    # test says (by hand: y'' = -4/y^3 on the circle, so y''' = 12 y'/y^4 = -12 x/y^5).
    lower = -sympy.sqrt(4 - x**2)
    assert _same(third.subs(y, lower), 12 * x / (4 - x**2) ** sympy.Rational(5, 2))
    assert _same(third.subs(y, lower), lower.diff(x, 3))


def test_several_independent_variables_give_a_row() -> None:
    # F = x e^y + y - z^2: F_y = x e^y + 1, F_x = e^y, F_z = -2z (by hand).
    row = api.implicit(["x*exp(y) + y - z^2"], solve_for="y").blocks[0].matrix
    assert row.shape == (1, 2)
    assert _same(row[0, 0], -sympy.exp(y) / (x * sympy.exp(y) + 1))
    assert _same(row[0, 1], 2 * z / (x * sympy.exp(y) + 1))


def test_a_linear_system_by_hand() -> None:
    # y1 + y2 = x, y1 - y2 = x^2: y1 = (x + x^2)/2, y2 = (x - x^2)/2.
    report = api.implicit(["y1 + y2 - x, y1 - y2 - x^2"], solve_for="y1,y2", order=2)
    first, second = report.blocks[0].matrix, report.blocks[1].matrix
    assert [sympy.expand(e) for e in first] == [(1 + 2 * x) / 2, (1 - 2 * x) / 2]
    assert list(second) == [1, -1]
    assert report.data["condition"] == "-2 != 0"


def _nsolve_system(x0: float) -> list[float]:
    eqs = [x * y1 + y2 - 2, y1 + x * y2**2 - 2]
    sol = sympy.nsolve([e.subs(x, x0) for e in eqs], [y1, y2], [1, 1], prec=30)
    return [float(v) for v in sol]


def test_a_nonlinear_system_against_finite_differences_along_the_solution() -> None:
    # x y1 + y2 = 2, y1 + x y2^2 = 2 passes through (1, 1, 1) with det F_y = 2 x^2 y2 - 1 = 1.
    exprs = ["x*y1 + y2 - 2, y1 + x*y2^2 - 2"]
    report = api.implicit(exprs, solve_for="y1,y2", at="1,1,1")
    h = 1e-6
    up, down = _nsolve_system(1 + h), _nsolve_system(1 - h)
    fd = [(u - d) / (2 * h) for u, d in zip(up, down, strict=True)]
    got = [float(v) for v in report.value]
    assert got == pytest.approx(fd, rel=1e-6)
    # The symbolic matrix agrees with SymPy's own linear algebra: -F_y^-1 F_x.
    fy = sympy.Matrix([[x, 1], [1, 2 * x * y2]])
    fx = sympy.Matrix([y1, y2**2])
    expected = -fy.inv() * fx
    assert all(_same(a, b) for a, b in zip(report.blocks[0].matrix, expected, strict=True))


def test_values_on_the_circle_against_the_explicit_branch() -> None:
    report = api.implicit(["x^2 + y^2 - 1"], solve_for="y", at="3/5,4/5", order=2)
    assert report.value[0, 0] == sympy.Rational(-3, 4)
    upper = sympy.sqrt(1 - x**2)  # the branch through (3/5, 4/5)
    assert report.data["higher_at"] == [[[str(upper.diff(x, 2).subs(x, sympy.Rational(3, 5)))]]]
    # And by a central difference of the explicit branch.
    h = sympy.Rational(1, 10**6)
    fd = (upper.subs(x, sympy.Rational(3, 5) + h) - upper.subs(x, sympy.Rational(3, 5) - h)) / (
        2 * h
    )
    assert float(report.value[0, 0]) == pytest.approx(float(fd), rel=1e-9)
    # An exact point with surds: (sqrt(2)/2, sqrt(2)/2) is on the circle, slope -1.
    assert (
        api.implicit(["x^2 + y^2 - 1"], solve_for="y", at="sqrt(2)/2,sqrt(2)/2").value[0, 0] == -1
    )


@pytest.mark.parametrize(
    ("exprs", "options", "error", "message"),
    [
        ("x^2 + y^2 - 1", {"at": "1,1"}, InputError, "not on the curve: F = 1 there"),
        ("x^2 + y^2 - 1", {"at": "1,0"}, UndefinedError, "∂F/∂y = 0 at x = 1, y = 0"),
        ("x^2 + y^2 - 1", {"solve_for": "z"}, InputError, "--solve-for names z"),
        ("x^2 + y^2 - 1, x - y", {}, ShapeError, "F has 2 equations but --solve-for names 1"),
        ("x + y, x - y", {"solve_for": "x,y"}, ShapeError, "every variable is solved for"),
        ("x^2 + z", {}, InputError, "--solve-for names y, which is not a variable"),
        ("x + z + y^2", {"order": 2}, ShapeError, "--order 2 needs one independent variable"),
        ("x + sin(y)^2 + cos(y)^2", {}, InputError, "∂F/∂y = 0 everywhere"),
        ("y1 + y2 - x, 2*y1 + 2*y2", {"solve_for": "y1,y2"}, InputError, "det F_y = 0 everywhere"),
        ("x^2 + y^2 - 1", {"order": 9}, InputError, "--order must be between 1 and 6"),
    ],
)
def test_errors(exprs: str, options: dict[str, object], error: type, message: str) -> None:
    kwargs: dict[str, object] = {"solve_for": "y", **options}
    with pytest.raises(error, match=message.replace("(", r"\(").replace("^", r"\^")):
        api.implicit([exprs], **kwargs)


def test_cli_in_every_format() -> None:
    args = ["implicit", "x^2 + y^2 - 1", "--solve-for", "y", "--at", "3/5,4/5"]
    plain = run_cli([*args, "-f", "plain"])
    assert plain.code == 0 and "dy/dx = -x/y" in plain.out and "dF/dy = 2*y != 0" in plain.out
    pretty = run_cli([*args, "-f", "pretty"])
    assert pretty.code == 0 and "∂F/∂y = 2*y ≠ 0" in pretty.out
    obj = json.loads(run_cli([*args, "-f", "json"]).out)
    assert obj["result"] == [["-x/y"]] and obj["value"] == [["-3/4"]]
    assert obj["solve_for"] == ["y"] and obj["condition"] == "2*y != 0"
    latex = run_cli([*args, "-f", "latex"]).out
    assert latex.startswith(r"\begin{aligned} \frac{dy}{dx} &= - \frac{x}{y}")
    off = run_cli(["implicit", "x^2 + y^2 - 1", "--solve-for", "y", "--at", "1,1"])
    assert off.code == 2 and off.err.count("\n") == 1 and "not on the curve" in off.err


def test_a_residual_zero_only_numerically_is_noted() -> None:
    # log(6) - log(2) - log(3) is 0, which the bounded zero test does not prove.
    report = api.implicit(["y + x - log(6) + log(2) + log(3)"], solve_for="y", at="0,0")
    facts = dict(report.facts)
    assert facts["at the point"].startswith("F = 0 numerically there")
    assert "not proved exactly 0" in facts["note"]
