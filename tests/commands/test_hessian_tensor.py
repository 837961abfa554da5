"""``jacobi hessian`` of a vector function: the m×n×n tensor JAX's ``hessian`` returns, against
hand-derived slices, ``sympy.hessian`` of each component and finite differences."""

from __future__ import annotations

import json
import random

import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.lang.parse import parse_components, symbol

x, y, z, x1, x2 = (symbol(n) for n in ("x", "y", "z", "x1", "x2"))


def test_the_issues_example_by_hand() -> None:
    # f(x) = (x1^2, x2^2): H_f1 = [[2, 0], [0, 0]], H_f2 = [[0, 0], [0, 2]].
    report = api.hessian(["x1^2, x2^2"])
    assert [b.matrix.tolist() for b in report.blocks] == [[[2, 0], [0, 0]], [[0, 0], [0, 2]]]
    assert report.data["shape"] == [2, 2, 2]
    assert report.data["result"] == [[["2", "0"], ["0", "0"]], [["0", "0"], ["0", "2"]]]


@pytest.mark.parametrize(
    "text",
    ["x^2*y, sin(x)*y, exp(x*y)", "x*y*z, x^3 - z, log(1 + y^2)*z", "atan(x/y), x*y"],
)
def test_each_slice_is_sympys_hessian_of_the_component(text: str) -> None:
    comps = [c.expr for c in parse_components(text)]
    variables = sorted(set().union(*(c.free_symbols for c in comps)), key=lambda s: s.name)
    report = api.hessian([text])
    assert len(report.blocks) == len(comps)
    for block, comp in zip(report.blocks, comps, strict=True):
        expected = sympy.hessian(comp, variables)
        assert (sympy.simplify(block.matrix - expected)).is_zero_matrix


def test_values_against_finite_differences() -> None:
    text = "x^2*y + sin(z), exp(x - y)*z"
    comps = [c.expr for c in parse_components(text)]
    rng = random.Random(2)
    p = [rng.uniform(-1, 1) for _ in range(3)]
    report = api.hessian([text], at=",".join(repr(v) for v in p))
    values = report.data["numeric"]
    assert isinstance(values, list) and len(values) == 2
    h = 1e-4
    names = (x, y, z)

    def at(c: sympy.Expr, q: list[float]) -> float:
        return float(c.subs(dict(zip(names, q, strict=True))))

    for comp, got in zip(comps, values, strict=True):
        for j in range(3):
            for k in range(3):
                q = [list(p) for _ in range(4)]
                for s, (dj, dk) in enumerate([(h, h), (h, -h), (-h, h), (-h, -h)]):
                    q[s][j] += dj
                    q[s][k] += dk
                fd = (at(comp, q[0]) - at(comp, q[1]) - at(comp, q[2]) + at(comp, q[3])) / (
                    4 * h * h
                )
                assert got[j][k] == pytest.approx(fd, rel=1e-5, abs=1e-6)


def test_every_format() -> None:
    plain = run_cli(["hessian", "x1^2, x2^2", "--at", "1,2", "-f", "plain"])
    assert plain.code == 0
    assert "Hessian of each of the 2 components: 2x2x2, numerator layout" in plain.out
    assert "Hessian of f1 = x1**2:" in plain.out and "Hessian of f2 = x2**2:" in plain.out
    assert "f2 at x1 = 1, x2 = 2:" in plain.out
    assert run_cli(["hessian", "x1^2, x2^2", "-f", "pretty"]).code == 0
    obj = json.loads(run_cli(["hessian", "x1^2, x2^2", "--at", "1,2", "-f", "json"]).out)
    assert obj["shape"] == [2, 2, 2]
    assert obj["value"] == [[["2", "0"], ["0", "0"]], [["0", "0"], ["0", "2"]]]
    assert obj["numeric"] == [[[2.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 2.0]]]
    tex = run_cli(["hessian", "x1^2, x2^2", "-f", "latex"]).out
    assert r"H_{f_{1}}(x_{1}, x_{2}) &= " in tex and r"H_{f_{2}}(x_{1}, x_{2}) &= " in tex
    # A point where one component is undefined: exit 3, naming it.
    bad = run_cli(["hessian", "x, log(y)", "--at", "1,-1"])
    assert bad.code == 3 and "f2" in bad.err


def test_a_batch_row() -> None:
    from jacobi.batch import run_case

    row = run_case({"command": "hessian", "exprs": "x1^2, x2^2", "at": "1,1"})
    assert row["status"] == "pass" and row["shape"] == [2, 2, 2]
    assert row["message"] == "value [[[2, 0], [0, 0]], [[0, 0], [0, 2]]]"
