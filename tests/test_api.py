"""The Python front (jacobi.api) as a SymPy and notebook user meets it.

Expected values are SymPy built directly (``sympy.Matrix.jacobian``, ``.det()``) or by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

import jacobi
from conftest import ROOT

x, y = sympy.symbols("x y")  # plain symbols, as a SymPy user makes them
xr, yr = sympy.symbols("x y", real=True)
F = sympy.Matrix([x + y, x * y])
J = F.jacobian([x, y])  # SymPy's own: [[1, 1], [y, x]]


@pytest.mark.parametrize(
    "given",
    [
        "x+y, x*y",
        ["x+y", "x*y"],
        [x + y, x * y],
        (x + y, "x*y"),
        F,
        F.T,
        sympy.ImmutableMatrix(F),
        jacobi.function("x+y, x*y"),
    ],
    ids=["text", "texts", "exprs", "mixed", "column", "row", "immutable", "function"],
)
def test_jacobian_of_every_input_kind(given: object) -> None:
    got = jacobi.jacobian(given)
    assert got.xreplace({xr: x, yr: y}) == J
    assert jacobi.determinant(given).xreplace({xr: x, yr: y}) == J.det()


def test_results_come_back_in_the_users_symbols() -> None:
    got = jacobi.jacobian([x + y, x * y])
    assert got == J and got.subs(x, 1) == J.subs(x, 1)
    assert jacobi.jacobian("x+y, x*y").subs(xr, 1) == sympy.Matrix([[1, 1], [yr, 1]])
    assert jacobi.symbols("x, y") == (xr, yr) and jacobi.symbols("x") == xr
    assert jacobi.jacobian("x+y", variables=[y, x]) == sympy.Matrix([[1, 1]])
    assert jacobi.gradient(x**2 * y) == sympy.Matrix([[2 * x * y, x**2]])
    assert jacobi.jac([x + y, x * y]).matrix == J


@pytest.mark.parametrize(
    "at",
    [
        "-1,2",
        "x=-1, y=2",
        [-1, 2],
        (-1, "2"),
        {"x": -1, "y": 2},
        {x: -1, y: 2},
        {xr: -1, y: 2},
        sympy.Matrix([-1, 2]),
        [Fraction(-1), 2.0],
    ],
)
def test_points_of_every_kind(at: object) -> None:
    f = jacobi.function([x + y, x * y])
    assert jacobi.point(f, at).values == (-1, 2)
    assert jacobi.evaluate_matrix(jacobi.jacobian(f), jacobi.point(f, at)) == J.subs({x: -1, y: 2})
    assert jacobi.jac(f, at=at).value == [["1", "1"], ["2", "-1"]]


def test_evaluate_matrix_by_name_and_exact_values() -> None:
    assert jacobi.evaluate_matrix(J, {x: -1, y: 2}) == sympy.Matrix([[1, 1], [2, -1]])
    assert jacobi.evaluate_matrix(J, {"x": 0.5, "y": sympy.pi}) == sympy.Matrix(
        [[1, 1], [sympy.pi, sympy.Rational(1, 2)]]
    )
    assert jacobi.point("x", [0.1]).values == (sympy.Rational(1, 10),)


def test_params_and_options_from_python() -> None:
    a = sympy.Symbol("a")
    assert jacobi.jacobian(a * x + y, variables=[x, y], params={a: 2}) == sympy.Matrix([[2, 1]])
    assert jacobi.jacobian("a*x", params={"a": sympy.Rational(1, 3)}) == sympy.Matrix(
        [[sympy.Rational(1, 3)]]
    )
    assert jacobi.jvp("x+y, x*y", vector=[1, 2], at=[-1, 2]).value == [["3"], ["0"]]
    assert jacobi.check([x + y, x * y], against=J).passed is True
    assert jacobi.check([x + y, x * y], against=[[1, 1], [y, y]]).passed is False


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: jacobi.function({x: 1}), "give a list, not a dict"),
        (lambda: jacobi.function(None), "not NoneType"),
        (lambda: jacobi.function([]), "empty list"),
        (lambda: jacobi.function(sympy.Matrix([[1, 2], [3, 4]])), "2×2 matrix is not a vector"),
        (lambda: jacobi.function(sympy.Eq(x, y)), "expected an expression"),
        (lambda: jacobi.function(sympy.Function("g")(x)), "cannot read the SymPy expression"),
        (lambda: jacobi.function("x", variables=3), "expected names"),
        (lambda: jacobi.point("x+y", [True, 1]), "not True"),
        (lambda: jacobi.jac("x", colour=True), "unexpected keyword argument 'colour'"),
        (lambda: jacobi.mjac(x), "one string of its own language"),
        (lambda: jacobi.evaluate_matrix([[x]], {x: 1}), "expected a SymPy matrix"),
    ],
)
def test_clear_type_errors(call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()  # type: ignore[operator]


def test_strings_never_reach_sympy(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("sympify called")

    monkeypatch.setattr(sympy, "sympify", refuse)
    monkeypatch.setattr(sys.modules["sympy.core.sympify"], "sympify", refuse)
    with pytest.raises(jacobi.ParseError):
        jacobi.function("__import__('os')")


def test_every_command_is_a_function_with_the_json_fields() -> None:
    from jacobi.commands.registry import COMMANDS

    assert set(COMMANDS) <= set(jacobi.__all__) and set(COMMANDS) <= set(dir(jacobi))
    r = jacobi.det("x+y, x*y", at="-1,2")
    obj = json.loads(r.to_json())
    assert obj == r.to_dict()
    for key, value in obj.items():
        assert getattr(r, key) == value
    assert r.matrix_at == sympy.Matrix([[-3]])
    with pytest.raises(AttributeError, match="its fields: schema"):
        r.nonsense  # noqa: B018


NOTEBOOK = [
    "import sympy, jacobi",
    "x, y = sympy.symbols('x y')",
    "jacobi.jac([x + y, x*y], at=[-1, 2])",
    "jacobi.det('r*cos(t), r*sin(t)', singular=True)",
    "jacobi.hessian('x^2*y')",
    "jacobi.chain(['exp(x1*x2^2)', 't*cos(t), t*sin(t)'])",
]


def test_a_notebook_shows_mathematics_that_compiles(tmp_path: Path) -> None:
    """Cells run in IPython's shell in process, as in Jupyter; each result's LaTeX goes
    into one document compiled by pdflatex (when installed)."""
    interactive = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactive.InteractiveShell.instance()
    shown: list[dict[str, str]] = []
    for cell in NOTEBOOK:
        result = shell.run_cell(cell, store_history=False)
        result.raise_error()
        if result.result is not None:
            data, _ = shell.display_formatter.format(result.result)
            shown.append(data)
    assert len(shown) == 4
    for data in shown:
        assert data["text/latex"].startswith("$$ ") and data["text/markdown"].startswith("$$ ")
        assert "text/plain" in data
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    body = "\n".join(f"\\[ {d['text/latex'].strip('$ ')} \\]" for d in shown)
    doc = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\setcounter{MaxMatrixCols}{20}\n"
        f"\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    (tmp_path / "nb.tex").write_text(doc, encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "nb.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]


@pytest.mark.skipif(not os.environ.get("JACOBI_MYPY_TEST"), reason="7 s: JACOBI_MYPY_TEST=1")
def test_mypy_sees_the_types(tmp_path: Path) -> None:
    snippet = tmp_path / "snip.py"
    snippet.write_text(
        "import jacobi\nf = jacobi.function('x')\nreveal_type(f)\n"
        "reveal_type(jacobi.point(f, [1]))\nreveal_type(jacobi.jac('x'))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
            "--config-file",
            os.devnull,
            "--ignore-missing-imports",
            str(snippet),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(ROOT)},
        check=False,
    )
    assert "VectorFunction" in done.stdout and "Point" in done.stdout
    assert '"jacobi.api.Result"' in done.stdout and '"Any"' not in done.stdout
