"""``--no-lhs``: LaTeX without the left-hand side, as before left-hand sides were written."""

from __future__ import annotations

import json

from conftest import run_cli


def test_no_lhs_is_the_bare_result() -> None:
    bare = json.loads(run_cli(["jac", "r*cos(t), r*sin(t)", "-f", "json"]).out)["latex"]
    result = run_cli(["jac", "r*cos(t), r*sin(t)", "-f", "latex", "--no-lhs"])
    assert result.code == 0 and result.out == bare + "\n"
    with_lhs = run_cli(["jac", "r*cos(t), r*sin(t)", "-f", "latex"]).out
    assert with_lhs.startswith("J_f(r, t) = ") and bare in with_lhs


def test_no_lhs_at_a_point_keeps_the_evaluation_bar() -> None:
    out = run_cli(["det", "x+y, x*y", "--at", "-1,2", "-f", "latex", "--no-lhs"]).out
    assert out == "\\left. x - y \\right|_{(x, y) = (-1, 2)} = -3\n"


def test_no_lhs_needs_latex() -> None:
    result = run_cli(["det", "x+y, x*y", "--no-lhs"])
    assert result.code == 2 and result.err == "jacobi: error: --no-lhs needs --format latex\n"
