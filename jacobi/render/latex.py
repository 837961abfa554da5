"""LaTeX: only mathematics, ready to paste; or a whole amsmath document."""

from __future__ import annotations

import sympy

from jacobi.model import Report

ENVS = ("bmatrix", "pmatrix")


def matrix_latex(matrix: sympy.MatrixBase, env: str = "bmatrix") -> str:
    r"""``\begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}``: one line, entries by SymPy.

    >>> x, y = sympy.symbols("x y")
    >>> print(matrix_latex(sympy.Matrix([[1, 1], [y, x]])))
    \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}
    """
    rows = [
        " & ".join(sympy.latex(matrix[i, j]) for j in range(matrix.cols))
        for i in range(matrix.rows)
    ]
    return rf"\begin{{{env}}} " + r" \\ ".join(rows) + rf" \end{{{env}}}"


def report_latex(report: Report, env: str = "bmatrix") -> str:
    """The report's result as one LaTeX formula (without math delimiters)."""
    first = report.blocks[0]
    body = report.latex_prefix + block_latex(first.matrix, first.scalar, env)
    if report.point is not None and report.value is not None:
        names = ", ".join(sympy.latex(v) for v in report.point.variables)
        vals = ", ".join(sympy.latex(v) for v in report.point.values)
        if len(report.point.variables) != 1:
            names, vals = f"({names})", f"({vals})"
        value = block_latex(report.value, first.scalar, env)
        body = rf"\left. {body} \right|_{{{names} = {vals}}} = " + value
    return body


def block_latex(matrix: sympy.MatrixBase, scalar: bool, env: str = "bmatrix") -> str:
    """A matrix, or the single entry of a scalar block (a determinant is not a 1×1 matrix)."""
    return sympy.latex(matrix[0, 0]) if scalar else matrix_latex(matrix, env)


def document(formula: str, cols: int) -> str:
    """A complete LaTeX document showing ``formula`` in display math."""
    # amsmath refuses matrices wider than MaxMatrixCols (10 by default).
    return (
        "\\documentclass{article}\n"
        "\\usepackage{amsmath}\n"
        f"\\setcounter{{MaxMatrixCols}}{{{max(cols, 10)}}}\n"
        "\\begin{document}\n"
        "\\[\n"
        f"{formula}\n"
        "\\]\n"
        "\\end{document}\n"
    )


def render(report: Report, *, env: str = "bmatrix", standalone: bool = False) -> str:
    formula = report_latex(report, env)
    if standalone:
        cols = max(b.matrix.cols for b in report.blocks)
        return document(formula, cols)
    return formula + "\n"
