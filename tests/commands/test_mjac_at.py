"""``jacobi mjac``: --at, matrices of numbers and a symmetric variable, in every format and
from Python. Expected values are worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import compile_latex, run_cli
from jacobi.commands import api

# Matrix Cookbook (142): d tr(A X)/dX = A + A^T - A .* I for symmetric X; with
# A = [[1, 2], [4, 7]] that is [[1, 2 + 4], [4 + 2, 7]] = [[1, 6], [6, 7]].
TRAX = [
    "mjac",
    "tr(A X)",
    "--matrix",
    "A:2x2",
    "--symmetric",
    "X:2",
    "--wrt",
    "X",
    "--at",
    "A=[[1, 2], [4, 7]], X=[[1, 1/2], [1/2, 3]]",
]

PLAIN = """\
f = tr(A X)
A: 2x2 matrix [A11, A12; A21, A22]
X: 2x2 symmetric matrix [X11, X12; X12, X22]
df/dX: 2x2, entry (i, j) = df/dX_ij, numerator layout
X is symmetric: X_ij and X_ji are one variable, so this is G + G^T - G .* I for the gradient G \
by a general X (Matrix Cookbook 2.8.2)
compact: A + A^T - A .* I

       j=1        j=2
i=1  [ A11        A12 + A21 ]
i=2  [ A12 + A21  A22       ]

at A = [[1, 2], [4, 7]], X = [[1, 1/2], [1/2, 3]]:

       j=1  j=2
i=1  [   1    6 ]
i=2  [   6    7 ]

flattened df/d vec(X) (vec stacks columns):

     d/dX11  d/dX21     d/dX12     d/dX22
f  [ A11     A12 + A21  A12 + A21  A22    ]
"""


def test_plain_text() -> None:
    result = run_cli([*TRAX, "-f", "plain"])
    assert (result.code, result.err) == (0, "")
    assert result.out == PLAIN


def test_json_latex_and_pretty() -> None:
    out = json.loads(run_cli([*TRAX, "-f", "json"]).out)
    assert out["value"] == [["1", "6"], ["6", "7"]]
    assert out["numeric"] == [[1.0, 6.0], [6.0, 7.0]]
    assert out["at"] == {
        "A11": "1", "A12": "2", "A21": "4", "A22": "7", "X11": "1", "X12": "1/2", "X22": "3"
    }  # fmt: skip
    assert out["at_symbols"] == {"A": [["1", "2"], ["4", "7"]], "X": [["1", "1/2"], ["1/2", "3"]]}
    assert out["compact"]["text"] == "A + A^T - A .* I"
    assert out["symbols"]["X"]["kind"] == "symmetric matrix"
    latex = run_cli([*TRAX, "-f", "latex"]).out
    assert latex.startswith(r"\begin{aligned} \frac{\partial f}{\partial \mathbf{X}} &= \mathbf{A}")
    assert latex.rstrip().endswith(r"&= \begin{bmatrix} 1 & 6 \\ 6 & 7 \end{bmatrix} \end{aligned}")
    pretty = run_cli([*TRAX, "-f", "pretty"]).out
    assert "at A = [[1, 2], [4, 7]], X = [[1, 1/2], [1/2, 3]]" in pretty
    assert "compact: A + A^T - A .* I" in pretty


def test_python_api_and_literals() -> None:
    # d(L x)/dx = L for the literal L; at any x it is L itself.
    r = api.mjac("[[1, 2], [4, 7]] x", vectors=["x:2"], at="x=[pi, -1]")
    assert r.data["compact"]["text"] == "[[1, 2], [4, 7]]"
    assert r.value is not None and r.value.tolist() == [[1, 2], [4, 7]]
    # d(x^T x)/dx = 2 x^T = [2/3, 2 sqrt(2)] at x = (1/3, sqrt(2)).
    r = api.mjac("x^T x", vectors=["x:2"], at="[1/3, sqrt(2)]")
    assert [str(v) for v in r.value] == ["2/3", "2*sqrt(2)"]  # type: ignore[union-attr]
    assert r.blocks[1].floats == (("0.666666666667", "2.82842712475"),)


def test_errors_are_one_line_with_a_caret_and_exit_codes() -> None:
    bad = run_cli(["mjac", "x^T W x", "--vector", "x:2", "--matrix", "W:2x2", "--at",
                   "x=[1, 2], W=[[1, 2], [3]]"])  # fmt: skip
    assert bad.code == 2
    assert bad.err == (
        "jacobi: error: row 2 of the matrix has 1 entry but row 1 has 2 "
        "(every row of a matrix has the same length)\n"
        "  x=[1, 2], W=[[1, 2], [3]]\n"
        "                       ^\n"
    )
    undefined = run_cli(["mjac", "log(det(X))", "--symmetric", "X:2", "--at", "X=[[1, 2], [2, 1]]"])
    assert undefined.code == 3 and "log of a negative number" in undefined.err
    stray = run_cli(["mjac", "[[1, 2], [4]] X", "--matrix", "X:2x2"])
    assert stray.code == 2 and "row 2 of the matrix has 1 entry" in stray.err


def test_latex_names_the_point_by_symbol_and_compiles(tmp_path: Path) -> None:
    """The subscript gives x and W as a paper does, not their six components in a row."""
    args = ["mjac", "x^T W x", "--vector", "x:2", "--matrix", "W:2x2",
            "--at", "x=[1,-1/2], W=[[1,2],[3,4]]", "-f", "latex"]  # fmt: skip
    out = run_cli(args).out
    where = (
        r"\right|_{\mathbf{x} = (1, - \frac{1}{2})^\top, "
        r"\mathbf{W} = \left[\begin{smallmatrix}1 & 2 \\ 3 & 4\end{smallmatrix}\right]}"
    )
    assert where in out
    assert "x_{1}, x_{2}, W_{11}" not in out
    # Hand-derived: ∂(xᵀWx)/∂x = xᵀ(W + Wᵀ) = (1, -1/2) [[2, 5], [5, 8]] = (-1/2, 1).
    assert out.rstrip().endswith(
        r"&= \begin{bmatrix} - \frac{1}{2} & 1 \end{bmatrix} \end{aligned}"
    )
    compile_latex(run_cli([*args, "--standalone"]).out, tmp_path)
