"""``jacobi mjac``: the seeds' matrix examples in every format, and its errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import product
from pathlib import Path

import pytest

from conftest import GOLDEN, run_cli

WX = ["mjac", "W x", "--vector", "x:3", "--matrix", "W:2x3"]
RTR = ["mjac", "K = R^T R", "--matrix", "R:3x2"]
LSQ = ["mjac", "L = ||y - Φ θ||^2", "--vector", "θ:2,y:4", "--matrix", "Φ:4x2", "--wrt", "θ"]
XBX = ["mjac", "x^T B x", "--vector", "x:3", "--matrix", "B:3x3"]
AXB = ["mjac", "a^T X b", "--vector", "a:2,b:3", "--matrix", "X:2x3", "--wrt", "X"]


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (WX, "mjac_wx.plain"),
        ([*WX, "-f", "plain"], "mjac_wx.plain"),
        (RTR, "mjac_rtr.plain"),
        ([*RTR, "-f", "json"], "mjac_rtr.json"),
        ([*RTR, "-f", "latex"], "mjac_rtr.tex"),
        ([*LSQ, "-f", "json"], "mjac_lsq.json"),
        ([*XBX, "-f", "latex"], "mjac_xbx.tex"),
        ([*XBX, "-f", "latex", "--layout", "denominator"], "mjac_xbx_denominator.tex"),
        (AXB, "mjac_axb.plain"),
    ],
)
def test_golden(args: list[str], golden: str) -> None:
    result = run_cli(args)
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out == (GOLDEN / golden).read_text(encoding="utf-8")


def test_header_shows_the_component_naming() -> None:
    out = run_cli(WX).out.splitlines()
    assert out[:6] == [
        "f = W x",
        "x: 3x1 vector [x1, x2, x3]",
        "W: 2x3 matrix [W11, W12, W13; W21, W22, W23]",
        "df/dx: 2x3 Jacobian, numerator layout",
        "compact: W",
        "",
    ]


def formula_5_98(p: int, q: int, i: int, j: int) -> str:
    """Seed 003 (5.98), as jacobi prints the entry (R_iq is R{i}{q}, 1-based)."""
    if j == p and p != q:
        return f"R{i + 1}{q + 1}"
    if j == q and p != q:
        return f"R{i + 1}{p + 1}"
    if j == p and p == q:
        return f"2*R{i + 1}{q + 1}"
    return "0"


def test_json_carries_tensor_and_flattened() -> None:
    data = json.loads(run_cli([*RTR, "-f", "json"]).out)
    assert data["command"] == "mjac"
    assert data["tensor_shape"] == [2, 2, 3, 2]
    for p, q, i, j in product(range(2), range(2), range(3), range(2)):
        assert data["tensor"][p][q][i][j] == formula_5_98(p, q, i, j)
    assert data["flattened_shape"] == [4, 6]
    assert data["flattened_rows"] == ["K11", "K21", "K12", "K22"]
    assert data["flattened_columns"] == ["d/dR11", "d/dR21", "d/dR31", "d/dR12", "d/dR22", "d/dR32"]
    assert data["shape"] == [4, 6]
    assert data["result"] == data["flattened"] == data["components"]
    assert data["variables"] == ["R11", "R21", "R31", "R12", "R22", "R32"]
    assert data["symbols"]["R"]["components"] == [["R11", "R12"], ["R21", "R22"], ["R31", "R32"]]
    assert data["compact"]["text"].startswith("kron(")


def test_json_least_squares() -> None:
    data = json.loads(run_cli([*LSQ, "-f", "json"]).out)
    assert data["compact"] == {
        "text": "-2 (y - Phi theta)^T Phi",
        "latex": r"-2 \left(\mathbf{y} - \boldsymbol{\Phi} \boldsymbol{\theta}\right)^\top "
        r"\boldsymbol{\Phi}",
        "notes": [],
    }
    assert data["shape"] == [1, 2]
    assert data["layout"] == "numerator"
    assert data["wrt"] == "theta"
    assert "tensor" not in data  # only when a matrix is the variable or the value


def test_json_gradient_by_a_matrix() -> None:
    data = json.loads(run_cli([*AXB, "-f", "json"]).out)
    assert data["kind"] == "gradient"
    assert data["result"] == [[f"a{k}*b{m}" for m in (1, 2, 3)] for k in (1, 2)]
    assert data["compact"]["text"] == "a b^T"
    assert data["flattened_shape"] == [1, 6]
    assert data["tensor_shape"] == [2, 3]


def test_pretty_output() -> None:
    result = run_cli([*WX, "-f", "pretty"])
    assert result.code == 0
    for fragment in ("f = W x", "2×3 Jacobian", "compact: W", "∂/∂x1", "⎡", "⎦", "W11"):
        assert fragment in result.out
    assert "\x1b[" not in result.out


def test_layout_denominator() -> None:
    data = json.loads(run_cli([*WX, "--layout", "denominator", "-f", "json"]).out)
    assert data["shape"] == [3, 2]
    assert data["compact"]["text"] == "W^T"
    assert data["rows"] == ["d/dx1", "d/dx2", "d/dx3"]


# (args, exit code, stderr)
ERRORS = [
    (
        ["mjac", "W y", "--vector", "y:2", "--matrix", "W:2x3"],
        2,
        "jacobi: error: cannot multiply W (2×3) by y (2×1) (W has 3 columns but y has 2 rows)\n"
        "  W y\n"
        "    ^\n",
    ),
    (
        ["mjac", "x + W x", "--vector", "x:3", "--matrix", "W:2x3"],
        2,
        "jacobi: error: cannot add x (3×1) and W x (2×1)\n  x + W x\n    ^\n",
    ),
    (
        ["mjac", "x^T y", "--vector", "x:2,y:2"],
        2,
        "jacobi: error: say which symbol to differentiate by, e.g. --wrt x (declared: x, y)\n",
    ),
    (
        ["mjac", "x^T x", "--vector", "x"],
        2,
        "jacobi: error: --vector expects NAME:SIZE, got 'x' (e.g. --vector x:3)\n",
    ),
    (
        ["mjac", "x^T x", "--vector", "x:2", "--wrt", "z"],
        2,
        "jacobi: error: --wrt z: no such symbol "
        "(declared: x; declare it with --vector or --matrix)\n",
    ),
    (
        ["mjac", "K = R^T R", "--matrix", "R:100x100"],
        4,
        "jacobi: error: the derivative would have 100,000,000 entries (limit 200,000) "
        "(use smaller sizes: the identities are the same at every size)\n",
    ),
    (
        ["jac", "W x", "--vector", "x:3"],
        2,
        "jacobi: error: No such option '--vector'. "
        "(vectors and matrices belong to 'jacobi mjac': see 'jacobi mjac --help')\n",
    ),
]


@pytest.mark.parametrize(("args", "code", "err"), ERRORS, ids=[" ".join(e[0])[:40] for e in ERRORS])
def test_errors(args: list[str], code: int, err: str) -> None:
    result = run_cli(args)
    assert result.code == code
    assert result.out == ""
    assert result.err == err


def test_hostile_matrix_expression_is_refused() -> None:
    marker = Path("/tmp/jacobi-pwned")
    marker.unlink(missing_ok=True)
    for text in ["__import__('os').system('touch /tmp/jacobi-pwned')", "x.__class__", "(" * 5000]:
        result = run_cli(["mjac", text, "--vector", "x:2"])
        assert result.code in (2, 4)
        assert "Traceback" not in result.err
    assert not marker.exists()


@pytest.mark.parametrize(
    "args",
    [
        RTR,
        LSQ,
        ["mjac", "sigmoid(W x + b)", "--vector", "x:2,b:2", "--matrix", "W:2x2", "--wrt", "x"],
        AXB,
    ],
    ids=["rtr", "lsq", "sigmoid", "axb"],
)
def test_standalone_latex_compiles(args: list[str], latex_pdf: Callable[[str], Path]) -> None:
    result = run_cli([*args, "--format", "latex", "--standalone"])
    assert result.code == 0, result.err
    latex_pdf(result.out)
