"""The scalar functions the matrix language applies entry by entry, and their derivatives.

The functions themselves (how ``sigmoid`` is built, what ``arcsin`` stands for) come
from the one shared lexicon, :mod:`jacobi.lang.lexicon`; this module only says which
of them act entrywise on matrices and how their derivatives are written back in the
matrix language.

>>> sorted(ELEMENTWISE)[:4]
['abs', 'acos', 'acosh', 'asin']
>>> canonical("arcsin"), canonical("sgn")
('asin', 'sign')
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

from jacobi.lang import lexicon
from jacobi.lang.lexicon import canonical

__all__ = [
    "DERIVATIVE_NOTES",
    "DIRECT_DERIVATIVES",
    "ELEMENTWISE",
    "canonical",
    "scalar_function",
]

ScalarFunction = Callable[[sympy.Expr], sympy.Expr]

_NAMES = (
    "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan",
    "sinh", "cosh", "tanh", "sech", "asinh", "acosh", "atanh",
    "exp", "log", "sqrt", "abs", "sign", "sigmoid", "softplus", "erf",
)  # fmt: skip


def _one_argument(name: str) -> ScalarFunction:
    build = lexicon.FUNCTIONS[name].build
    return lambda u: build([u])


#: Scalar functions applied entry by entry to vectors and matrices (canonical names).
ELEMENTWISE: dict[str, ScalarFunction] = {name: _one_argument(name) for name in _NAMES}

#: f' written with another function of the list: sin' = cos, cos' = -sin, ...
DIRECT_DERIVATIVES: dict[str, tuple[str, int]] = {
    "sin": ("cos", 1),
    "cos": ("sin", -1),
    "exp": ("exp", 1),
    "sinh": ("cosh", 1),
    "cosh": ("sinh", 1),
    "abs": ("sign", 1),
}

#: What f'(u) means, for derivatives printed as ``f'(...)`` (jacobi's scalar syntax).
DERIVATIVE_NOTES: dict[str, str] = {
    "tan": "1 + tan(u)^2",
    "sec": "sec(u) tan(u)",
    "csc": "-csc(u) cot(u)",
    "cot": "-1 - cot(u)^2",
    "asin": "1/sqrt(1 - u^2)",
    "acos": "-1/sqrt(1 - u^2)",
    "atan": "1/(1 + u^2)",
    "tanh": "1 - tanh(u)^2",
    "sech": "-sech(u) tanh(u)",
    "asinh": "1/sqrt(u^2 + 1)",
    "acosh": "1/sqrt(u^2 - 1)",
    "atanh": "1/(1 - u^2)",
    "log": "1/u",
    "sqrt": "1/(2 sqrt(u))",
    "sigmoid": "sigmoid(u) (1 - sigmoid(u))",
    "softplus": "sigmoid(u)",
    "erf": "2 exp(-u^2)/sqrt(pi)",
    "sign": "0 (away from u = 0)",
}

_U = sympy.Dummy("u", real=True)


def scalar_function(name: str, order: int = 0) -> ScalarFunction:
    """The SymPy function for ``name`` or its ``order``-th derivative.

    >>> x = sympy.Symbol("x", real=True)
    >>> scalar_function("sin", 1)(x)
    cos(x)
    >>> scalar_function("sigmoid")(x)
    1/(1 + exp(-x))
    """
    base = ELEMENTWISE[name]
    if order == 0:
        return base
    deriv = sympy.diff(base(_U), _U, order)
    return lambda arg: deriv.xreplace({_U: arg})
