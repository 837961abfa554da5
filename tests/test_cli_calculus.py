"""The calculus commands on the command line: every command in every format, and errors.

Golden files under tests/golden/ hold the exact LaTeX, JSON and plain output; set
``JACOBI_UPDATE_GOLDEN=1`` to rewrite them after a deliberate change (then read the diff).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import GOLDEN, run_cli

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


@pytest.mark.parametrize("case", sorted(CASES))
def test_pretty(case: str) -> None:
    result = run_cli([*CASES[case], "--format", "pretty"])
    assert result.code == 0, result.err
    assert result.err == ""
    assert "\x1b[" not in result.out  # no colour when not on a terminal
    assert result.out.split("\n")[0].split("(")[0] in ("f", "g", "f3")


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
    assert data["verified"] is True
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
        (["hessian", "x, y"], 2, "the Hessian needs a scalar function"),
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
def test_standalone_latex_compiles(case: str, tmp_path: object) -> None:
    if shutil.which("pdflatex") is None:
        if os.environ.get("JACOBI_REQUIRE_PDFLATEX") == "1":
            pytest.fail("pdflatex is required here")
        pytest.skip("pdflatex is not installed")
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    result = run_cli([*CASES[case], "--format", "latex", "--standalone"])
    assert result.code == 0
    (tmp_path / "doc.tex").write_text(result.out, encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout[-2000:]
