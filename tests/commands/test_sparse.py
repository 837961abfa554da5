"""``jac --sparse`` (COO) and ``jac --sparsity`` (the pattern), issue 14 item 8 and issue 13.

The entries are checked against SymPy's own Jacobian of expressions built directly as
trees; patterns and bandwidths against hand-derived ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy

from jacobi.lang.parse import parse_expression
from jacobi.math.sparse import build, coarse, pattern
from tests.conftest import compile_latex, run_cli

U = sympy.symbols("u1:51", real=True)
H = sympy.Symbol("h", real=True)


def _bratu_tree(n: int) -> list[sympy.Expr]:
    """u_(i-1) - 2 u_i + u_(i+1) + h exp(u_i), u_0 = u_(n+1) = 0, built as SymPy trees."""
    u = [sympy.Integer(0), *U[:n], sympy.Integer(0)]
    return [u[i - 1] - 2 * u[i] + u[i + 1] + H * sympy.exp(u[i]) for i in range(1, n + 1)]


def _bratu_text(n: int) -> str:
    terms = []
    for i in range(1, n + 1):
        left = f"u{i - 1} " if i > 1 else ""
        right = f" + u{i + 1}" if i < n else ""
        terms.append(f"{left}{'- ' if left else '-'}2*u{i}{right} + h*exp(u{i})")
    return ", ".join(terms)


def _names(n: int) -> str:
    return ",".join(f"u{i}" for i in range(1, n + 1))


def test_coo_holds_exactly_the_non_zero_entries_of_the_jacobian() -> None:
    n = 50
    out = run_cli(["jac", _bratu_text(n), "--vars", _names(n), "--sparse", "-f", "json"])
    assert out.code == 0, out.err
    obj = json.loads(out.out)
    assert "result" not in obj  # no dense matrix of 2,500 strings
    J = sympy.Matrix(_bratu_tree(n)).jacobian(sympy.Matrix(U[:n]))
    expected = {(i, j): J[i, j] for i in range(n) for j in range(n) if J[i, j] != 0}
    coo = obj["coo"]
    got = {(i, j): e for i, j, e in zip(coo["rows"], coo["cols"], coo["entries"], strict=True)}
    assert obj["nnz"] == len(expected) == 3 * n - 2
    assert set(got) == set(expected)
    for key, text in got.items():
        assert sympy.simplify(parse_expression(text) - expected[key]) == 0, key
    assert [(i, j) for i, j in zip(coo["rows"], coo["cols"], strict=True)] == sorted(got)


def test_coo_at_a_point_gives_the_values_and_their_floats() -> None:
    out = run_cli(["jac", "x*y, y + z, z^2", "--sparse", "--at", "1,2,3/2", "-f", "json"])
    obj = json.loads(out.out)
    # Hand-derived: J = [[y, x, 0], [0, 1, 1], [0, 0, 2z]].
    assert obj["coo"] == {
        "rows": [0, 0, 1, 1, 2],
        "cols": [0, 1, 1, 2, 2],
        "entries": ["y", "x", "1", "1", "2*z"],
    }
    assert obj["coo_at"]["entries"] == ["2", "1", "1", "1", "3"]
    assert obj["coo_at"]["numeric"] == [2.0, 1.0, 1.0, 1.0, 3.0]
    assert "value" not in obj and "numeric" not in obj


def test_text_lists_the_entries_whatever_the_size() -> None:
    out = run_cli(["jac", "x*y, y + z, z^2", "--sparse", "-f", "plain"])
    assert out.code == 0
    assert "3x3 matrix, 5 non-zero entries of 9 (55.56%); all others are 0" in out.out
    assert "  [3, 3] f3 d/dz: 2*z" in out.out
    assert "[2, 1]" not in out.out  # a zero is not listed


def test_the_pattern_of_a_small_jacobian_is_drawn_with_its_labels() -> None:
    out = run_cli(["jac", "x1^2 - x2, x2^2 - x3, x3^2", "--sparsity", "-f", "plain"])
    assert out.code == 0, out.err
    assert out.out.endswith(
        "5 non-zero entries of 9 (55.56%); bandwidth: lower 0, upper 1\n"
        "\n"
        "      d/dx1  d/dx2  d/dx3\n"
        "f1  [ *      *      .     ]\n"
        "f2  [ .      *      *     ]\n"
        "f3  [ .      .      *     ]\n"
    )


def test_the_pattern_as_json_has_indices_nnz_density_and_bandwidths() -> None:
    out = run_cli(["jac", "x1^2 - x2, x2^2 - x3, x3^2", "--sparsity", "-f", "json"])
    obj = json.loads(out.out)
    assert obj["coo"] == {"rows": [0, 0, 1, 1, 2], "cols": [0, 1, 1, 2, 2]}
    assert (obj["nnz"], obj["density"], obj["bandwidth"]) == (5, 5 / 9, {"lower": 0, "upper": 1})
    assert "result" not in obj


def test_a_large_pattern_is_drawn_in_blocks() -> None:
    n = 50
    out = run_cli(["jac", _bratu_text(n), "--vars", _names(n), "--sparsity", "-f", "plain"])
    lines = out.out.splitlines()
    assert "148 non-zero entries of 2500 (5.92%); bandwidth: lower 1, upper 1" in lines
    start = lines.index(
        "each character is a block of 2x1 entries (rows x columns): * holds a non-zero entry, "
        ". none"
    )
    picture = lines[start + 2 : -1]
    assert len(picture) == 25 and all(len(row) == 52 for row in picture)
    # Rows 2k, 2k+1 of a tridiagonal matrix touch columns 2k-1 .. 2k+2.
    for k, row in enumerate(picture):
        cells = row[1:-1]
        marked = [j for j, c in enumerate(cells) if c == "*"]
        assert marked == [j for j in range(2 * k - 1, 2 * k + 3) if 0 <= j < n], k


@pytest.mark.parametrize("extra", [["--at", "1,2"], ["--inverse"], ["--rank"], ["--sparse"]])
def test_sparsity_alone(extra: list[str]) -> None:
    out = run_cli(["jac", "x+y, x*y", "--sparsity", *extra])
    assert out.code == 2
    assert f"--sparsity shows the pattern of J alone, not with {extra[0]}" in out.err


def test_coarse_counts_every_non_zero_once() -> None:
    keys = {(i, (7 * i) % 23): 1 for i in range(40)}
    p = pattern(build(40, 23, keys))
    height, width, counts = coarse(p, 6, 5)
    assert (height, width) == (7, 5)
    assert sum(map(sum, counts)) == p.nnz == 40
    for i, j in keys:
        assert counts[i // height][j // width] > 0


@pytest.mark.parametrize(
    "args",
    [
        ["jac", "x*y, y + z, z^2", "--sparse", "--at", "1,2,3"],
        ["jac", "x1^2 - x2, x2^2 - x3, x3^2", "--sparsity"],
        ["jac", _bratu_text(50), "--vars", _names(50), "--sparsity"],
    ],
)
def test_the_latex_compiles(args: list[str], tmp_path: Path) -> None:
    out = run_cli([*args, "-f", "latex", "--standalone"])
    assert out.code == 0, out.err
    compile_latex(out.out, tmp_path)


def test_steps_and_sparsity_are_asked_for_one_at_a_time() -> None:
    out = run_cli(["jac", "x*y, y + z", "--steps", "--sparsity"])
    assert out.code == 2
    assert "--sparsity only where they are not 0 (ask for one, then the other)" in out.err
