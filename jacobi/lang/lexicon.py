"""The one lexicon of jacobi's two expression languages (scalar and matrix).

:mod:`jacobi.lang.parse` (``jacobi jac "..."``) and :mod:`jacobi.matrix.parse`
(``jacobi mjac "..."``) read the same words: the same function names with the same
arities and aliases, the same Greek letters and Unicode operators, the same nesting
limit and the same depth cost of each function. A word one language has and the
other lacks is refused by the other with a clear message, never read as something
else (``csch`` is never a scalar symbol, ``gamma(x)`` never the product ``gamma*x``).

Nothing here parses; it is tables and a few look-ups over them.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import sympy

__all__ = [
    "ALIASES",
    "FUNCTIONS",
    "GLUE_FUNCTIONS",
    "GREEK",
    "MATRIX_FUNCTIONS",
    "MATRIX_INPUT_CHARS",
    "MAX_DEPTH",
    "MAX_INPUT_CHARS",
    "MAX_LITERAL_DIGITS",
    "MAX_ROOT_DIGITS",
    "MISSING_FUNCTIONS",
    "OPERATORS",
    "SOFT_FUNCTIONS",
    "Function",
    "canonical",
    "glued",
    "not_real",
    "unknown_function_hint",
]

Expr = Any  # sympy is untyped; this alias documents intent.
Builder = Callable[[list[Expr]], Expr]

# --------------------------------------------------------------------------- limits

MAX_INPUT_CHARS = 500_000
"""Longest accepted scalar input (``jac``, ``det``, ...), in characters."""
MATRIX_INPUT_CHARS = 20_000
"""Longest accepted matrix expression: it is expanded into components, so it is shorter."""
MAX_DEPTH = 100
"""Deepest nesting of parentheses, calls, unary signs and power chains, in both languages.

SymPy's cost grows faster than linearly with the depth of an expression tree (and it
raises RecursionError near 150-250 tree levels), so nesting is capped well below that.
A call costs :attr:`Function.depth` levels (the depth of the tree it builds: 4 for
``sigmoid``, 3 for ``softplus``, 1 otherwise), a parenthesis, a sign and each power of a
chain one level.
"""
MAX_LITERAL_DIGITS = 1000
"""Most digits in one number literal (and largest ``|exponent|`` in ``1e...``)."""
MAX_ROOT_DIGITS = 300
"""Largest number (in digits) that may be put under a root or into a function.

SymPy factorises radicands and runs primality tests on function arguments; both
become very slow beyond a few hundred digits.
"""


def not_real(value: Expr) -> bool:
    """Whether a constant (an expression without symbols) is certainly not a real number.

    SymPy's assumptions decide most constants (``acos(2)``); the rest are evaluated to
    15 digits (``li(-1)``), a fixed amount of work. A constant whose value cannot be
    found at all is left to the later checks at points.
    """
    real = value.is_extended_real
    if real is not None:
        return not real
    try:
        number = value.replace(sympy.erfcinv, lambda a: sympy.erfinv(1 - a)).evalf(15)
    except (ValueError, TypeError, ArithmeticError):  # mpmath: "defined only for ..."
        return True
    re_part, im_part = number.as_real_imag()
    if not (im_part.is_Number and re_part.is_Number):
        return False
    return bool(abs(im_part) > 1e-12 * max(1, abs(re_part)))


# --------------------------------------------------------------------------- characters

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho",
    "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
"""Greek letters and the names they stand for (``θ`` is ``theta``, ``π`` is ``pi``).

The capitals that look like Latin letters (Α, Β, Ε, ...) are not here: they would be
read as a different name than the one the reader sees, so both languages refuse them.
"""

OPERATORS = {
    "×": "*", "·": "*", "⋅": "*", "∗": "*", "∙": "*", "−": "-", "–": "-", "÷": "/",
}  # fmt: skip
"""Unicode operators and their ASCII spelling."""

# --------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class Function:
    """One function of the languages.

    Attributes
    ----------
    low, high
        Fewest and most arguments (``high`` is ``None`` for no upper bound).
    build
        Builds the SymPy expression from the argument expressions.
    depth
        Nesting levels a call costs: the depth of the tree ``build`` makes.
    usage
        How a call is written, shown when the arity is wrong (``polygamma(n, x)``).
    order
        ``"natural"`` when the first argument must be a number 0, 1, 2, ... (the order
        of ``polygamma``); ``"number"`` when it must be a real number (Bessel orders);
        ``"branch"`` when it must be 0 or -1 (``LambertW``'s branch, second argument).
    restricted
        Whether its real domain is not all of R: a call on a variable argument is a
        domain guard of the component (see :attr:`jacobi.lang.parse.Component.guards`).
    """

    low: int
    high: int | None
    build: Builder
    depth: int = 1
    usage: str = ""
    order: str = ""
    restricted: bool = False


def _call(f: Any) -> Builder:
    def apply(a: list[Expr]) -> Expr:
        return f(*a)

    return apply


def _sigmoid(a: list[Expr]) -> Expr:
    return sympy.Pow(1 + sympy.exp(-a[0]), -1)


def _softplus(a: list[Expr]) -> Expr:
    return sympy.log(1 + sympy.exp(a[0]))


def _relu(a: list[Expr]) -> Expr:
    return sympy.Max(0, a[0])


def _diff(a: list[Expr]) -> Expr:
    """``diff(f, x)``: the derivative, built unevaluated and then evaluated.

    The parser checks that ``x`` is a name (:meth:`jacobi.lang.build.ExprBuilder.derivative`)
    and, when asked to keep derivatives (reading back a step of a derivation), keeps
    ``Derivative(f, x)`` as it is.
    """
    return sympy.Derivative(a[0], a[1], evaluate=False).doit()


_ONE_ARGUMENT = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "asec": sympy.asec, "acsc": sympy.acsc, "acot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "sech": sympy.sech, "csch": sympy.csch, "coth": sympy.coth,
    "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "asech": sympy.asech, "acsch": sympy.acsch, "acoth": sympy.acoth,
    "exp": sympy.exp, "sqrt": sympy.sqrt, "abs": sympy.Abs, "sign": sympy.sign,
    "erf": sympy.erf, "erfc": sympy.erfc, "erfinv": sympy.erfinv, "erfcinv": sympy.erfcinv,
    "re": sympy.re, "im": sympy.im,
    "gamma": sympy.gamma, "loggamma": sympy.loggamma, "digamma": sympy.digamma,
    "Ei": sympy.Ei, "Si": sympy.Si, "Ci": sympy.Ci, "li": sympy.li,
}  # fmt: skip


_RESTRICTED = (
    "log", "sqrt", "asin", "acos", "acosh", "atanh", "acot", "acsc", "asec",
    "loggamma", "gamma", "digamma", "polygamma", "LambertW", "erfinv", "erfcinv", "li", "Ci",
)  # fmt: skip


def _bessel(name: str, f: Any) -> Function:
    """A Bessel function ``name(nu, x)`` of a number order ``nu``."""
    return Function(2, 2, _call(f), usage=f"{name}(nu, x) with a number nu", order="number")


def _canonical_table() -> dict[str, Function]:
    table = {name: Function(1, 1, _call(f)) for name, f in _ONE_ARGUMENT.items()}
    table.update(
        {
            "log": Function(1, 2, _call(sympy.log), usage="log(x) or log(x, base)"),
            "atan2": Function(2, 2, _call(sympy.atan2), usage="atan2(y, x)"),
            "heaviside": Function(1, 2, _call(sympy.Heaviside)),
            "DiracDelta": Function(1, 2, _call(sympy.DiracDelta)),
            "max": Function(2, None, _call(sympy.Max)),
            "min": Function(2, None, _call(sympy.Min)),
            "sigmoid": Function(1, 1, _sigmoid, depth=4),
            "softplus": Function(1, 1, _softplus, depth=3),
            "relu": Function(1, 1, _relu),
            "diff": Function(2, 2, _diff, usage="diff(f, x) with a variable name x"),
            "polygamma": Function(
                2, 2, _call(sympy.polygamma), usage="polygamma(n, x), n = 0, 1, 2, ...",
                order="natural",
            ),
            "besselj": _bessel("besselj", sympy.besselj),
            "bessely": _bessel("bessely", sympy.bessely),
            "LambertW": Function(
                1, 2, _call(sympy.LambertW), usage="LambertW(x) or LambertW(x, -1)",
                order="branch",
            ),
        }
    )  # fmt: skip
    for name in _RESTRICTED:
        table[name] = dataclasses.replace(table[name], restricted=True)
    return table


ALIASES = {
    "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "arcsec": "asec", "arccsc": "acsc", "arccot": "acot",
    "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh",
    "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh",
    "ln": "log", "Abs": "abs", "sgn": "sign", "cosec": "csc",
    "arctan2": "atan2", "Heaviside": "heaviside", "Max": "max", "Min": "min",
}  # fmt: skip
"""Other names of functions (the name SymPy prints, or a textbook spelling)."""

_CANONICAL = _canonical_table()
FUNCTIONS: dict[str, Function] = {**_CANONICAL, **{a: _CANONICAL[c] for a, c in ALIASES.items()}}
"""Every function name of the scalar language, aliases included."""

SOFT_FUNCTIONS = frozenset({"re", "im", "gamma", "Ei", "Si", "Ci", "li", "diff"})
"""Functions whose names stay usable as names (``gamma`` is a Greek letter, ``Ci`` a
concentration, ``diff`` a difference): ``gamma(x)`` is a call, a bare ``gamma`` a symbol,
and once ``gamma`` is declared a variable ``gamma(x)`` is ``gamma*x``."""

MATRIX_FUNCTIONS = {
    "transpose": 1, "tr": 1, "trace": 1, "det": 1, "inv": 1, "norm": 1, "diag": 1,
    "sum": 1, "vec": 1, "hadamard": 2, "dot": 2, "kron": 2, "commutation": 2,
}  # fmt: skip
"""Functions of the matrix language only, with their arities."""

MISSING_FUNCTIONS = {
    "log10": "write log(x, 10)",
    "log2": "write log(x, 2)",
    "log1p": "write log(1 + x)",
    "exp2": "write 2^x",
    "expm1": "write exp(x) - 1",
    "cbrt": "write x^(1/3) (defined for x >= 0)",
    "pow": "write x^y",
    "floor": "floor is not differentiable; jacobi does not support it",
    "ceil": "ceil is not differentiable; jacobi does not support it",
    "round": "round is not differentiable; jacobi does not support it",
    "mod": "mod is not supported",
    "sinc": "write sin(x)/x",
    "factorial": "factorial is not supported; write gamma(x + 1)",
    "zeta": "zeta is not supported: SymPy cannot differentiate it",
    "beta": "write gamma(a)*gamma(b)/gamma(a + b) for the beta function",
}
"""Functions users reach for that jacobi lacks, with what to write instead."""

_REWRITES = {
    "csch": "1/sinh(u)", "coth": "cosh(u)/sinh(u)", "sech": "1/cosh(u)",
    "asec": "acos(1/u)", "acsc": "asin(1/u)", "erfc": "1 - erf(u)",
    "relu": "(u + abs(u))/2", "sec": "1/cos(u)", "csc": "1/sin(u)", "cot": "cos(u)/sin(u)",
}  # fmt: skip

_LOG_BASE_RE = re.compile(r"log_?([0-9]+)\Z")


def canonical(name: str) -> str:
    """The canonical name of a function or alias (``arcsin`` → ``asin``); others unchanged.

    >>> canonical("arctan"), canonical("sgn"), canonical("sin"), canonical("x")
    ('atan', 'sign', 'sin', 'x')
    """
    return ALIASES.get(name, name)


def unknown_function_hint(name: str, matrix: Collection[str] | None = None) -> str:
    """What to tell a user who wrote ``name(...)`` for a function jacobi does not know.

    Parameters
    ----------
    name
        The name written before ``(``.
    matrix
        For the matrix language (``mjac``): the function names it has.

    Examples
    --------
    >>> unknown_function_hint("log_2")
    'write log(x, 2)'
    >>> unknown_function_hint("Sin")
    'function names are lower case: sin(...)'
    >>> unknown_function_hint("sinn")
    'did you mean sin(...) or sinh(...)? Or for a product write sinn*(...)'
    >>> unknown_function_hint("det")
    'det is a matrix function: use jacobi mjac'
    >>> unknown_function_hint("csch", matrix={"sinh", "cosh"})
    'matrix expressions do not have csch; write 1/sinh(u)'
    """
    known = set(FUNCTIONS)
    if matrix is not None:
        if name in FUNCTIONS:
            rewrite = _REWRITES.get(canonical(name))
            if rewrite is not None:
                return f"matrix expressions do not have {name}; write {rewrite}"
            return f"{name} exists only in scalar expressions (jacobi jac)"
        known = set(matrix)
    elif name in MATRIX_FUNCTIONS:
        return f"{name} is a matrix function: use jacobi mjac"
    hint = MISSING_FUNCTIONS.get(name)
    if hint is not None:
        return hint
    m = _LOG_BASE_RE.match(name)
    if m is not None:
        return f"write log(x, {int(m.group(1))})"
    if name.lower() != name and name.lower() in known:
        return f"function names are lower case: {name.lower()}(...)"
    close = difflib.get_close_matches(name, sorted(known), n=2, cutoff=0.75)
    product = f"for a product write {name}*(...)"
    if close:
        return f"did you mean {' or '.join(c + '(...)' for c in close)}? Or {product}"
    return f"{product}; the functions are listed in the documentation"


_TRIG = {
    "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc", "acot",
    "sinh", "cosh", "tanh", "sech", "csch", "coth",
    "asinh", "acosh", "atanh", "asech", "acsch", "acoth",
}  # fmt: skip
GLUE_FUNCTIONS = tuple(
    sorted(
        {n for n in FUNCTIONS if canonical(n) in _TRIG}
        | {"exp", "log", "ln", "sqrt", "abs", "erf"},
        key=lambda n: (-len(n), n),
    )
)
"""Functions written before a name without parentheses in textbooks (``sin x``): glued to
a name (``sinx``) they are most likely a mistake. Longest first, so ``sinhx`` is
``sinh(x)``."""
_GREEK_NAMES = "|".join(sorted({n.lower() for n in GREEK.values()}, key=len, reverse=True))
_GLUE_REST_RE = re.compile(rf"(?:[A-Za-z]|{_GREEK_NAMES})(?:_?[0-9]+)?\Z")


def glued(name: str) -> str | None:
    """``sin(x)`` for ``sinx``: the call a name probably meant, or ``None``.

    A name is glued when it is a function of :data:`GLUE_FUNCTIONS` followed by a
    one-letter name or a Greek letter's name, optionally with digits (``cosx1``,
    ``sintheta``).

    >>> glued("sinx"), glued("costheta"), glued("expx_2"), glued("sinh"), glued("sine")
    ('sin(x)', 'cos(theta)', 'exp(x_2)', None, 'sin(e)')
    >>> glued("x1"), glued("alpha"), glued("sinxy")
    (None, None, None)
    """
    if name in FUNCTIONS:
        return None
    for f in GLUE_FUNCTIONS:
        if name.startswith(f) and _GLUE_REST_RE.match(name, len(f)):
            return f"{f}({name[len(f) :]})"
    return None
