"""``jacobi div``: the divergence against hand-derived results and identities."""

from __future__ import annotations

import random

import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.lang.parse import symbol

x, y, z = (symbol(n) for n in "xyz")


@pytest.mark.parametrize(
    ("exprs", "expected"),
    [
        ("x*y, y*z, z*x", y + z + x),  # ∂(xy)/∂x + ∂(yz)/∂y + ∂(zx)/∂z
        ("2x + 3y, 5x - 7y", sympy.Integer(-5)),  # a linear map: the trace of [[2, 3], [5, -7]]
        ("x^2, x*y", 3 * x),
        ("sin(x)*cos(y), -cos(x)*sin(y)", sympy.Integer(0)),  # a 2-D incompressible flow
        ("exp(x)", sympy.exp(x)),
    ],
)
def test_divergence_is_the_trace(exprs: str, expected: sympy.Expr) -> None:
    got = api.div([exprs]).blocks[0].matrix[0, 0]
    assert sympy.expand(got - expected) == 0


def test_radial_inverse_square_field_has_no_divergence() -> None:
    # div(r / |r|^3) = 0 away from the origin (Gauss's law with no charge there).
    r3 = "(x^2 + y^2 + z^2)^(3/2)"
    report = api.div([f"x/{r3}, y/{r3}, z/{r3}"])
    assert sympy.simplify(report.blocks[0].matrix[0, 0]) == 0


def test_value_agrees_with_finite_differences() -> None:
    exprs = "x*exp(y), sin(x*y), z^3 - x"
    rng = random.Random(1)
    at = [rng.uniform(-1, 1) for _ in range(3)]
    report = api.div([exprs], at=",".join(repr(v) for v in at))
    value = float(report.value[0, 0])
    comps = [
        lambda p: p[0] * sympy.exp(p[1]),
        lambda p: sympy.sin(p[0] * p[1]),
        lambda p: p[2] ** 3 - p[0],
    ]
    h, total = 1e-6, 0.0
    for i, comp in enumerate(comps):
        up, down = list(at), list(at)
        up[i] += h
        down[i] -= h
        total += float((comp(up) - comp(down)) / (2 * h))
    assert value == pytest.approx(total, rel=1e-7)


def test_cli_formats_and_errors() -> None:
    result = run_cli(["div", "x^2, x*y", "--at", "1,2", "-f", "json"])
    assert result.code == 0 and '"value": [["3"]]' in result.out
    assert run_cli(["div", "x^2, x*y", "-f", "latex"]).out.strip()
    wrong = run_cli(["div", "x, y, z", "--vars", "x,y"])
    assert wrong.code == 2 and "as many components as variables" in wrong.err
    assert run_cli(["div", "log(x), y", "--at", "-1,0"]).code == 3
    assert run_cli(["div", "x, y", "--layout", "denominator"]).code == 2  # no layout: a scalar
