"""The calculus commands on the command line: every command in every format, and errors.

Golden files under tests/golden/ hold the exact LaTeX, JSON and plain output; set
``JACOBI_UPDATE_GOLDEN=1`` to rewrite them after a deliberate change (then read the diff).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy

from conftest import GOLDEN, pretty_matrices, run_cli
from jacobi.lang.parse import parse_expression

UPDATE = os.environ.get("JACOBI_UPDATE_GOLDEN") == "1"

ARM = "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)"

# name -> arguments; each runs in every format.
CASES: dict[str, list[str]] = {
    "det_seed001": ["det", "x+y, x*y", "--at", "-1,2"],
    "det_polar_singular": ["det", "r*cos(t), r*sin(t)", "--singular"],
    "det_arm_singular": ["det", ARM, "--vars", "a,b", "--singular"],
    "det_sphere_volume": [
        "det",
        "sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)",
        "--vars",
        "theta,phi",
        "--volume",
        "--at",
        "pi/2,0",
    ],
    "chain_510": ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
    "chain_seed001_at": ["chain", "u*v", "x+y, x*y", "--at", "-1,2"],
    "chain_layers": ["chain", "p^2 + q^2", "a*b, b*c", "x1 + x2, x2 + x3, x3 + x4"],
    "grad_norm": ["grad", "x1^2 + x2^2 + x3^2", "--at", "1,2,3"],
    "grad_column": ["grad", "x*y", "--layout", "denominator"],
    "hessian": ["hessian", "x^3 + x*y^2", "--at", "1,1"],
    "jvp_seed001": ["jvp", "x+y, x*y", "--vector", "1,2", "--at", "-1,2"],
    "vjp_seed001": ["vjp", "x+y, x*y", "--vector", "1,2", "--at", "-1,2"],
    "linearize": ["linearize", "x*y, x^2", "--at", "1,2"],
    "inverse_polar": ["jac", "--inverse", "r*cos(t), r*sin(t)", "--at", "2,pi/2"],
}
SUFFIX = {"plain": "plain", "latex": "tex", "json": "json"}


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["plain", "latex", "json"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, fmt: str) -> None:
    result = run_cli([*CASES[case], "--format", fmt])
    assert result.code == 0, result.err
    assert result.err == ""
    check_golden(f"{case}.{SUFFIX[fmt]}", result.out)


x, y, r, t, a, b, l1, l2, theta, phi = sympy.symbols("x y r t a b l1 l2 theta phi", real=True)
x1, x2, x3, x4 = sympy.symbols("x1:5", real=True)
D = [f"∂/∂{v}" for v in ("x", "y")]  # the column labels of d/dx, d/dy
_E = sympy.exp(t**3 * sympy.sin(t) ** 2 * sympy.cos(t))
_U, _V, _W = x1 + x2, x2 + x3, x3 + x4  # f3(f2(f1(x))) = U^2 V^2 + V^2 W^2

# case -> (first line: the input read back; the first matrix drawn: its title, column labels,
# row labels, and its entries derived by hand).
PRETTY: dict[str, tuple[str, str | None, list[str], list[str], list[list[sympy.Expr | int]]]] = {
    "det_seed001": ("f(x, y) = [x + y, x*y]", "Jacobian", D, ["f1", "f2"], [[1, 1], [y, x]]),
    "det_polar_singular": (
        "f(r, t) = [r*cos(t), r*sin(t)]",
        "Jacobian",
        ["∂/∂r", "∂/∂t"],
        ["f1", "f2"],
        [[sympy.cos(t), -r * sympy.sin(t)], [sympy.sin(t), r * sympy.cos(t)]],
    ),
    "det_arm_singular": (
        "f(a, b) = [l1*cos(a) + l2*cos(a + b), l1*sin(a) + l2*sin(a + b)]",
        "Jacobian",
        ["∂/∂a", "∂/∂b"],
        ["f1", "f2"],
        [
            [-l1 * sympy.sin(a) - l2 * sympy.sin(a + b), -l2 * sympy.sin(a + b)],
            [l1 * sympy.cos(a) + l2 * sympy.cos(a + b), l2 * sympy.cos(a + b)],
        ],
    ),
    "det_sphere_volume": (
        "f(theta, phi) = [sin(theta)*cos(phi), sin(phi)*sin(theta), cos(theta)]",
        "Jacobian",
        ["∂/∂theta", "∂/∂phi"],
        ["f1", "f2", "f3"],
        [
            [sympy.cos(theta) * sympy.cos(phi), -sympy.sin(theta) * sympy.sin(phi)],
            [sympy.cos(theta) * sympy.sin(phi), sympy.sin(theta) * sympy.cos(phi)],
            [-sympy.sin(theta), 0],
        ],
    ),
    # d/dt exp(t^3 sin^2 t cos t), by the product rule
    "chain_510": (
        "g(x1, x2) = exp(x1*x2**2)",
        None,
        ["∂/∂t"],
        ["g"],
        [
            [
                _E
                * (
                    3 * t**2 * sympy.sin(t) ** 2 * sympy.cos(t)
                    + 2 * t**3 * sympy.sin(t) * sympy.cos(t) ** 2
                    - t**3 * sympy.sin(t) ** 3
                )
            ]
        ],
    ),
    "chain_seed001_at": ("g(u, v) = u*v", None, D, ["g"], [[2 * x * y + y**2, x**2 + 2 * x * y]]),
    "chain_layers": (
        "f3(p, q) = p**2 + q**2",
        None,
        ["∂/∂x1", "∂/∂x2", "∂/∂x3", "∂/∂x4"],
        ["f3"],
        [
            [
                2 * _U * _V**2,
                2 * _U * _V**2 + 2 * _U**2 * _V + 2 * _V * _W**2,
                2 * _U**2 * _V + 2 * _V * _W**2 + 2 * _V**2 * _W,
                2 * _V**2 * _W,
            ]
        ],
    ),
    "grad_norm": (
        "f(x1, x2, x3) = x1**2 + x2**2 + x3**2",
        None,
        ["∂/∂x1", "∂/∂x2", "∂/∂x3"],
        ["f"],
        [[2 * x1, 2 * x2, 2 * x3]],
    ),
    "grad_column": ("f(x, y) = x*y", None, ["f"], D, [[y], [x]]),
    "hessian": ("f(x, y) = x**3 + x*y**2", None, D, D, [[6 * x, 2 * y], [2 * y, 2 * x]]),
    "jvp_seed001": ("f(x, y) = [x + y, x*y]", None, ["J v"], ["f1", "f2"], [[3], [2 * x + y]]),
    "vjp_seed001": ("f(x, y) = [x + y, x*y]", None, D, ["wᵀ J"], [[1 + 2 * y, 1 + 2 * x]]),
    # f(1, 2) + J(1, 2) (x - 1, y - 2), with f(1, 2) = (2, 1) and J(1, 2) = [[2, 1], [2, 0]]
    "linearize": (
        "f(x, y) = [x*y, x**2]",
        None,
        ["f(x0) + J(x0)(x - x0)"],
        ["f1", "f2"],
        [[2 * x + y - 2], [2 * x - 1]],
    ),
    # the inverse of [[cos t, -r sin t], [sin t, r cos t]], whose determinant is r
    "inverse_polar": (
        "f(r, t) = [r*cos(t), r*sin(t)]",
        None,
        ["∂/∂f1", "∂/∂f2"],
        ["r", "t"],
        [[sympy.cos(t), sympy.sin(t)], [-sympy.sin(t) / r, sympy.cos(t) / r]],
    ),
}


def same(printed: str, expected: sympy.Expr | int) -> bool:
    """Whether the pretty-printed entry ``printed`` reads back as ``expected``."""
    difference = parse_expression(printed) - expected
    return sympy.expand(difference) == 0 or sympy.simplify(difference) == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_pretty(case: str) -> None:
    first_line, title, columns, rows, entries = PRETTY[case]
    result = run_cli([*CASES[case], "--format", "pretty"])
    assert result.code == 0, result.err
    assert result.err == ""
    assert "\x1b[" not in result.out  # no colour when not on a terminal
    assert result.out.splitlines()[0] == first_line
    drawn = pretty_matrices(result.out)[0]
    assert (drawn.title, drawn.columns, drawn.rows) == (title, columns, rows)
    assert [len(row) for row in drawn.cells] == [len(row) for row in entries]
    for got_row, want_row in zip(drawn.cells, entries, strict=True):
        for got, want in zip(got_row, want_row, strict=True):
            assert same(got, want), (got, want)


@pytest.mark.parametrize(
    ("case", "fragments"),
    [
        ("det_seed001", ["det J = x - y", "det J(-1, 2) = -3", "reversed"]),
        ("chain_510", ["J_g(h(t))", "1×2", "J_h(t)", "2×1", "verified"]),
        ("grad_norm", ["gradient 1×3", "∂/∂x1", "2·x1"]),
        ("inverse_polar", ["J⁻¹", "∂/∂f1", "-1/2"]),
    ],
)
def test_pretty_fragments(case: str, fragments: list[str]) -> None:
    out = run_cli([*CASES[case], "--format", "pretty"]).out
    for fragment in fragments:
        assert fragment in out


def test_det_json_keys() -> None:
    data = json.loads(run_cli([*CASES["det_seed001"], "-f", "json"]).out)
    assert data["command"] == "det"
    assert data["result"] == [["x - y"]]
    assert data["value"] == [["-3"]]
    assert data["numeric"] == [[-3.0]]
    assert data["volume_scale"] == "3"
    assert data["orientation"] == "reversed"
    assert data["jacobian"] == [["1", "1"], ["y", "x"]]
    assert data["latex"] == "x - y"


def test_chain_json_keys() -> None:
    data = json.loads(run_cli([*CASES["chain_layers"], "-f", "json"]).out)
    assert data["shape"] == [1, 4]
    assert [layer["shape"] for layer in data["layers"]] == [[1, 2], [2, 3], [3, 4]]
    assert data["verdict"] == "right"
    assert data["costs"] == {
        "forward": 32,
        "reverse": 18,
        "best": 18,
        "best_order": "(J_f3 J_f2) J_f1",
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["det", "x, y, x*y"],
            2,
            "det needs a square Jacobian, but f has 3 components and 2 variables",
        ),
        (["det", "x + y + z"], 2, "fewer components than variables"),
        (["det", "x + y", "--volume"], 2, "at least as many components as variables"),
        (["grad", "x+y, x*y"], 2, "use 'jacobi jac'"),
        (["jvp", "x+y, x*y", "--vector", "1,2,3"], 2, "the vector v has 3 entries but needs 2"),
        (["vjp", "x+y, x*y, x", "--vector", "1,2"], 2, "the vector w has 2 entries but needs 3"),
        (["jvp", "x+y"], 2, "Missing option '--vector'"),
        (["chain", "u*v", "x, y, z"], 2, "g takes 2 variables (u, v; J_g is 1×2) but h gives 3"),
        (["chain", "u*v"], 2, "chain needs at least two functions"),
        (["chain", "u*v", "x, y", "--outer-vars", "u,v", "--outer-vars", "p"], 2, "--outer-vars"),
        (["linearize", "x*y"], 2, "linearize needs the point"),
        (["jac", "--inverse", "x+y, x*y", "--at", "1,1"], 3, "J is singular at x = 1, y = 1"),
        (["jac", "--inverse", "x+y, 2x+2y"], 2, "det J = 0 everywhere"),
        (["jac", "--inverse", "x, y, x*y"], 2, "the inverse Jacobian needs a square Jacobian"),
        (["det", "x+y, x*y", "--at", "1"], 2, "--at has 1 value but there are 2 variables"),
        (["linearize", "log(x)", "--at", "0"], 3, "log"),
    ],
)
def test_errors(args: list[str], code: int, message: str) -> None:
    result = run_cli(args)
    assert result.code == code
    assert result.out == ""
    assert result.err.startswith("jacobi: error: ")
    assert message in result.err
    assert "Traceback" not in result.err


def test_large_hessian_lists_non_zero_entries() -> None:
    # f = sum x_i x_(i+1): the Hessian is 30×30 with 58 non-zero entries (all 1).
    text = " + ".join(f"x{i}*x{i + 1}" for i in range(1, 30))
    out = run_cli(["hessian", text, "-f", "plain"]).out
    assert "30x30 matrix, 58 non-zero entries of 900 (6.44%); all others are 0" in out
    assert "  [1, 2] d/dx1 d/dx2: 1" in out


def test_sparse_jvp_of_a_large_system() -> None:
    # Bratu-type system, n = 120: J v for v = (1, ..., 1) touches 3 entries per row.
    n = 120
    comps = [f"u{i - 1} - 2*u{i} + u{i + 1} + exp(u{i})/{n**2}" for i in range(2, n)]
    text = ", ".join(["u1", *comps, f"u{n}"])
    ones = ",".join(["1"] * n)
    data = json.loads(run_cli(["jvp", text, "--vector", ones, "-f", "json"]).out)
    assert data["shape"] == [n, 1]
    assert data["result"][0] == ["1"] and data["result"][5] == [f"exp(u6)/{n**2}"]


@pytest.mark.parametrize("case", ["det_seed001", "chain_510", "det_sphere_volume"])
def test_standalone_latex_compiles(case: str, latex_pdf: Callable[[str], Path]) -> None:
    result = run_cli([*CASES[case], "--format", "latex", "--standalone"])
    assert result.code == 0, result.err
    latex_pdf(result.out)
