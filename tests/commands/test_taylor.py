"""``jacobi linearize --order 2``: the second-order Taylor polynomial, against hand-derived
results, SymPy's one-variable series along each direction, and its O(|dx|³) error."""

from __future__ import annotations

import json

import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.errors import InputError
from jacobi.lang.parse import parse_components, symbol

x, y, z, t = (symbol(n) for n in "xyzt")


def test_by_hand() -> None:
    # y e^x at (0, 1): 1 + x + (y - 1) + (x^2 + 2 x (y - 1))/2 = x^2/2 + x y + y.
    report = api.linearize(["exp(x)*y, x*y^2"], at="0,1", order=2)
    assert list(report.blocks[0].matrix) == [x**2 / 2 + x * y + y, 2 * x * y - x]
    assert report.data["hessians_at"] == [[["1", "1"], ["1", "0"]], [["0", "2"], ["2", "0"]]]
    # A quadratic is its own Taylor polynomial.
    quad = api.linearize(["3*x^2 - x*y + 5*y - 7"], at="2,-1", order=2).blocks[0].matrix
    assert sympy.expand(quad[0] - (3 * x**2 - x * y + 5 * y - 7)) == 0


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("sin(x)*cos(y), exp(x*y)", (sympy.pi / 6, 1)),
        ("log(1 + x^2 + y^2)*z", (1, 2, sympy.Rational(1, 3))),
        ("sqrt(x + y), x/y", (3, 1)),
    ],
)
def test_is_sympys_series_to_second_order(text: str, at: tuple[sympy.Expr, ...]) -> None:
    comps = [c.expr for c in parse_components(text)]
    variables = sorted(set().union(*(c.free_symbols for c in comps)), key=lambda s: s.name)
    report = api.linearize([text], at=",".join(str(v) for v in at), order=2)
    # Along x = x0 + t (x - x0), the Taylor polynomial is the series in t to t^2, at t = 1.
    path = {v: x0 + t * (v - x0) for v, x0 in zip(variables, at, strict=True)}
    for comp, got in zip(comps, report.blocks[0].matrix, strict=True):
        series = sympy.series(comp.xreplace(path), t, 0, 3).removeO().subs(t, 1)
        assert sympy.simplify(sympy.expand(series - got)) == 0


def test_error_is_third_order() -> None:
    text = "exp(x)*sin(y) + x^3*y"
    f = parse_components(text)[0].expr
    poly = api.linearize([text], at="1/2,1", order=2).blocks[0].matrix[0, 0]
    direction = (0.6, -0.8)
    errors = []
    for eps in (1e-2, 5e-3, 2.5e-3):
        p = {x: 0.5 + eps * direction[0], y: 1 + eps * direction[1]}
        errors.append(abs(float(f.subs(p)) - float(poly.subs(p))))
    ratios = [errors[k] / errors[k + 1] for k in range(2)]
    assert ratios == pytest.approx([8, 8], rel=0.05)  # halving the step divides it by 2^3


def test_options_and_formats() -> None:
    with pytest.raises(InputError, match="--order must be 1"):
        api.linearize(["x*y"], at="1,2", order=3)
    plain = run_cli(["linearize", "exp(x)*y", "--at", "0,1", "--order", "2", "-f", "plain"])
    assert plain.code == 0 and plain.out.isascii()
    assert "second-order Taylor polynomial at (x, y) = (0, 1)" in plain.out
    assert "Hessian of f at (x, y) = (0, 1):" in plain.out
    args = ["linearize", "exp(x)*y", "--at", "0,1", "--order", "2"]
    obj = json.loads(run_cli([*args, "-f", "json"]).out)
    assert obj["result"] == [["x**2/2 + x*y + y"]] and obj["order"] == 2
    assert run_cli([*args, "-f", "pretty"]).code == 0
    assert r"\frac{x^{2}}{2}" in run_cli([*args, "-f", "latex"]).out
    assert run_cli(["linearize", "x*y", "--at", "1,2", "--order", "0"]).code == 2
