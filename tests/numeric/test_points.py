"""``jac --points``: vectorised values equal exact per-point evaluation; bad rows stay rows."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import sympy

from conftest import Result
from jacobi import function, jacobian
from jacobi.math.evaluate import value_at
from jacobi.math.magnitude import to_float
from jacobi.numeric.points import compile_exprs, read_points

# (components, --vars, how to draw a coordinate): a few hundred random rows each.
SYSTEMS = [
    ("r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)", "r,theta,phi", (0.1, 3.0)),
    ("r cos(t), r sin(t)", "r,t", (-3.0, 3.0)),
    ("x + y, x*y", "x,y", (-5.0, 5.0)),
    ("exp(x0 x1^2), sqrt(x0^2 + x1^2 + 1), atan2(x1, x0)", "x0,x1", (-2.0, 2.0)),
    ("sigma (y - x), x (28 - z) - y, x y - 8*z/3", "x,y,z", (-10.0, 10.0)),
    ("log(1 + x^2) tanh(y), 1/(2 + sin(x y))", "x,y", (-4.0, 4.0)),
]


def _csv(names: list[str], rows: list[list[float]]) -> str:
    return ",".join(names) + "\n" + "".join(",".join(repr(v) for v in r) + "\n" for r in rows)


@pytest.mark.parametrize(("exprs", "variables", "interval"), SYSTEMS)
def test_points_equal_exact_evaluation(
    run: Callable[..., Result],
    tmp_path: Path,
    exprs: str,
    variables: str,
    interval: tuple[float, float],
) -> None:
    f = function(exprs, variables=variables)
    names = [*f.variable_names, *(p.name for p, v in f.parameters if v is None)]
    rng = random.Random(len(exprs))
    rows = [[rng.uniform(*interval) for _ in names] for _ in range(200)]
    path = tmp_path / "points.csv"
    path.write_text(_csv(names, rows))
    res = run(["jac", exprs, "--vars", variables, "--points", str(path)])
    assert (res.code, res.err) == (0, "")
    out = list(csv.reader(io.StringIO(res.out)))
    J = jacobian(f)
    assert len(out) == 201
    symbols = [*f.variables, *(p for p, v in f.parameters if v is None)]
    for row, got in zip(rows, out[1:], strict=True):
        # Exact evaluation at the very same binary point, then rounded once.
        point = {s: sympy.Rational(v) for s, v in zip(symbols, row, strict=True)}
        assert got[-1] == "ok"
        cells = got[len(names) : -1]
        for k, cell in enumerate(cells):
            exact = to_float(value_at(J[k], point, where="test").evalf(30))
            assert exact is not None
            assert float(cell) == pytest.approx(exact, rel=1e-11, abs=1e-12)


def test_constant_entries_broadcast(run: Callable[..., Result]) -> None:
    res = run(["jac", "2x + 3y, 5", "--points", "-"], stdin="x,y\n1,2\n3,4\n5,6\n")
    assert res.code == 0
    assert res.out == (
        "x,y,df1/dx,df1/dy,df2/dx,df2/dy,status\n"
        "1,2,2.0,3.0,0.0,0.0,ok\n"
        "3,4,2.0,3.0,0.0,0.0,ok\n"
        "5,6,2.0,3.0,0.0,0.0,ok\n"
    )


def test_undefined_rows_are_rows_not_crashes(run: Callable[..., Result]) -> None:
    res = run(
        ["jac", "x*y/(x^2 + y^2), abs(x)", "--points", "-"],
        stdin="x,y\n1,2\n0,0\n0,1\n",
    )
    assert (res.code, res.err) == (0, "")
    lines = res.out.splitlines()
    assert lines[0] == "x,y,df1/dx,df1/dy,df2/dx,df2/dy,status"
    assert lines[1] == "1,2,0.24,-0.12,1.0,0.0,ok"
    # f2 = |x| is defined at 0 and d|x|/dy = 0 there: only f1's entries and the kink are blank.
    assert lines[2].startswith("0,0,,,,0.0,")
    assert "the function (f1) is undefined" in lines[2]
    assert lines[3].startswith("0,1,1.0,0.0,,0.0,")
    assert "kink of sign at x = 0" in lines[3]


def test_json_lines(run: Callable[..., Result]) -> None:
    res = run(["jac", "x*y, log(x)", "--points", "-", "-f", "json"], stdin="x,y\n2,3\n-1,1\n")
    rows = [json.loads(line) for line in res.out.splitlines()]
    assert res.code == 0
    assert rows[0] == {
        "line": 2,
        "at": {"x": 2.0, "y": 3.0},
        "numeric": [[3.0, 2.0], [0.5, 0.0]],
        "status": "ok",
    }
    # Only f2 = log(x) is undefined at x = -1: f1's row of the Jacobian still has values.
    assert rows[1]["numeric"] == [[1.0, -1.0], [None, None]]
    assert rows[1]["status"].startswith("undefined: the function (f2)")


def test_parameter_columns_and_extra_columns(run: Callable[..., Result]) -> None:
    res = run(["jac", "a x^2", "--vars", "x", "--points", "-"], stdin="id,x,a\np,1,2\nq,3,-1\n")
    assert res.code == 0
    assert res.out == "id,x,a,df/dx,status\np,1,2,4.0,ok\nq,3,-1,-6.0,ok\n"


def test_denominator_layout_labels(run: Callable[..., Result]) -> None:
    res = run(["jac", "x+y, x*y", "--layout", "denominator", "--points", "-"], stdin="x,y\n-1,2\n")
    assert res.out == "x,y,df1/dx,df2/dx,df1/dy,df2/dy,status\n-1,2,1.0,2.0,1.0,-1.0,ok\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x+y"], "x\n1\n", "line 1: the header has no column for y (it names x)"),
        (["x+y"], "x,y\n1,2\n1,abc\n", "line 3: 'abc' in column y is not a number"),
        (["x+y"], "x,y\n1,2\n\n# c\n1,nan\n", "line 5: the value of y is not a finite number"),
        (["x+y"], "", "the points file is empty"),
        (["x+y"], "x,x\n1,2\n", "line 1: column 'x' appears twice in the header"),
        (["a*x", "-v", "x"], "x\n1\n", "the parameter a has no value"),
        (["x+y", "--at", "1,2"], "x,y\n1,2\n", "--points and --at cannot be combined"),
        (["x+y", "-f", "latex"], "x,y\n1,2\n", "--points writes CSV or JSON Lines"),
    ],
)
def test_bad_points_input_exit_2(
    run: Callable[..., Result], args: list[str], stdin: str, message: str
) -> None:
    res = run(["jac", *args, "--points", "-"], stdin=stdin)
    assert res.code == 2
    assert res.out == ""
    assert message in res.err
    assert "Traceback" not in res.err


def test_missing_points_file(run: Callable[..., Result]) -> None:
    res = run(["jac", "x", "--points", "no/such.csv"])
    assert (res.code, res.out) == (2, "")
    assert res.err.startswith("jacobi: error: no such file: no/such.csv")


@pytest.mark.parametrize(
    ("expr", "inputs", "expected"),
    [
        (sympy.Integer(3), [1.0, 2.0], [3.0, 3.0]),
        (sympy.log(sympy.Symbol("x", real=True)), [1.0, -1.0], [0.0, float("nan")]),
        (sympy.sqrt(sympy.Symbol("x", real=True)), [4.0, -4.0], [2.0, float("nan")]),
        (sympy.erf(sympy.Symbol("x", real=True)), [0.0], [0.0]),
    ],
)
def test_compile_exprs(expr: sympy.Expr, inputs: list[float], expected: list[float]) -> None:
    import numpy as np

    x = sympy.Symbol("x", real=True)
    (out,) = compile_exprs([expr], [x])(np.array(inputs))
    assert out.tolist() == pytest.approx(expected, nan_ok=True)


def test_read_points_skips_blank_and_comment_lines() -> None:
    t = read_points("# points\nx,y\r\n1,2\r\n\n3,4\n", ["x", "y"])
    assert (t.rows, t.line_numbers, t.columns["x"].tolist()) == (2, (3, 5), [1.0, 3.0])


# (components, --vars, hand-derived det J as a Python function of the row)
DETERMINANTS = [
    ("x + y, x*y", "x,y", lambda x, y: x - y),  # seed 001
    ("r cos(t), r sin(t)", "r,t", lambda r, t: r),  # polar
    (
        "r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
        "r,theta,phi",
        lambda r, theta, phi: r**2 * math.sin(theta),  # spherical
    ),
    ("2x + 3y, 4x - y", "x,y", lambda x, y: -14.0),  # affine: det A, broadcast
]


@pytest.mark.parametrize(("exprs", "variables", "det"), DETERMINANTS)
def test_det_points_equal_hand_derived_determinants(
    run: Callable[..., Result], exprs: str, variables: str, det: Callable[..., float]
) -> None:
    names = variables.split(",")
    rng = random.Random(7)
    rows = [[rng.uniform(0.1, 3.0) for _ in names] for _ in range(200)]
    res = run(["det", exprs, "-v", variables, "--points", "-"], stdin=_csv(names, rows))
    assert (res.code, res.err) == (0, "")
    out = list(csv.reader(io.StringIO(res.out)))
    assert out[0] == [*names, "det", "status"]
    for row, got in zip(rows, out[1:], strict=True):
        assert got[-1] == "ok"
        assert float(got[-2]) == pytest.approx(det(*row), rel=1e-12, abs=1e-12)


def test_det_points_json_and_undefined_rows(run: Callable[..., Result]) -> None:
    res = run(["det", "x y/(x^2 + y^2), x", "--points", "-", "-f", "json"], stdin="x,y\n1,2\n0,0\n")
    rows = [json.loads(line) for line in res.out.splitlines()]
    assert res.code == 0
    assert rows[0] == {
        "line": 2,
        "at": {"x": 1.0, "y": 2.0},
        "det": pytest.approx(0.12),
        "status": "ok",
    }
    assert rows[1]["det"] is None
    assert rows[1]["status"].startswith("undefined")


@pytest.mark.parametrize(
    ("exprs", "text"),
    [
        ("x abs(x)", "x\n0\n-2\n"),
        ("abs(x)^3", "x\n0\n1.5\n"),
        ("max(x,y)*(x-y)", "x,y\n1,1\n2,1\n0,3\n"),
    ],
)
def test_removable_kinks_match_value_at(run: Callable[..., Result], exprs: str, text: str) -> None:
    """At a sign/Heaviside zero, --points gives what --at gives: both sides agree, a value."""
    res = run(["jac", exprs, "--points", "-"], stdin=text)
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    f = function(exprs)
    J = jacobian(f)
    for row in rows:
        assert row["status"] == "ok", row
        values = {s: sympy.Rational(row[s.name]) for s in f.variables}
        for j, s in enumerate(f.variables):
            label = f"df/d{s.name}"
            exact = to_float(value_at(J[0, j], values, where=label))
            assert float(row[label]) == exact


def test_real_kink_still_undefined(run: Callable[..., Result]) -> None:
    res = run(["jac", "abs(x)", "--points", "-"], stdin="x\n0\n2\n")
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert rows[0]["df/dx"] == "" and "kink" in rows[0]["status"]
    assert rows[1]["df/dx"] == "1.0" and rows[1]["status"] == "ok"


def test_dirac_delta_rows(run: Callable[..., Result]) -> None:
    """d sign(x)/dx = 2 DiracDelta(x): undefined at 0, 0 elsewhere (no NameError)."""
    res = run(["jac", "sign(x)", "--points", "-"], stdin="x\n0\n1\n-3\n")
    assert res.code in (0, 3), res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert rows[0]["df/dx"] == "" and rows[0]["status"].startswith("undefined")
    assert [r["df/dx"] for r in rows[1:]] == ["0.0", "0.0"]
    assert all(r["status"] == "ok" for r in rows[1:])


def test_only_the_undefined_component_is_blank(run: Callable[..., Result]) -> None:
    res = run(["jac", "x*y/(x^2+y^2), sqrt(x)", "--points", "-"], stdin="x,y\n-1,1\n")
    (row,) = list(csv.DictReader(io.StringIO(res.out)))
    assert row["df1/dx"] == "0.0" and row["df1/dy"] == "0.0"
    assert row["df2/dx"] == "" and row["df2/dy"] == ""
    assert "f2" in row["status"] and "f1" not in row["status"]


# ---------------------------------------------------------------- issue 8, items 7-9


def test_points_agree_with_at_on_pieces_of_f(run: Callable[..., Result]) -> None:
    # atan2(0, 0) is undefined (NumPy says 0), exp(-1/x^2) at 0 has 1/0 inside (NumPy: 0)
    for expr in ("x*atan2(x, x)", "exp(-1/x^2)", "abs(sqrt(x))"):
        bad = "-1" if "sqrt" in expr else "0"
        res = run(["jac", expr, "--points", "-"], stdin=f"x\n{bad}\n2\n")
        assert res.code == 0, res.err
        rows = list(csv.DictReader(io.StringIO(res.out)))
        assert rows[0]["df/dx"] == "" and rows[0]["status"].startswith("undefined")
        assert rows[1]["status"] == "ok"
        assert run(["jac", expr, "--at", bad]).code == 3  # the same verdict


def test_points_kinks_read_from_one_side(run: Callable[..., Result]) -> None:
    res = run(["jac", "relu(x) - relu(-x)", "--points", "-"], stdin="x\n0\n")
    assert res.out.splitlines()[1] == "0,1.0,ok"  # f = x: J = 1 (as --at 0 says)


def test_points_huge_numbers_are_a_limit(run: Callable[..., Result]) -> None:
    res = run(["jac", "1e400*x", "--points", "-"], stdin="x\n1\n")
    assert res.code == 4 and "outside the range of float64" in res.err


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_points_without_variables(run: Callable[..., Result], fmt: str) -> None:
    res = run(["jac", "11", "--points", "-", "--format", fmt], stdin="x\n1\n\n2\n")
    assert res.code == 0, res.err
    if fmt == "json":
        rows = [json.loads(line) for line in res.out.splitlines()]
        assert [r["line"] for r in rows] == [2, 4] and all(r["status"] == "ok" for r in rows)
    else:
        assert res.out.splitlines() == ["x,status", "1,ok", "2,ok"]
    res = run(["det", "5", "--volume", "--points", "-"], stdin="x\n1\n2\n")
    assert (res.code, res.out.splitlines()[1:]) == (0, ["1,1.0,ok", "2,1.0,ok"])


def test_points_reading_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from jacobi.errors import LimitError
    from jacobi.numeric import points

    monkeypatch.setattr(points, "MAX_POINTS_CHARS", 5000)
    monkeypatch.setattr(points, "_READ_CHUNK", 1000)
    stream = io.StringIO("x\n" + "1\n" * 100_000)
    with pytest.raises(LimitError):
        points.read_points_source("-", stream)
    assert stream.tell() <= 6000  # refused without reading the rest
    assert points.read_points_source("-", io.StringIO("x\n1\n")) == "x\n1\n"


def test_integers_beyond_int64_are_computed_as_floats() -> None:
    import numpy as np

    y = sympy.Symbol("y", real=True)
    fn = compile_exprs([sympy.Integer(10) ** 30 * y, sympy.log(sympy.Integer(10) ** 30 + y)], [y])
    got = [a.tolist() for a in fn(np.array([2.0]))]
    assert got[0] == [2e30] and math.isclose(got[1][0], 30 * math.log(10))
