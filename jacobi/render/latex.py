"""LaTeX: only mathematics, ready to paste; or a whole amsmath document."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter, _between_two_numbers_p

from jacobi.lang.printing import _int_text
from jacobi.lang.termorder import (
    Power,
    monomial,
    ordered_terms,
    polynomial_terms,
    precedence_traditional,
)
from jacobi.math import sparse
from jacobi.model import MatrixBlock, Report
from jacobi.render.latex_equations import Equation, equations
from jacobi.render.pattern import pattern_latex, sparse_latex

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

    def _print_Derivative(self, expr: Any) -> str:
        r"""``\frac{\partial}{\partial x} \left(x y\right)``: always ∂ (SymPy writes ``d``
        when the expression has one symbol, which mixes the two in a derivation's line), and
        brackets around anything but a symbol or a function call."""
        inner = expr.expr
        body = self._print(inner)
        if not (inner.is_Atom or isinstance(inner, sympy.Function)):
            body = rf"\left({body}\right)"
        order = sum(int(c) for _, c in expr.variable_count)
        top = r"\partial" if order == 1 else rf"\partial^{{{order}}}"
        bottom = " ".join(
            rf"\partial {self._print(v)}" + (rf"^{{{int(c)}}}" if c != 1 else "")
            for v, c in reversed(expr.variable_count)
        )
        return rf"\frac{{{top}}}{{{bottom}}} {body}"


_PRINTER = _JacobiLatexPrinter()


class _FastLatexPrinter(_JacobiLatexPrinter):
    """:class:`_JacobiLatexPrinter`'s LaTeX, sooner: each distinct sub-expression and symbol
    is printed once per printer (equal SymPy expressions print alike), sums are ordered by
    ``termorder.ordered_terms`` and parentheses decided by its ``precedence_traditional``,
    which give SymPy's answers without rebuilding expressions."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[Any, str] = {}

    @classmethod
    def fresh(cls) -> _FastLatexPrinter:
        """A printer with nothing remembered yet: a copy of one made at import (whose
        settings are ``_PRINTER``'s), as building LaTeX settings costs more than printing
        a small expression."""
        printer = copy.copy(_FAST)
        printer._memo = {}
        printer._context = {}
        return printer

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if kwargs or not isinstance(expr, sympy.Basic) or not (expr.args or expr.is_Symbol):
            text: str = super()._print(expr, **kwargs)
            return text
        found = self._memo.get(expr)
        if found is None:
            found = self._memo[expr] = super()._print(expr)
        return found

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        if (order or self.order) is None and type(expr) is sympy.Add:
            return ordered_terms(expr)
        terms: list[Any] = super()._as_ordered_terms(expr, order=order)
        return terms

    def _plain_fractions(self) -> bool:
        """Whether products print as ``\\frac{numerator}{denominator}`` (the default)."""
        return not self._settings["fold_short_frac"] and self._settings["long_frac_ratio"] is None

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        if type(expr) is sympy.Add and (order or self.order) is None and self._plain_fractions():
            terms = polynomial_terms(expr)
            if terms is not None:
                return self._polynomial(terms)
        text: str = super()._print_Add(expr, order=order)
        return text

    def _print_Mul(self, expr: Any) -> str:
        if type(expr) is sympy.Mul and self._plain_fractions():
            found = monomial(expr)
            if found is not None:
                return self._monomial(*found)
        text: str = super()._print_Mul(expr)
        return text

    def _polynomial(self, terms: list[tuple[Any, list[Power]]]) -> str:
        """``LatexPrinter._print_Add`` of monomials: after the first, a term that
        ``could_extract_minus_sign`` (a negative coefficient) is printed negated after
        `` - ``; none needs brackets."""
        tex = ""
        for i, (c, powers) in enumerate(terms):
            if i == 0:
                tex += self._monomial(c, powers)
            elif c.p < 0:
                tex += " - " + self._monomial(-c, powers)
            else:
                tex += " + " + self._monomial(c, powers)
        return tex

    def _monomial(self, c: Any, powers: list[Power]) -> str:
        """LaTeX of ``c*x**a*y**b*...`` as ``LatexPrinter._print_Mul`` writes it: a sign
        taken out as ``- ``, then ``\\frac{p x^{a}}{q}`` (``fraction(exact=True)``), the
        factors by ``as_ordered_factors`` (number first), none needing brackets."""
        factors = [f for _, _, f in powers]
        if not factors:
            return self._print(c)
        if c is sympy.S.One and len(factors) == 1:
            return self._print(factors[0])
        if c.p < 0:
            return "- " + self._monomial(-c, powers)
        numer = ([sympy.Integer(c.p)] if c.p != 1 else []) + factors
        if c.q == 1:
            return self._product(numer)
        return rf"\frac{{{self._product(numer)}}}{{{self._print(sympy.Integer(c.q))}}}"

    def _product(self, factors: list[Any]) -> str:
        # convert_args of LatexPrinter._print_Mul, for factors that need no brackets.
        separator: str = self._settings["mul_symbol_latex"]
        numbersep: str = self._settings["mul_symbol_latex_numbers"]
        tex = last = ""
        for term in factors:
            term_tex = self._print(term)
            if _between_two_numbers_p[0].search(last) and _between_two_numbers_p[1].match(term_tex):
                tex += numbersep
            elif tex:
                tex += separator
            tex += term_tex
            last = term_tex
        return tex

    def parenthesize(
        self, item: Any, level: int, is_neg: bool = False, strict: bool = False
    ) -> str:
        # LatexPrinter.parenthesize, with termorder's precedence_traditional.
        prec_val = precedence_traditional(item)
        text = self._print(item)
        if (is_neg and strict) or (prec_val < level) or ((not strict) and prec_val <= level):
            wrapped: str = self._add_parens(text)
            return wrapped
        return text


_FAST = _FastLatexPrinter()


def latex(expr: Any) -> str:
    r"""``sympy.latex(expr)``, for numbers of any size.

    >>> latex(sympy.Rational(-1, 3) * sympy.Symbol("x") ** 2)
    '- \\frac{x^{2}}{3}'
    >>> len(latex(sympy.Integer(10) ** 5000))
    5001
    """
    text: str = _FastLatexPrinter.fresh().doprint(expr)
    return text


def _reference_latex(expr: Any) -> str:
    """:func:`latex` the plain way (SymPy's printer with jacobi's numbers), for the tests."""
    text: str = _PRINTER.doprint(expr)
    return text


def matrix_latex(matrix: sympy.MatrixBase, env: str = "bmatrix") -> str:
    r"""``\begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}``: one line, entries by SymPy.

    Each distinct entry is printed once, and the zeros are not visited one by one. A matrix
    of more than 10 columns (amsmath's ``MaxMatrixCols``) is the same brackets around an
    ``array``, which compiles in any amsmath document.

    >>> x, y = sympy.symbols("x y")
    >>> print(matrix_latex(sympy.Matrix([[1, 1], [y, x]])))
    \begin{bmatrix} 1 & 1 \\ y & x \end{bmatrix}
    >>> print(matrix_latex(sympy.ones(1, 11), "pmatrix")[:40])
    \left(\begin{array}{@{}ccccccccccc@{}} 1
    """
    printer = _FastLatexPrinter.fresh()
    rows = [" & ".join(row) for row in sparse.strings(matrix, printer.doprint)]
    body = r" \\ ".join(rows)
    if matrix.cols > MAX_MATRIX_COLS:
        left, right = _BRACKETS[env]
        cols = "c" * matrix.cols
        return rf"\left{left}\begin{{array}}{{@{{}}{cols}@{{}}}} {body} \end{{array}}\right{right}"
    return rf"\begin{{{env}}} " + body + rf" \end{{{env}}}"


#: amsmath's default ``MaxMatrixCols``: wider matrices are written as arrays.
MAX_MATRIX_COLS = 10
_BRACKETS = {"bmatrix": ("[", "]"), "pmatrix": ("(", ")")}


def report_latex(report: Report, env: str = "bmatrix", *, lhs: bool = True) -> str:
    r"""The report's result as one LaTeX formula (without math delimiters).

    With ``lhs`` (the default), as a paper writes it: ``J_f(x, y) = ...``, and at a point
    ``J_f(-1, 2) = ...`` too, several equations in an ``aligned`` block. Without, the
    result alone: the matrix, or at a point ``\left. M \right|_{(x, y) = (-1, 2)} = V``.
    """
    if lhs:
        eqs = report_equations(report, env)
        if len(eqs) == 1:
            return eqs[0].text()
        rows = r" \\ ".join(eq.text(align=True) for eq in eqs)
        return rf"\begin{{aligned}} {rows} \end{{aligned}}"
    first = report.blocks[0]
    if report.pattern is not None:
        return pattern_latex(report.pattern)
    body = report.latex_prefix + shown_latex(first, env)
    if report.point is not None and report.value is not None:
        names = ", ".join(latex(v) for v in report.point.variables)
        vals = ", ".join(latex(v) for v in report.point.values)
        if len(report.point.variables) != 1:
            names, vals = f"({names})", f"({vals})"
        value = shown_latex(replace(first, matrix=report.value), env)
        body = rf"\left. {body} \right|_{{{names} = {vals}}} = " + value
    return body


def report_equations(report: Report, env: str = "bmatrix") -> list[Equation]:
    """The report's equations with their left-hand sides (see :mod:`latex_equations`)."""
    return equations(report, latex, lambda b: shown_latex(b, env))


def shown_latex(block: MatrixBlock, env: str = "bmatrix") -> str:
    """A block as it is shown: its non-zero entries for a sparse one (``--sparse``)."""
    if block.sparse and not block.scalar:
        return sparse_latex(block.matrix, latex)
    return block_latex(block.matrix, block.scalar, env)


def block_latex(matrix: sympy.MatrixBase, scalar: bool, env: str = "bmatrix") -> str:
    """A matrix, or the single entry of a scalar block (a determinant is not a 1×1 matrix)."""
    return latex(matrix[0, 0]) if scalar else matrix_latex(matrix, env)


def render(
    report: Report, *, env: str = "bmatrix", standalone: bool = False, lhs: bool = True
) -> str:
    steps = ""
    if report.steps is not None:
        from jacobi.render.plain import step_label
        from jacobi.render.steps import steps_latex

        steps = steps_latex(report.steps, latex, step_label, standalone=standalone)
    if standalone:
        from jacobi.render.latex_page import document

        if lhs:
            return document(report_equations(report, env), after=steps)
        return document([Equation((report_latex(report, env, lhs=False),), ())], after=steps)
    text = report_latex(report, env, lhs=lhs) + "\n"
    return text + "\n" + steps if steps else text
