"""LaTeX: only mathematics, ready to paste; or a whole amsmath document."""

from __future__ import annotations

from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter

from jacobi.lang.printing import _int_text
from jacobi.model import Report

ENVS = ("bmatrix", "pmatrix")

#: Integers with more bits than this are printed in chunks: ``str`` refuses more than
#: 4300 digits, and jacobi's values go up to ``evaluate.MAX_VALUE_DIGITS`` (10,000).
_STR_SAFE_BITS = 10_000


def _is_big(x: Any) -> bool:
    return isinstance(x, sympy.Rational) and max(abs(x.p), x.q).bit_length() > _STR_SAFE_BITS


class _JacobiLatexPrinter(LatexPrinter):  # type: ignore[misc]  # sympy is untyped
    """SymPy's LaTeX, with integers of any size (SymPy formats them with ``str`` and ``%d``)."""

    def _print_int(self, expr: int) -> str:
        return _int_text(expr)

    def _print_Rational(self, expr: Any) -> str:
        if expr.q == 1:
            return _int_text(expr.p)
        sign = "- " if expr.p < 0 else ""
        if self._settings["fold_short_frac"]:
            return f"{sign}{_int_text(abs(expr.p))} / {_int_text(expr.q)}"
        return rf"{sign}\frac{{{_int_text(abs(expr.p))}}}{{{_int_text(expr.q)}}}"

    def _print_Pow(self, expr: Any) -> str:
        if _is_big(expr.exp) or _is_big(expr.base):
            # SymPy's special cases (roots, 1/(p/q)^y) put the numbers in with %d.
            text: str = self._helper_print_standard_power(expr, "%s^{%s}")
            return text
        text = super()._print_Pow(expr)
        return text


_PRINTER = _JacobiLatexPrinter()


def latex(expr: Any) -> str:
    r"""``sympy.latex(expr)``, for numbers of any size.

    >>> latex(sympy.Rational(-1, 3) * sympy.Symbol("x") ** 2)
    '- \\frac{x^{2}}{3}'
    >>> len(latex(sympy.Integer(10) ** 5000))
    5001
    """
    text: str = _PRINTER.doprint(expr)
    return text


def matrix_latex(matrix: sympy.MatrixBase, env: str = "bmatrix") -> str:
    r"""``\begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}``: one line, entries by SymPy.

    >>> x, y = sympy.symbols("x y")
    >>> print(matrix_latex(sympy.Matrix([[1, 1], [y, x]])))
    \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}
    """
    rows = [" & ".join(latex(matrix[i, j]) for j in range(matrix.cols)) for i in range(matrix.rows)]
    return rf"\begin{{{env}}} " + r" \\ ".join(rows) + rf" \end{{{env}}}"


def report_latex(report: Report, env: str = "bmatrix") -> str:
    """The report's result as one LaTeX formula (without math delimiters)."""
    first = report.blocks[0]
    body = report.latex_prefix + block_latex(first.matrix, first.scalar, env)
    if report.point is not None and report.value is not None:
        names = ", ".join(latex(v) for v in report.point.variables)
        vals = ", ".join(latex(v) for v in report.point.values)
        if len(report.point.variables) != 1:
            names, vals = f"({names})", f"({vals})"
        value = block_latex(report.value, first.scalar, env)
        body = rf"\left. {body} \right|_{{{names} = {vals}}} = " + value
    return body


def block_latex(matrix: sympy.MatrixBase, scalar: bool, env: str = "bmatrix") -> str:
    """A matrix, or the single entry of a scalar block (a determinant is not a 1×1 matrix)."""
    return latex(matrix[0, 0]) if scalar else matrix_latex(matrix, env)


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
