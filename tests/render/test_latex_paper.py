"""LaTeX that goes into a paper as it is (issue 11 §4): left-hand sides, the solutions of
det J = 0, the chain rule's factors, wide results that fit the page, and fragments of more
than 10 columns that compile in a plain amsmath document.

The pdflatex checks compile every document in one process (a shell loop), so the test
costs well under a second of TeX.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import require_pdflatex, run_cli
from jacobi.commands import api
from jacobi.commands.registry import COMMANDS
from jacobi.render import latex

SIX = (
    "x1^2 x2 + sin(x3 x4), x2 x3 + exp(x5 x6), x3^2 - x4 x5 x6, cos(x1 x2 x3), "
    "x4 x5 + x6^3 x1, x1 x2 x3 x4 x5 x6"
)
WIDE = ", ".join(f"x{i}^2 * x{i + 1}" for i in range(1, 13))  # a 12×13 Jacobian
LAYERS = ["p^2 + q^2", "a*b, b*c", "x1 + x2, x2 + x3, x3 + x4"]

#: Documents that must fit the page: the README's LaTeX examples, a 6×6 Jacobian, the
#: README's 3-layer chain, and more that are wide or have several equations.
STANDALONE = {
    "readme_jac": ["jac", "x+y, x*y"],
    "readme_jac_at": ["jac", "x+y, x*y", "--at", "-1,2"],
    "six": ["jac", SIX],
    "chain_layers": ["chain", *LAYERS],
    "chain_510": ["chain", "exp(x1*x2^2)", "t*cos(t), t*sin(t)"],
    "wide": ["jac", WIDE],
    "arm_singular": [
        "det",
        "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)",
        "--vars",
        "a,b",
        "--singular",
    ],
    "mjac_rtr": ["mjac", "K = R^T R", "--matrix", "R:3x2"],
    "hessians": ["hessian", "x1^2*x2, x2^3", "--at", "1,2"],
    "linearize2": ["linearize", "exp(x)*y", "--at", "0,1", "--order", "2"],
}


def _latex(args: list[str], *extra: str) -> str:
    result = run_cli([*args, "--format", "latex", *extra])
    assert result.code == 0, result.err
    return result.out


def _compile_all(sources: dict[str, str], directory: Path) -> dict[str, str]:
    """Compile each document with pdflatex in one shell process; return each log."""
    require_pdflatex()
    for name, source in sources.items():
        (directory / f"{name}.tex").write_text(source, encoding="utf-8")
    names = " ".join(shlex.quote(n) for n in sources)
    script = (
        f'for n in {names}; do pdflatex -interaction=nonstopmode -halt-on-error "$n.tex" '
        '>/dev/null || echo "FAILED $n"; done'
    )
    proc = subprocess.run(
        ["sh", "-c", script], cwd=directory, capture_output=True, text=True, timeout=300
    )
    assert "FAILED" not in proc.stdout, proc.stdout
    return {
        n: (directory / f"{n}.log").read_text(encoding="utf-8", errors="replace") for n in sources
    }


def test_documents_fit_the_page_and_fragments_compile(tmp_path: Path) -> None:
    require_pdflatex()
    sources = {name: _latex(args, "--standalone") for name, args in STANDALONE.items()}
    # Every command's help examples and the wide results as fragments, in a plain amsmath
    # document: they must compile (a fragment is not fitted to any page).
    fragments = [_latex(args) for args in STANDALONE.values()]
    for command in COMMANDS.values():
        if not command.latex:  # source code (codegen) has no LaTeX
            continue
        for example in command.examples:
            words = shlex.split(example)[1:]
            if words[0] != "plot":
                fragments.append(_latex(words))
    body = ""
    for fragment in fragments:  # --steps: the formula, a blank line, then align* blocks
        formula, _, steps = fragment.partition("\n\n")
        body += f"\\[\n{formula.rstrip()}\n\\]\n{steps}"
    sources["fragments"] = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        f"{body}\\end{{document}}\n"
    )
    logs = _compile_all(sources, tmp_path)
    for name, log in logs.items():
        errors = [line for line in log.splitlines() if line.startswith("!")]
        assert errors == [], (name, errors)
        if name != "fragments":
            assert "Overfull \\hbox" not in log, name
            assert "Overfull \\vbox" not in log, name


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["jac", "x+y, x*y"], r"J_f(x, y) = \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}"),
        (["jac", "x+y, x*y", "--layout", "denominator"], r"J_f(x, y)^\top = "),
        (["jac", "x+y, x*y", "--inverse"], r"J_f(x, y)^{-1} = "),
        (
            ["det", "x+y, x*y", "--at", "-1,2"],
            r"\begin{aligned} \det J_f(x, y) &= x - y \\ \det J_f(-1, 2) &= -3 \end{aligned}",
        ),
        (["det", "r*cos(t), r*sin(t)", "--singular"], r"\det J_f(r, t) &= 0 \iff r = 0"),
        (["grad", "x*y"], r"\nabla f(x, y)^\top = \begin{bmatrix} y & x \end{bmatrix}"),
        (["grad", "x*y", "--layout", "denominator"], r"\nabla f(x, y) = \begin{bmatrix} y \\"),
        (["hessian", "x^2*y"], r"H_f(x, y) = "),
        (["hessian", "x1^2, x2^2"], r"H_{f_{2}}(x_{1}, x_{2}) &= "),
        (["jvp", "x+y, x*y", "--vector", "1,2"], r"J_f(x, y)\, v = "),
        (["vjp", "x+y, x*y", "--vector", "1,2"], r"w^\top J_f(x, y) = "),
        (["div", "x*y, y*z, z*x"], r"(\nabla \cdot f)(x, y, z) = x + y + z"),
        (["curl", "-y, x, z"], r"(\nabla \times f)(x, y, z) = "),
        (["laplacian", "x^2*y + y^3"], r"(\Delta f)(x, y) = 8 y"),
        (["wronskian", "sin(x), cos(x)"], r"W(f_{1}, f_{2})(x) = -1"),
        (
            ["linearize", "x*y", "--at", "1,2"],
            r"f(x, y) \approx f(1, 2) + J_f(1, 2) \begin{bmatrix} x - 1 \\ y - 2 \end{bmatrix} = "
            r"\begin{bmatrix} 2 \end{bmatrix} + \begin{bmatrix} 2 & 1 \end{bmatrix}",
        ),
        (
            ["chain", "u*v", "x+y, x*y"],
            r"J_{g \circ h}(x, y) = J_{g}(h(x, y))\, J_{h}(x, y) = \begin{bmatrix} x y & x + y "
            r"\end{bmatrix} \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix} = \begin{bmatrix} y "
            r"\left(2 x + y\right) & x \left(x + 2 y\right) \end{bmatrix}",
        ),
        (
            ["implicit", "x^2 + y^2 - 1", "--solve-for", "y", "--at", "3/5,4/5"],
            r"\left. \frac{dy}{dx} \right|_{(x, y) = (\frac{3}{5}, \frac{4}{5})} &= - \frac{3}{4}",
        ),
        (["mjac", "K = R^T R", "--matrix", "R:3x2"], r"\mathbf{K}_{(3,2)} = "),
    ],
)
def test_left_hand_sides(args: list[str], expected: str) -> None:
    assert expected in _latex(args)


def test_singular_set_in_latex() -> None:
    out = _latex(
        ["det", "l1 cos(a) + l2 cos(a+b), l1 sin(a) + l2 sin(a+b)", "--vars", "a,b", "--singular"]
    )
    assert r"\det J_f(a, b) &= 0 \iff b = \pi n,\ n \in \mathbf{Z} \ \text{or}\ l_{1} = 0" in out
    assert r"\neq 0" in _latex(["det", "x, y", "--singular"])


def test_without_lhs_the_result_alone() -> None:
    report = api.jac(["x+y, x*y"], at="-1,2")
    assert latex.render(report, lhs=False) == (
        r"\left. \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix} \right|_{(x, y) = (-1, 2)} = "
        r"\begin{bmatrix} 1 & 1 \\ 2 & -1 \end{bmatrix}" + "\n"
    )
    assert latex.render(api.det(["x+y, x*y"]), lhs=False) == "x - y\n"
    doc = latex.render(api.det(["x+y, x*y"]), lhs=False, standalone=True)
    assert "\\jacobifit{x - y}" in doc


def test_more_than_ten_columns_is_an_array() -> None:
    out = _latex(["jac", WIDE])
    assert r"\left[\begin{array}{@{}ccccccccccccc@{}}" in out
    assert "bmatrix" not in out
    assert "MaxMatrixCols" not in _latex(["jac", WIDE], "--standalone")
