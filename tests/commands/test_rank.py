"""``jacobi jac --rank``: the generic rank against SymPy's ``Matrix.rank`` built directly,
the rank at a point against finite differences, where it drops and the inverse function
theorem's statement by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy

from conftest import run_cli
from jacobi.commands import api
from jacobi.errors import InputError
from jacobi.lang.parse import parse_components, symbol
from jacobi.math import rank as rk

x, y, z = (symbol(n) for n in "xyz")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x+y, x*y", 2),
        ("x + y, (x + y)^2", 1),  # functionally dependent: f2 = f1^2
        ("x + y, (x + y)^2, x*y", 2),
        ("x*y*z, x + y + z, x*y + y*z + z*x", 3),
        ("x^2 + y^2 + z^2, 2*(x^2 + y^2 + z^2) + 1", 1),
        ("x - y, y - z, z - x", 2),  # the three sum to 0
        ("x, y, x + y, x - y", 2),
        ("3, 5", 0),
        ("exp(x + y), sin(x + y)", 1),
        ("exp(x)*cos(y), exp(x)*sin(y)", 2),
    ],
)
def test_generic_rank_is_sympys_rank(text: str, expected: int) -> None:
    comps = [c.expr for c in parse_components(text)]
    variables = [v for v in (x, y, z) if any(v in c.free_symbols for c in comps)] or [x]
    j = sympy.Matrix(comps).jacobian(variables)
    assert j.rank(simplify=True) == expected  # SymPy on its own
    report = api.jac([text], rank=True, variables=[v.name for v in variables])
    assert report.data["rank"] == expected
    assert report.data["rank_proved"] is True
    assert report.data["full_rank"] == (expected == min(j.shape))


def _fd_rank(text: str, variables: tuple[sympy.Symbol, ...], at: list[float]) -> int:
    """The numerical rank of J by central differences (NumPy's SVD rank)."""
    comps = [c.expr for c in parse_components(text)]
    h = 1e-6
    cols = []
    for k in range(len(at)):
        up, down = list(at), list(at)
        up[k] += h
        down[k] -= h
        cols.append(
            [
                (
                    float(c.subs(dict(zip(variables, up, strict=True))))
                    - float(c.subs(dict(zip(variables, down, strict=True))))
                )
                / (2 * h)
                for c in comps
            ]
        )
    return int(np.linalg.matrix_rank(np.array(cols).T, tol=1e-6))


@pytest.mark.parametrize(
    ("text", "at", "rank", "invertible"),
    [
        ("r*cos(t), r*sin(t)", "2,0", 2, True),
        ("r*cos(t), r*sin(t)", "0,1", 1, False),  # det J = r = 0
        ("x+y, x*y", "1,1", 1, False),  # det J = x - y
        ("x^3", "0", 0, False),  # one-to-one, but no differentiable inverse
        ("x^2 + y^2", "1,0", 1, None),  # a submersion
        ("t, t^2, t^3", "0", 1, None),  # an immersion
    ],
)
def test_rank_at_a_point_and_the_theorem(
    text: str, at: str, rank: int, invertible: bool | None
) -> None:
    report = api.jac([text], rank=True, at=at)
    assert report.data["rank_at"] == rank
    assert report.data["locally_invertible"] is invertible
    words = dict(report.facts)["at the point"]
    if invertible:
        assert "locally invertible" in words and "inverse function theorem" in words
    elif invertible is False:
        assert "does not apply" in words
    values = [float(v) for v in report.point.values]
    assert _fd_rank(text, report.function.variables, values) == rank


def test_where_the_rank_drops() -> None:
    polar = api.jac(["r*cos(t), r*sin(t)"], rank=True)
    assert dict(polar.facts)["rank drops"].name == "det J"
    assert [str(s.values) for s in polar.data["rank_drops"].solutions] == ["(0,)"]
    # A 1×2 row loses rank where both partials vanish (det(J Jᵀ) = 4(x² + y²)).
    row = api.jac(["x^2 + y^2"], rank=True)
    assert sympy.expand(row.data["rank_drops"].equation - 4 * (x**2 + y**2)) == 0
    # The twisted cubic is an immersion everywhere: det(Jᵀ J) = 1 + 4t² + 9t⁴ > 0.
    assert api.jac(["t, t^2, t^3"], rank=True).data["rank_drops"].nowhere


def test_sample_ranks_are_exact_for_rationals() -> None:
    assert rk.rank_at(sympy.Matrix([[1, 2, 3], [2, 4, 6]])) == 1
    assert rk.rank_at(sympy.Matrix([[sympy.pi, 1], [1, 1 / sympy.pi]])) == 1


def test_formats_and_errors() -> None:
    base = ["jac", "r*cos(t), r*sin(t)", "--rank", "--at", "2,0"]
    plain = run_cli([*base, "-f", "plain"])
    assert plain.code == 0 and plain.out.isascii()
    assert "generic rank: 2: full (J is 2x2)" in plain.out
    assert "rank drops: det J = 0 where r = 0" in plain.out
    assert run_cli([*base, "-f", "pretty"]).code == 0
    assert run_cli([*base, "-f", "latex"]).out.strip()
    obj = json.loads(run_cli([*base, "-f", "json"]).out)
    assert obj["rank"] == 2 and obj["rank_at"] == 2 and obj["locally_invertible"] is True
    assert obj["rank_drops"]["solutions"] == ["r = 0"]
    both = run_cli(["jac", "x, y", "--rank", "--inverse"])
    assert both.code == 2 and "cannot be combined" in both.err
    with pytest.raises(InputError, match="cannot be combined"):
        api.jac(["x, y"], rank=True, inverse=True)
