r"""What the matrix nodes' printers share: precedence, parentheses, numbers, symbol names.

Each node class prints itself (``_print_text`` and ``_print_latex`` in
:mod:`jacobi.matrix.nodes`, as SymPy's printers dispatch on ``_print_<Class>``); the
two printers share the precedence levels here, as SymPy's ``str.py`` and ``latex.py``
share ``precedence.py``.

>>> wrap(("a + b", ADD), MUL), wrap(("a b", MUL), MUL)
('(a + b)', 'a b')
>>> lwrap(("a + b", ADD), MUL)
'\\left(a + b\\right)'
"""

from __future__ import annotations

import sympy

#: Printing precedence: a child printed inside a parent with a higher level is wrapped.
ADD, MUL, UNARY, POW, ATOM = 1, 2, 3, 4, 5

#: A printed piece and its precedence level.
Printed = tuple[str, int]

#: LaTeX commands of the elementwise functions (others print as ``\operatorname{name}``).
LATEX_FUNCTIONS = {
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "sec": r"\sec",
    "csc": r"\csc",
    "cot": r"\cot",
    "asin": r"\arcsin",
    "acos": r"\arccos",
    "atan": r"\arctan",
    "sinh": r"\sinh",
    "cosh": r"\cosh",
    "tanh": r"\tanh",
    "exp": r"\exp",
    "log": r"\log",
    "sigmoid": r"\sigma",
}


def wrap(pair: Printed, level: int) -> str:
    """The text of ``pair``, in parentheses when it binds more loosely than ``level``."""
    s, p = pair
    return f"({s})" if p < level else s


def lwrap(pair: Printed, level: int) -> str:
    r"""LaTeX of ``pair``, in ``\left( \right)`` when it binds more loosely than ``level``."""
    s, p = pair
    return rf"\left({s}\right)" if p < level else s


def number_text(value: sympy.Expr) -> Printed:
    """A number or constant in the matrix syntax: ``e``, ``pi``, ``-2``, ``3/4``.

    >>> number_text(sympy.E), number_text(sympy.Integer(-2)), number_text(sympy.Rational(3, 4))
    (('e', 5), ('-2', 3), ('3/4', 2))
    """
    if value == sympy.E:
        return "e", ATOM
    s = str(value).replace("**", "^").replace("E", "e")
    if value.is_Integer or value.is_Symbol or value in (sympy.pi,):
        return s, (UNARY if value.is_negative else ATOM)
    if value.could_extract_minus_sign():
        return s, UNARY
    if isinstance(value, sympy.Function) or value.is_Pow:
        return s, POW
    return s, MUL


def number_latex(value: sympy.Expr) -> Printed:
    r"""A number or constant in LaTeX: ``\pi``, ``-2``, ``\frac{3}{4}``.

    >>> number_latex(sympy.pi), number_latex(sympy.Rational(3, 4))
    (('\\pi', 5), ('\\frac{3}{4}', 2))
    """
    s = sympy.latex(value)
    if value.could_extract_minus_sign():
        return s, UNARY
    return s, (ATOM if value.is_Integer or value.is_Symbol or value == sympy.pi else MUL)


def symbol_latex(name: str, bold: bool) -> str:
    r"""LaTeX for a symbol name: ``\mathbf{W}``, ``\boldsymbol{\Phi}``, ``\theta``.

    >>> symbol_latex("Phi", True), symbol_latex("x_2", True), symbol_latex("a", False)
    ('\\boldsymbol{\\Phi}', '\\mathbf{x}_{2}', 'a')
    """
    plain = str(sympy.latex(sympy.Symbol(name)))
    if not bold:
        return plain
    cut = len(plain)
    for mark in ("_", "^"):
        k = plain.find(mark)
        if k > 0:
            cut = min(cut, k)
    base, rest = plain[:cut], plain[cut:]
    wrapper = r"\boldsymbol" if base.startswith("\\") else r"\mathbf"
    return f"{wrapper}{{{base}}}{rest}"


def product_text(coeff: sympy.Expr, num: list[str], den: list[str]) -> Printed:
    """``coeff num... / den...`` in the matrix syntax (factors already printed).

    >>> product_text(sympy.Rational(-1, 2), ["W", "x"], [])
    ('-1/2 W x', 3)
    >>> product_text(sympy.Integer(3), [], ["n"])
    ('3 / n', 2)
    """
    sign = ""
    if coeff.could_extract_minus_sign():
        sign, coeff = "-", -coeff
    if coeff != 1 and coeff.is_Rational and not coeff.is_Integer and num:
        num.insert(0, f"{coeff.p}/{coeff.q}")
    elif coeff != 1 or not num:
        num.insert(0, wrap(number_text(coeff), MUL) if num else number_text(coeff)[0])
    body = " ".join(num)
    if den:
        body += "".join(f" / {d}" for d in den)
    return sign + body, (UNARY if sign else MUL)


def product_latex(coeff: sympy.Expr, num: list[str], den: list[str]) -> Printed:
    r"""``coeff \frac{num...}{den...}`` in LaTeX (factors already printed).

    >>> product_latex(sympy.Integer(-2), ["a"], ["b"])
    ('-2 \\frac{a}{b}', 3)
    """
    sign = ""
    if coeff.could_extract_minus_sign():
        sign, coeff = "-", -coeff
    body = " ".join(num)
    if den:
        body = rf"\frac{{{body or '1'}}}{{{' '.join(den)}}}"
    if coeff != 1 or not body:
        c = sympy.latex(coeff)
        body = f"{c} {body}".strip() if body else c
    return sign + body, (UNARY if sign else MUL)


def signed_sum(parts: list[tuple[bool, str]]) -> Printed:
    """Terms joined with ``+`` and ``-``: each part says whether it is subtracted.

    >>> signed_sum([(False, "a"), (True, "b"), (False, "c")])
    ('a - b + c', 1)
    """
    out = []
    for k, (minus, s) in enumerate(parts):
        out.append(("- " if minus else "+ ") + s if k > 0 else s)
    return " ".join(out), ADD
