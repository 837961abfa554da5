"""``--steps`` and ``--entry`` from the command line (issue 12), in every format.

The JSON lines are read back with jacobi's own parser and checked independently: each
line's unevaluated derivatives are replaced by SymPy's ``diff`` of them, and every line
must equal the first at random rational points; the last line (before a substitution)
must equal the result's entry, and a substitution line the result's value at the point.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from typing import Any

import pytest
import sympy

from conftest import ROOT, run_cli
from jacobi.lang.parse import parse_expression

#: The examples of the issue.
EXAMPLES = [
    ["jac", "x+y, x*y"],
    ["det", "r cos(t), r sin(t)"],
    ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
    ["grad", "x1^2 + x2^2 + x3^2"],
]
#: More commands and options, for the read-back check.
MORE = [
    ["jac", "sin(x y) + abs(x), x^x, atan2(y, x)", "--at", "1,2"],
    ["jac", "exp(x1*x2^2)/(1 + x1^2), log(x2, 3) - sqrt(x1)", "--at", "1,4"],
    ["hessian", "x^2 y + sin(x y)", "--at", "1,2"],
    ["hessian", "x1^2 x2, x2^3 x1"],
    ["jvp", "x+y, x*y^2", "--vector", "1,2", "--at", "-1,2"],
    ["vjp", "x+y, cos(x*y)", "--vector", "1,2"],
    ["linearize", "exp(x) y, x/y", "--at", "0,1"],
    ["jac", "x+y, x*y", "--entry", "1,1"],
    ["grad", "max(x, y^2) + relu(x - 1)", "--entry", "1"],
    ["jac", "a*x^2 + b*y", "--param", "a=2"],
    ["det", "x y z, x + y + z, x - y", "--at", "1,2,3"],
    ["det", "x, y^2 + x, z*x, w", "--entry", "2,1"],
    ["chain", "u*v, u+v", "x*y, x-y", "--at", "1,2"],
    ["chain", "sin(a)", "a^2 b", "x + y, x*y", "--entry", "1,2"],
]
FORMATS = ["plain", "pretty", "latex", "json"]


def _json(args: list[str]) -> dict[str, Any]:
    result = run_cli([*args, "--steps", "-f", "json"])
    assert result.code == 0, result.err
    obj: dict[str, Any] = json.loads(result.out)
    return obj


def _read(text: str, names: list[str]) -> sympy.Expr:
    return parse_expression(text, variables=names, keep_derivatives=True)


def _evaluated(e: sympy.Expr) -> sympy.Expr:
    """``e`` with each unevaluated derivative replaced by SymPy's own ``diff`` of it (the
    delta terms of kinks, 0 away from the kink, dropped)."""
    found = {d: d.doit() for d in e.atoms(sympy.Derivative)}
    return e.xreplace(found).replace(sympy.DiracDelta, lambda *a: sympy.S.Zero)


def _number(e: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> complex | None:
    value = sympy.N(e.xreplace(point), 30)
    if not value.is_number or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    return complex(value)


def _points(names: list[str], count: int, seed: int) -> list[dict[str, sympy.Rational]]:
    rng = random.Random(seed)
    return [
        {n: sympy.Rational(rng.randint(3, 37), rng.randint(5, 13)) for n in names}
        for _ in range(count)
    ]


def _close(a: complex, b: complex) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _check_lines(lines: list[dict[str, Any]], names: list[str]) -> list[sympy.Expr]:
    """Every line (before a substitution) equals the first at random points; a
    substitution line is the line before it at its point; every line's children hold too.
    Returns the lines read back."""
    exprs = [_read(line["expr"], names) for line in lines]
    rules = [line["rule"] for line in lines]
    if rules[0] == "derivative":
        assert exprs[0].has(sympy.Derivative), lines[0]  # the quantity derived
    upto = rules.index("substitute") if "substitute" in rules else len(rules)
    first = _evaluated(exprs[0])
    symbols = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    checked = 0
    for point in _points([s.name for s in symbols], 6, seed=len(lines)):
        values = {s: point[s.name] for s in symbols}
        want = _number(first, values)
        if want is None:
            continue
        for e in exprs[1:upto]:
            got = _number(_evaluated(e), values)
            assert got is not None and _close(got, want), (e, exprs[0], point)
        checked += 1
    assert checked >= 3 or not symbols
    if upto < len(rules):
        assert upto == len(rules) - 1  # the substitution is the last line
        at = {sympy.Symbol(n, real=True): _read(v, names) for n, v in lines[-1]["at"].items()}
        before = _evaluated(exprs[upto - 1]).xreplace(at)
        assert sympy.simplify(before - exprs[-1]) == 0, (before, exprs[-1])
    for line in lines:
        for child in line.get("children", []):
            _check_lines(child, names)
    return exprs


def _entry(obj: dict[str, Any], index: list[int]) -> str:
    """The result's entry ``index`` (component, variable) as a string: of the Jacobian for
    the products and the determinant (whose own derivation has no index)."""
    rows = obj["result"]
    if obj["command"] in ("jvp", "vjp") or (obj["command"] == "det" and index):
        rows = obj["jacobian"]
    if obj["command"] == "det" and not index:
        index = [0, 0]
    for k in index:
        rows = rows[k]
    assert isinstance(rows, str)
    return rows


@pytest.mark.parametrize("args", EXAMPLES + MORE, ids=" ".join)
def test_every_line_agrees_and_the_last_is_the_entry(args: list[str]) -> None:
    obj = _json(args)
    names = [*obj["variables"], *obj["parameters"]]
    assert obj["steps"], obj
    for entry in obj["steps"]:
        lines = entry["lines"]
        exprs = _check_lines(lines, names)
        rules = [line["rule"] for line in lines]
        index = entry["entry"]
        if obj["command"] == "linearize":
            result = _read(_jacobian_entry(args, index), names)
        else:
            result = _read(_entry(obj, index), names)
        last = exprs[rules.index("substitute") - 1] if "substitute" in rules else exprs[-1]
        assert sympy.simplify(last - result) == 0, (last, result)
        if "substitute" in rules:
            assert lines[-1]["at"] == obj["at"]


def _jacobian_entry(args: list[str], index: list[int]) -> str:
    """linearize shows J only at the point: J itself from ``jac`` on the same function."""
    obj = json.loads(run_cli(["jac", args[1], "-f", "json"]).out)
    text: str = obj["result"][index[0]][index[1]]
    return text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", EXAMPLES, ids=" ".join)
def test_the_issue_examples_in_every_format(args: list[str], fmt: str) -> None:
    result = run_cli([*args, "--steps", "-f", fmt])
    assert result.code == 0, result.err
    out = result.out
    if fmt == "json":
        obj = json.loads(out)
        assert [e["label"] for e in obj["steps"]] != []
    elif fmt == "latex":
        assert out.count(r"\begin{align*}") == out.count(r"\end{align*}") >= 2
        assert r"\text{" in out
    else:
        assert "steps" in out
        assert re.search(r"^\s+= .*variable rule", out, flags=re.M) or "power rule" in out


def test_jac_steps_plain_by_hand() -> None:
    """jac "x+y, x*y": every entry (there are at most 12), each rule named."""
    out = run_cli(["jac", "x+y, x*y", "--steps", "-f", "plain"]).out
    steps = out[out.index("steps:") :]
    assert steps == (
        "steps:\n\n"
        "df1/dx = diff(x + y, x)\n"
        "       = diff(x, x) + diff(y, x)   sum rule\n"
        "       = 1                         variable rule, 2 times\n\n"
        "df1/dy = diff(x + y, y)\n"
        "       = diff(x, y) + diff(y, y)   sum rule\n"
        "       = 1                         variable rule, 2 times\n\n"
        "df2/dx = diff(x*y, x)\n"
        "       = y*diff(x, x)   constant multiple rule\n"
        "       = y              variable rule\n\n"
        "df2/dy = diff(x*y, y)\n"
        "       = x*diff(y, y)   constant multiple rule\n"
        "       = x              variable rule\n"
    )


def test_grad_steps_name_the_power_rule() -> None:
    obj = _json(["grad", "x1^2 + x2^2 + x3^2"])
    assert [e["label"] for e in obj["steps"]] == ["df/dx1", "df/dx2", "df/dx3"]
    for k, entry in enumerate(obj["steps"], start=1):
        rules = [line["rule"] for line in entry["lines"]]
        assert rules[:2] == ["derivative", "sum rule"]
        assert sorted(rules[2:]) == ["constant", "power rule"]  # in the order of the terms
        assert entry["lines"][-1]["expr"] == f"2*x{k}"
        (constant,) = [line for line in entry["lines"] if line["rule"] == "constant"]
        assert constant["count"] == 2 and constant["words"] == "constant rule, 2 times"


def test_a_chain_rule_names_its_inner_function() -> None:
    obj = _json(["jac", "sin(x*y)", "--entry", "1,1"])
    (entry,) = obj["steps"]
    chain = next(line for line in entry["lines"] if line["rule"] == "chain rule")
    assert chain["inner"] == {"name": "u", "expr": "x*y"}
    assert chain["formula"] == ["diff(sin(u), u)", "cos(u)"]
    assert chain["words"] == "chain rule with u = x*y: d/du sin(u) = cos(u)"


def test_a_hessian_entry_is_the_derivative_of_a_gradient_entry() -> None:
    obj = _json(["hessian", "x^3 y", "--entry", "1,2"])
    (entry,) = obj["steps"]
    assert entry["label"] == "d^2f/dxdy" and entry["entry"] == [0, 1]
    first, second = entry["lines"][:2]
    assert first["expr"] == "diff(diff(x**3*y, x), y)"
    assert second["rule"] == "first derivative" and second["expr"] == "diff(3*x**2*y, y)"
    (child,) = second["children"]
    assert child[0]["expr"] == "diff(x**3*y, x)" and child[-1]["expr"] == "3*x**2*y"
    assert entry["lines"][-1]["expr"] == "3*x**2"


def test_det_steps_start_with_the_determinant_then_the_entries() -> None:
    obj = _json(["det", "r cos(t), r sin(t)"])
    first, *entries = obj["steps"]
    assert first["label"] == "det J" and first["entry"] == []
    assert [line["rule"] for line in first["lines"]] == ["2x2 determinant", "simplify"]
    assert first["lines"][-1]["expr"] == "r"  # polar coordinates: the area element r
    assert [e["label"] for e in entries] == ["df1/dr", "df1/dt", "df2/dr", "df2/dt"]


def test_a_3x3_determinant_is_expanded_along_the_line_with_most_zeros() -> None:
    obj = _json(["det", "x y z, x + y, z"])
    lines = obj["steps"][0]["lines"]
    assert lines[0]["rule"] == "cofactor expansion"
    assert "along row 3 (the most zeros)" in lines[0]["words"]
    assert lines[0]["children"]  # the minors, each with its own derivation


def test_a_chain_entry_is_a_sum_of_products_of_derivatives() -> None:
    obj = _json(["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"])
    (entry,) = obj["steps"]
    assert entry["label"] == "dg/dt" and entry["entry"] == [0, 0]
    first = entry["lines"][0]
    assert first["rule"] == "chain rule" and first["count"] == 2
    outer = [child[0]["expr"] for child in first["children"]]
    assert outer == [
        "diff(exp(x1*x2**2), x1)",
        "diff(exp(x1*x2**2), x2)",
        "diff(t*cos(t), t)",
        "diff(t*sin(t), t)",
    ]
    assert first["children"][0][-1]["at"] == {"x1": "t*cos(t)", "x2": "t*sin(t)"}


def test_at_a_point_the_substitution_is_the_last_line() -> None:
    out = run_cli(["grad", "x^2 y", "--at", "1,2", "--steps", "-f", "plain"]).out
    assert out.rstrip().endswith("= 1                 at x = 1, y = 2")


# --------------------------------------------------------------------------- the bytes


@pytest.mark.parametrize(
    "args",
    [["jac", "x+y, x*y", "--at", "-1,2"], ["hessian", "x^2 y"], ["jvp", "x*y", "--vector", "1,2"]],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_steps_only_add_to_the_output(args: list[str], fmt: str) -> None:
    """Without --steps nothing changes; with it the output is the same, then the steps."""
    plain = run_cli([*args, "-f", fmt])
    steps = run_cli([*args, "--steps", "-f", fmt])
    assert plain.code == steps.code == 0
    if fmt == "json":
        with_steps = json.loads(steps.out)
        assert "steps" not in json.loads(plain.out)
        with_steps.pop("steps")
        with_steps.pop("steps_omitted", None)
        assert json.dumps(with_steps) == json.dumps(json.loads(plain.out))
    else:
        assert steps.out.startswith(plain.out) and len(steps.out) > len(plain.out)


@pytest.mark.parametrize(
    "args",
    [
        ["jac", "sin(x y) + abs(x), x^x/(1 + y^2)", "--steps", "-f", "json"],
        ["det", "x y z, x + y + z, x*z - y", "--steps", "-f", "plain"],
        ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)", "--steps", "-f", "latex"],
    ],
    ids=lambda a: a[0],
)
def test_steps_are_the_same_bytes_in_another_process(args: list[str]) -> None:
    """Two interpreters with different hash seeds print the same derivations."""
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "jacobi", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    assert "steps" in outs[0] or "align*" in outs[0]
    assert run_cli(args).out == outs[0]


# --------------------------------------------------------------------------- 200 equations


def _bratu(n: int = 200) -> tuple[str, str]:
    """The discretised Bratu problem: u_{i-1} - 2 u_i + u_{i+1} + h exp(u_i)."""
    comps = []
    for i in range(1, n + 1):
        terms = [f"-2*u{i}"]
        if i > 1:
            terms.insert(0, f"u{i - 1}")
        if i < n:
            terms.append(f"u{i + 1}")
        comps.append(" + ".join(terms) + f" + h*exp(u{i})")
    return ", ".join(comps), ",".join(f"u{i}" for i in range(1, n + 1))


def test_a_200_equation_system_shows_a_bounded_number_of_derivations() -> None:
    text, names = _bratu()
    args = ["jac", text, "--vars", names, "--steps", "-f", "json"]
    first = run_cli(args)
    assert first.code == 0, first.err
    obj = json.loads(first.out)
    assert [e["label"] for e in obj["steps"]] == [f"df{i}/du{i}" for i in range(1, 13)]
    assert obj["steps_omitted"]["more"] == 200 - 12  # the other diagonal entries
    assert obj["steps_omitted"]["constant"] == 2 * 199  # the 1s beside the diagonal
    assert "--entry 13,13" in obj["steps_omitted"]["note"]
    assert all(len(e["lines"]) <= 62 for e in obj["steps"])
    assert run_cli(args).out == first.out
    plain = run_cli([*args[:-1], "plain"]).out
    steps = plain[plain.index("\nsteps:\n") :]
    assert len(re.findall(r"^df\d+/du\d+ = diff\(", steps, flags=re.M)) == 12
    assert len(steps.splitlines()) < 12 * 64


def test_entry_picks_one_entry_of_a_200_equation_system() -> None:
    text, names = _bratu()
    obj = _json(["jac", text, "--vars", names, "--entry", "100,100"])
    (entry,) = obj["steps"]
    assert entry["label"] == "df100/du100" and entry["entry"] == [99, 99]
    assert "steps_omitted" not in obj
    h, u = sympy.Symbol("h", real=True), sympy.Symbol("u100", real=True)
    last = _read(entry["lines"][-1]["expr"], ["u100", "h"])
    assert sympy.expand(last - (h * sympy.exp(u) - 2)) == 0
    corner = _json(["jac", text, "--vars", names, "--entry", "1,200"])
    assert corner["steps"][0]["lines"][-1]["expr"] == "0"  # asked for, so shown


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["jac", "x+y, x*y", "--steps", "--entry", "3,1"], "--entry 3,1 is outside the 2×2"),
        (["jac", "x+y, x*y", "--steps", "--entry", "0,1"], "I is 0 but must be 1 to 2"),
        (["jac", "x+y, x*y", "--steps", "--entry", "1,x"], "--entry must be I,J"),
        (["jac", "x+y, x*y", "--steps", "--entry", "1"], "--entry 1 has 1 number"),
        (["jac", "x+y, x*y", "--steps", "--entry", "1,2,3"], "--entry 1,2,3 has 3 numbers"),
        (["grad", "x^2 + y^2", "--steps", "--entry", "3"], "J is 3 but must be 1 to 2"),
        (["hessian", "x1^2, x2^2", "--steps", "--entry", "1,1"], "has 3 (I,J,K)"),
        (["jac", "x+y, x*y", "--entry", "1,1"], "--entry picks the entry whose steps"),
        (["jac", "x+y, x-y", "--inverse", "--steps"], "not those of J⁻¹"),
        (["det", "x+y, x-y", "--volume", "--steps"], "not the volume element"),
        (["chain", "u*v", "x, y", "--steps", "--entry", "2,1"], "I is 2 but must be 1 to 1"),
    ],
)
def test_a_bad_entry_is_one_line_with_a_hint(args: list[str], message: str) -> None:
    result = run_cli(args)
    assert result.code == 2 and result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("jacobi: error: "), result.err
    assert message in lines[0]
    assert lines[0].endswith(")")  # the hint, in brackets


def test_points_and_steps_cannot_be_combined(tmp_path: Any) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("x,y\n1,2\n", encoding="utf-8")
    result = run_cli(["jac", "x*y", "--points", str(csv), "--steps"])
    assert result.code == 2 and "--points and --steps cannot be combined" in result.err
    result = run_cli(["jac", "x*y", "--points", str(csv), "--entry", "1,1"])
    assert result.code == 2 and "--points and --entry cannot be combined" in result.err
