"""``jacobi curl``, ``laplacian`` and ``wronskian``: against sympy.vector and sympy.wronskian
built directly, hand-derived identities and finite differences."""

from __future__ import annotations

import json
import random

import pytest
import sympy
import sympy.vector as sv

from conftest import run_cli
from jacobi.commands import api
from jacobi.errors import ShapeError
from jacobi.lang.parse import parse_components, symbol

x, y, z, a, b = (symbol(n) for n in "xyzab")
C = sv.CoordSys3D("C")
TO_C = {x: C.x, y: C.y, z: C.z}
FIELDS = [
    "y*z, x*z, x*y",  # a gradient field: curl 0
    "-y, x, 0",  # a rigid rotation about z: curl (0, 0, 2)
    "x^2*y, sin(z)*x, exp(x*y)",
    "y/(x^2 + 1), z*cos(x), x*y*z",
]


def _exprs(text: str) -> list[sympy.Expr]:
    return [c.expr for c in parse_components(text)]


def _same(u: sympy.Expr, v: sympy.Expr) -> bool:
    return bool(sympy.simplify(u - v) == 0)


@pytest.mark.parametrize("text", FIELDS)
def test_curl_is_sympy_vectors_curl(text: str) -> None:
    got = api.curl([text], variables="x,y,z").blocks[0].matrix
    f = _exprs(text)
    field = sum(
        (sympy.sympify(c).xreplace(TO_C) * e for c, e in zip(f, (C.i, C.j, C.k), strict=True)),
        sv.Vector.zero,
    )
    want = sv.curl(field).to_matrix(C)
    for ours, theirs in zip(got, want, strict=True):
        assert _same(ours.xreplace(TO_C), theirs)


def test_curl_identities_by_hand() -> None:
    # curl(grad phi) = 0, and div(curl F) = 0 for any smooth F.
    phi = x**2 * sympy.sin(y * z) + sympy.exp(x - z)
    grad = ", ".join(str(phi.diff(v)) for v in (x, y, z))
    assert list(api.curl([grad]).blocks[0].matrix) == [0, 0, 0]
    c = api.curl(["x^2*y, sin(z)*x, exp(x*y)"]).blocks[0].matrix
    assert sympy.simplify(c[0].diff(x) + c[1].diff(y) + c[2].diff(z)) == 0
    # A plane field: the scalar curl dF2/dx - dF1/dy (Green's theorem's integrand).
    assert api.curl(["-y, x"]).blocks[0].matrix[0, 0] == 2
    assert api.curl(["x*y, x^2"], at="1,2").value[0, 0] == 1  # 2x - x at x = 1
    assert api.curl(["x*y, y"]).blocks[0].matrix[0, 0] == -x
    with pytest.raises(ShapeError, match="the curl needs"):
        api.curl(["x*y, y"], variables="x,y,z")  # 2 components, 3 variables


def test_curl_at_a_point_against_finite_differences() -> None:
    text = "x^2*y, sin(z)*x, exp(x*y)"
    f = _exprs(text)
    rng = random.Random(4)
    p = [rng.uniform(-1, 1) for _ in range(3)]
    got = [float(v) for v in api.curl([text], at=",".join(repr(v) for v in p)).value]
    h = 1e-6

    def d(i: int, j: int) -> float:  # ∂f_i/∂x_j by a central difference
        up, down = list(p), list(p)
        up[j] += h
        down[j] -= h
        at = lambda q: float(f[i].subs(dict(zip((x, y, z), q, strict=True))))  # noqa: E731
        return (at(up) - at(down)) / (2 * h)

    fd = [d(2, 1) - d(1, 2), d(0, 2) - d(2, 0), d(1, 0) - d(0, 1)]
    assert got == pytest.approx(fd, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize(
    "text",
    ["x^2*y + y^3", "exp(x)*sin(y)*z^2", "x*y*z + log(x^2 + 1)", "sin(x*y) + cos(z)"],
)
def test_laplacian_is_sympy_vectors_laplacian(text: str) -> None:
    f = _exprs(text)[0]
    got = api.laplacian([text], variables="x,y,z").blocks[0].matrix[0, 0]
    assert _same(got.xreplace(TO_C), sv.laplacian(f.xreplace(TO_C)))


def test_harmonic_functions_and_vector_laplacian() -> None:
    # 1/r in 3-D and log(r^2) in 2-D are harmonic away from 0; exp(x) sin(y) too (by hand).
    report = api.laplacian(["1/sqrt(x^2 + y^2 + z^2)"])
    assert sympy.simplify(report.blocks[0].matrix[0, 0]) == 0
    assert sympy.simplify(api.laplacian(["log(x^2 + y^2)"]).blocks[0].matrix[0, 0]) == 0
    assert ("note", "laplacian f = 0: f is harmonic") in api.laplacian(["exp(x)*sin(y)"]).facts
    # Of each component: Δ(x^2 y, x y z) = (2y, 0).
    assert list(api.laplacian(["x^2*y, x*y*z"]).blocks[0].matrix) == [2 * y, 0]


def test_laplacian_against_a_five_point_stencil() -> None:
    text = "exp(x/2)*cos(3*y) + x^3*y"
    f = _exprs(text)[0]
    px, py = 0.3, -0.7
    got = float(api.laplacian([text], at=f"{px!r},{py!r}").value[0, 0])
    h = 1e-3
    at = lambda u, v: float(f.subs({x: u, y: v}))  # noqa: E731
    fd = (at(px + h, py) + at(px - h, py) + at(px, py + h) + at(px, py - h) - 4 * at(px, py)) / h**2
    assert got == pytest.approx(fd, rel=1e-5)


@pytest.mark.parametrize(
    ("text", "functions"),
    [
        ("sin(x), cos(x)", [sympy.sin(x), sympy.cos(x)]),
        ("1, x, x^2", [sympy.Integer(1), x, x**2]),
        ("exp(a*x), exp(b*x)", [sympy.exp(a * x), sympy.exp(b * x)]),
        ("x, x^2, x^3, exp(x)", [x, x**2, x**3, sympy.exp(x)]),
        ("x*log(x), x", [x * sympy.log(x), x]),
        ("sin(x)^2, cos(x)^2, 1", [sympy.sin(x) ** 2, sympy.cos(x) ** 2, sympy.Integer(1)]),
    ],
)
def test_wronskian_is_sympys(text: str, functions: list[sympy.Expr]) -> None:
    report = api.wronskian([text], variables="x")
    assert _same(report.blocks[0].matrix[0, 0], sympy.wronskian(functions, x))


def test_wronskian_at_a_point_and_dependence() -> None:
    report = api.wronskian(["exp(x), x*exp(x)"], at="1")
    assert report.value[0, 0] == sympy.exp(2)  # W = e^(2x) (by hand)
    dependent = api.wronskian(["sin(x)^2, cos(x)^2, 1"])
    assert dependent.blocks[0].matrix[0, 0] == 0
    assert "W = 0 identically" in dependent.facts[0][1]


@pytest.mark.parametrize(
    ("command", "text", "message"),
    [
        ("curl", "x, y, z, x", "the curl needs a field in 3 (or 2) dimensions"),
        ("curl", "x*y, y, z^2, x", "the curl needs a field"),
        ("wronskian", "x, y", "the Wronskian needs functions of one variable"),
    ],
)
def test_shape_errors(command: str, text: str, message: str) -> None:
    with pytest.raises(ShapeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        getattr(api, command)([text])


def test_cli_in_every_format() -> None:
    for command, text, at in [
        ("curl", "-y, x, z", "1,2,3"),
        ("laplacian", "x^2*y + y^3", "1,2"),
        ("wronskian", "sin(x), cos(x)", "pi/4"),
    ]:
        base = [command, text, "--at", at]
        plain = run_cli([*base, "-f", "plain"])
        assert plain.code == 0 and plain.out.isascii(), (command, plain.err)
        assert run_cli([*base, "-f", "pretty"]).code == 0
        assert run_cli([*base, "-f", "latex"]).out.strip()
        obj = json.loads(run_cli([*base, "-f", "json"]).out)
        assert obj["command"] == command and "value" in obj
    assert run_cli(["curl", "x, y, z, x"]).code == 2
    assert run_cli(["laplacian", "log(x)", "--at", "-1"]).code == 3
