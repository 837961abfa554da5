"""Read jacobi's expression language into SymPy objects, without ever evaluating text.

User text is never passed to ``eval``, ``exec``, ``sympify`` or ``parse_expr``. It goes
through this module's own tokenizer and an operator-precedence (shunting-yard) parser,
and the SymPy objects are built here from Python ints and validated names.

The language
------------
* Components are separated by top-level commas or newlines; the whole list may be
  wrapped in ``[...]``, or in ``(...)`` when that holds a top-level comma.
* Numbers are exact: ``0.1`` is ``1/10``, ``2.5E+4`` is ``25000``.
* ``+ - * /``, powers ``^`` or ``**`` (right-associative, tighter than unary minus:
  ``-x^2`` is ``-(x**2)``, ``2^-1`` is ``1/2``), parentheses, unary signs.
* Implicit multiplication binds like ``*``: ``2x``, ``2(x+1)``, ``x y``, ``2 sin(x)``.
  A number may not follow another factor without an operator (``2 3``, ``x 2``).
* Names are ASCII identifiers (``x1``, ``alpha_2``); Greek letters are spelled out
  (``θ`` is ``theta``). ``pi`` and ``e`` are constants unless listed in ``variables``.
  Every other name is a real symbol, including ``E``, ``I``, ``N``, ``S``, ``beta``.
* ``name(`` is a call for the functions in :data:`FUNCTIONS` (the shared
  :mod:`jacobi.lexicon`). Any other name of two or more characters written directly
  before ``(`` is an error with a hint (``gamma2(x)``, ``log_2(x)``), never a silent
  product; ``pi``, ``e``, declared names, names followed by a blank (``ab (x+1)``)
  and one-letter names that also occur on their own (``x(1+x)``) stay products, while
  a one-letter name that only ever precedes ``(`` (``f(x)``) is an error. A declared
  ``gamma`` (or another name of :data:`SOFT_FUNCTIONS`) is a variable, so ``gamma(x)``
  is then ``gamma*x``.
* A function glued to a one-letter or Greek name (``sinx``, ``costheta``) is an error
  with the hint ``did you mean sin(x)?``, unless the name is declared.
* Constants must be real: ``acos(2)``, ``log(-1)``, ``(-8)^(1/3)`` are refused, and so
  are ``(-2)^x`` (a negative number to a variable power) and ``0^x``.
* ``#`` starts a comment running to the end of the line.

Columns in errors are 0-based offsets into the text the user gave (before Unicode
normalisation).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import sympy

from jacobi.errors import LimitError, ParseError
from jacobi.lang import lexicon
from jacobi.lang.lexicon import MAX_DEPTH, MAX_INPUT_CHARS, MAX_LITERAL_DIGITS, MAX_ROOT_DIGITS

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_INPUT_CHARS",
    "MAX_LITERAL_DIGITS",
    "MAX_RESULT_DIGITS",
    "MAX_ROOT_DIGITS",
    "MAX_SYMBOLIC_EXPONENT",
    "SOFT_FUNCTIONS",
    "Component",
    "parse_assignments",
    "parse_components",
    "parse_expression",
    "parse_matrix",
    "parse_name_list",
    "parse_point",
    "symbol",
]

MAX_RESULT_DIGITS = 10_000
"""Largest exact number that arithmetic on literals may produce, in digits."""
MAX_SYMBOLIC_EXPONENT = 100_000
"""Largest ``|n|`` accepted in ``expr^n`` when ``expr`` is not a plain rational."""
_LOG10_MAX_RESULT = math.log10(MAX_RESULT_DIGITS)
_PAIRWISE_FACTORS = 16  # longer product chains are multiplied in one flat Mul

Expr = Any  # sympy is untyped; this alias documents intent.
T = TypeVar("T")


@dataclass(frozen=True)
class Component:
    """One component of a parsed function.

    Attributes
    ----------
    expr
        The parsed expression.
    text
        The component's source exactly as typed, without surrounding blanks.
    start
        0-based column of ``text`` in the original input.
    """

    expr: Expr
    text: str
    start: int
    #: Pieces with a restricted real domain that SymPy simplified away while the
    #: expression was built (``log(x)`` in ``exp(log(x))``, which SymPy makes ``x``):
    #: the function is defined only where these are.
    guards: tuple[Expr, ...] = ()


#: Most domain guards kept for one component.
MAX_GUARDS = 100
#: Functions whose real domain is not all of R (their argument is a guard).
_RESTRICTED = frozenset(
    (
        "log", "ln", "sqrt", "asin", "acos", "acosh", "atanh", "acot", "acsc", "asec",
        "loggamma", "gamma", "digamma", "polygamma", "LambertW", "erfinv", "erfcinv", "li", "Ci",
    )
)  # fmt: skip


# --------------------------------------------------------------------------- symbols

_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SYMBOLS: dict[str, Any] = {}


def symbol(name: str) -> sympy.Symbol:
    """Return the real SymPy symbol called ``name``; the one way jacobi makes symbols.

    Parameters
    ----------
    name
        An ASCII identifier (letters, digits, underscores; not starting with a digit).

    Returns
    -------
    sympy.Symbol
        ``Symbol(name, real=True)``, cached so equal names give the same object.

    Raises
    ------
    ValueError
        If ``name`` is not an identifier.

    Examples
    --------
    >>> symbol("theta").is_real
    True
    >>> symbol("x") is symbol("x")
    True
    """
    sym = _SYMBOLS.get(name)
    if sym is None:
        if not _IDENT_RE.match(name):
            raise ValueError(f"not a valid jacobi name: {name!r}")
        sym = _SYMBOLS[name] = sympy.Symbol(name, real=True)
    return sym


# --------------------------------------------------------------------------- functions


FUNCTIONS = {name: (f.low, f.high, f.build) for name, f in lexicon.FUNCTIONS.items()}
"""Known function names -> (minimum arity, maximum arity or None, builder); see
:mod:`jacobi.lexicon`, which both expression languages share."""

SOFT_FUNCTIONS = lexicon.SOFT_FUNCTIONS
"""Functions whose names stay usable as variables: ``gamma(...)`` is a call, a bare
``gamma`` is a symbol, and a declared variable ``gamma`` makes ``gamma(x)`` a product."""

_UNDEFINED = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
_HUGE = 10**300

# --------------------------------------------------------------------------- unicode

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "ⁿ": "n",
}  # fmt: skip
_SUPER_RUN_RE = re.compile(r"[-+]?(?:[0-9]+n?|n)\Z")
_GREEK = lexicon.GREEK
_OPERATORS = lexicon.OPERATORS
_CHAR_HINTS = {
    ".": "'.' may only appear inside a number such as 0.5",
    "'": "jacobi expressions contain no strings",
    '"': "jacobi expressions contain no strings",
    "!": "factorials are not supported",
    "|": "write abs(x) for an absolute value",
    "{": "use ( ) for grouping",
    "}": "use ( ) for grouping",
    ":": "jacobi expressions have no ':'",
    "√": "write sqrt(x)",
    "%": "the modulo operator is not supported",
}


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text``; return it with a map from each character to its source column.

    Superscript runs become ``^(...)`` (before NFKC, which would turn ``²`` into ``2``),
    every other character is NFKC-normalised, Greek letters are spelled out as separate
    names (``2πr`` -> ``2 pi r``; ``θ1`` -> ``theta1``), and Unicode operators map to
    ASCII. The map is ``None`` for ASCII input, which is returned unchanged.
    """
    if text.isascii():
        return text, None
    out: list[str] = []
    cols: list[int] = []
    last = ""
    after_greek = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c < "\x80":
            if after_greek and c.isalpha():
                out.append(" ")
                cols.append(i)
            after_greek = False
            out.append(c)
            cols.append(i)
            last = c
            i += 1
            continue
        if c in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            run = "".join(_SUPERSCRIPTS[ch] for ch in text[i:j])
            if not _SUPER_RUN_RE.match(run):
                raise ParseError(
                    f"superscript '{text[i:j]}' is not a power",
                    source=text,
                    column=i,
                    hint="a superscript power needs digits, e.g. x² or x⁻¹",
                )
            out.append("^(" + run + ")")
            cols.extend([i, i, *range(i, j), j - 1])
            last, after_greek, i = ")", False, j
            continue
        decomposition = unicodedata.decomposition(c)
        norm = unicodedata.normalize("NFKC", c)
        if decomposition.startswith(("<super>", "<sub>")) and not (
            decomposition.startswith("<sub>") and norm.isascii() and norm.isalnum()
        ):
            kind = "superscript" if decomposition.startswith("<super>") else "subscript"
            raise ParseError(
                f"unsupported {kind} character '{c}' (U+{ord(c):04X})",
                source=text,
                column=i,
                hint="superscripts may only be digits, ⁻, ⁺ or ⁿ; subscripts only digits/letters",
            )
        for ch in norm:
            name = _GREEK.get(ch)
            if name is not None:
                if last.isascii() and last.isalnum():
                    out.append(" ")
                    cols.append(i)
                out.append(name)
                cols.extend([i] * len(name))
                last, after_greek = name[-1], True
                continue
            ch = _OPERATORS.get(ch, ch)
            if after_greek and ch.isascii() and ch.isalpha():
                out.append(" ")
                cols.append(i)
            after_greek = False
            out.append(ch)
            cols.append(i)
            last = ch
        i += 1
    return "".join(out), cols


# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
      (?P<ws>[ \t\r\f\v]+)
    | (?P<nl>\n)
    | (?P<comment>\#[^\n]*)
    | (?P<num>[0-9]+\.?[0-9]*|\.[0-9]+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\*\*|[-+*/^(),\[\];=])
    """,
    re.VERBOSE,
)
_EXP_RE = re.compile(r"[eE]([+-]?)([0-9]+)")
_NAME_CHAR_RE = re.compile(r"[A-Za-z0-9_]")

Token = tuple[str, Any, int, int]  # kind, value, start, end (normalised positions)

_BINARY_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}
_UNARY_PREC = 3


def _fmt_digits(log10_digits: float) -> str:
    """``about N`` for a digit count given as its base-10 logarithm."""
    if log10_digits < 15:
        digits = 10**log10_digits
        scale = 10 ** max(0, int(math.floor(math.log10(max(digits, 1)))) - 1)
        return f"{int(round(digits / scale)) * scale:,}"
    return f"10^{int(log10_digits)}"


def _log10_abs(n: int) -> float:
    n = abs(n)
    return math.log10(n) if n > 1 else 0.0


def _num_size(e: Expr) -> float:
    """Digits of the exact rational numbers at the top of ``e`` (coefficient-wise)."""
    if e.is_Rational:
        return _log10_abs(e.p) + _log10_abs(e.q)
    if e.is_Mul:
        c = e.args[0]
        return _num_size(c) if c.is_Rational else 0.0
    if e.is_Add:
        return max(_num_size(t) for t in e.args)
    return 0.0


def _root_size(e: Expr) -> float:
    """Digits of the rational radicands (``2`` in ``sqrt(2)``) that multiply ``e``."""
    if e.is_Pow:
        b, x = e.args
        if b.is_Rational and x.is_Rational and not x.is_Integer:
            return _num_size(b)
        return 0.0
    if e.is_Mul:
        return sum(_root_size(a) for a in e.args if a.is_Pow)
    return 0.0


def _pow_digits(base: Expr) -> float:
    """Digits per unit exponent of the numbers SymPy computes when raising ``base``."""
    if base.is_Rational:
        return _log10_abs(base.p) + _log10_abs(base.q)
    if base.is_Mul:
        return sum(_pow_digits(a) for a in base.args)
    if base.is_Pow:
        b, x = base.args
        if x.is_Rational:
            return abs(float(x)) * _pow_digits(b) if abs(x.p) < _HUGE else math.inf
    return 0.0


def _short(e: Expr) -> str:
    """A short text for a number or expression in a message."""
    if _num_size(e) > 40 or _root_size(e) > 40:
        if e.is_Integer:
            return f"(a {int(_log10_abs(e.p)) + 1:,}-digit number)"
        return "(a huge number)"
    for nodes, _ in enumerate(sympy.preorder_traversal(e)):
        if nodes >= 30:
            return "(a long expression)"
    try:
        text = str(e)
    except ValueError:  # an integer beyond Python's int-to-str limit
        return "(a huge number)"
    if len(text) > 40:
        return "(a long expression)"
    if e.is_Atom and not (e.is_Rational and (e.q != 1 or e.p < 0)):
        return text
    return f"({text})"


class _Op:
    """An entry of the operator stack."""

    __slots__ = ("args", "kind", "op", "prec", "tok", "weight")

    def __init__(self, kind: str, op: str, prec: int, tok: int) -> None:
        self.kind = kind  # "bin", "unary", "paren" or "call"
        self.op = op  # operator symbol, or the function name for calls
        self.prec = prec
        self.tok = tok  # token index (for errors)
        self.args: list[Expr] = []
        self.weight = 1  # nesting levels this entry counts for


class _Sum:
    """A chain of additions, summed in one flat ``Add`` (linear, not quadratic)."""

    __slots__ = ("terms",)

    def __init__(self, first: Expr) -> None:
        self.terms = [first]


class _Prod:
    """A chain of products: pairwise like Python for short chains, then flat."""

    __slots__ = ("count", "rest", "rest_roots", "rest_size", "value")

    def __init__(self, first: Expr) -> None:
        self.value = first
        self.count = 1
        self.rest: list[Expr] = []
        self.rest_size = 0.0
        self.rest_roots = 0.0


class _Parser:
    """Tokenizer plus shunting-yard parser over one input text."""

    def __init__(self, source: str, variables: Collection[str]) -> None:
        if not isinstance(source, str):
            raise TypeError(f"expected text, got {type(source).__name__}")
        if len(source) > MAX_INPUT_CHARS:
            raise LimitError(
                f"the input is {len(source):,} characters long; "
                f"jacobi accepts at most {MAX_INPUT_CHARS:,}"
            )
        self.source = source
        self.norm, self.cols = _prepare(source)
        self.declared = frozenset(variables)
        self.constants: dict[str, Expr] = {}
        if "pi" not in variables:
            self.constants["pi"] = sympy.pi
        if "e" not in variables:
            self.constants["e"] = sympy.E
        self.toks = self._tokenize()
        self.i = 0
        #: Domain guards of the component being parsed (see :attr:`Component.guards`).
        self.guards: list[Expr] = []
        #: The guards of each component, by its first token.
        self.component_guards: dict[int, list[Expr]] = {}
        self.depth = 0

    # ---------------------------------------------------------------- positions

    def col(self, pos: int) -> int:
        """Source column of normalised position ``pos``."""
        if self.cols is None:
            return pos
        return self.cols[pos] if pos < len(self.cols) else len(self.source)

    def col_end(self, pos: int) -> int:
        """Source column just after normalised end position ``pos``."""
        if self.cols is None or pos == 0:
            return pos
        return self.cols[pos - 1] + 1

    def tok_col(self, index: int) -> int:
        return self.col(self.toks[index][2])

    def tok_text(self, index: int) -> str:
        _, _, start, end = self.toks[index]
        return self.source[self.col(start) : self.col_end(end)]

    def span(self, first: int, stop: int) -> tuple[str, int]:
        """Source text and start column of tokens ``first`` .. ``stop - 1``."""
        start = self.tok_col(first)
        end = self.col_end(self.toks[stop - 1][3])
        return self.source[start:end], start

    def fail(self, message: str, column: int, hint: str | None = None) -> NoReturn:
        raise ParseError(message, source=self.source, column=column, hint=hint)

    def fail_at(self, message: str, index: int, hint: str | None = None) -> NoReturn:
        self.fail(message, self.tok_col(index), hint)

    def limit_at(self, message: str, index: int, hint: str | None = None) -> NoReturn:
        raise LimitError(message, source=self.source, column=self.tok_col(index), hint=hint)

    # ---------------------------------------------------------------- tokenizer

    def _tokenize(self) -> list[Token]:
        norm = self.norm
        n = len(norm)
        toks: list[Token] = []
        append = toks.append
        match = _TOKEN_RE.match
        pos = 0
        while pos < n:
            m = match(norm, pos)
            if m is None:
                self._bad_char(pos)
            kind = m.lastgroup
            end = m.end()
            if kind == "name":
                append(("name", m.group(), pos, end))
            elif kind == "op":
                text = m.group()
                append(("op", "^" if text == "**" else text, pos, end))
            elif kind == "num":
                value, end = self._number(pos, end)
                append(("num", value, pos, end))
            elif kind == "nl":
                append(("nl", "\n", pos, end))
            pos = end
        append(("eof", "", n, n))
        append(("eof", "", n, n))  # one extra so that lookahead never runs off the end
        return toks

    def _bad_char(self, pos: int) -> NoReturn:
        column = self.col(pos)
        c = self.source[column]
        if c.isprintable() and not c.isspace():
            shown = (f"'{c}'" if c != "'" else '"\'"') + (
                "" if c.isascii() else f" (U+{ord(c):04X})"
            )
        else:
            shown = f"U+{ord(c):04X}"
        self.fail(f"unknown character {shown}", column, _CHAR_HINTS.get(c))

    def _number(self, start: int, end: int) -> tuple[Expr, int]:
        norm = self.norm
        mantissa = norm[start:end]
        int_part, _, frac = mantissa.partition(".")
        n_digits = len(int_part) + len(frac)
        if n_digits > MAX_LITERAL_DIGITS:
            raise LimitError(
                f"a number with {n_digits:,} digits; jacobi accepts at most "
                f"{MAX_LITERAL_DIGITS:,} digits in one number",
                source=self.source,
                column=self.col(start),
            )
        exponent = 0
        m = _EXP_RE.match(norm, end)
        if m is not None:
            digits = m.group(2).lstrip("0")
            if len(digits) > 4 or (digits and int(digits) > MAX_LITERAL_DIGITS):
                raise LimitError(
                    f"the exponent in '{norm[start : m.end()][:40]}' is too large; "
                    f"jacobi accepts exponents up to e{MAX_LITERAL_DIGITS}",
                    source=self.source,
                    column=self.col(start),
                )
            exponent = int(digits or "0") * (-1 if m.group(1) == "-" else 1)
            end = m.end()
        elif end < len(norm) and norm[end] in "eE":
            after = norm[end + 1 : end + 2]
            if after in ("+", "-", "") or not _NAME_CHAR_RE.match(after):
                shown = norm[start : end + 1] + (after if after in "+-" else "")
                self.fail(
                    f"expected digits after '{shown}'",
                    self.col(start),
                    f"write {mantissa}*e to multiply by the constant e",
                )
        if (
            mantissa == "0"
            and norm[end : end + 1] in ("x", "X", "b", "B", "o", "O")
            and norm[end + 1 : end + 2].isdigit()
        ):
            self.fail(
                f"'{norm[start : end + 2]}…' looks like a hexadecimal, binary or octal number",
                self.col(start),
                "jacobi numbers are decimal; write 0*name if you mean a product",
            )
        if norm[end : end + 1] in ("j", "J") and not _NAME_CHAR_RE.match(norm[end + 1 : end + 2]):
            self.fail(
                f"'{norm[start : end + 1]}' looks like a complex number",
                self.col(start),
                f"jacobi works over the reals; write {mantissa}*j for a product with a variable j",
            )
        if end < len(norm) and norm[end] in "._":
            self.fail(
                f"malformed number '{norm[start : end + 1]}'",
                self.col(start),
                "digit separators are not supported" if norm[end] == "_" else None,
            )
        scale = exponent - len(frac)
        p = int(int_part + frac or "0")
        if scale >= 0:
            return sympy.Integer(p * 10**scale), end
        return sympy.Rational(p, 10**-scale), end

    # ---------------------------------------------------------------- helpers

    def peek(self) -> Token:
        return self.toks[self.i]

    def at_op(self, op: str) -> bool:
        kind, value, _, _ = self.toks[self.i]
        return kind == "op" and value == op

    def skip_newlines(self) -> bool:
        skipped = False
        while self.toks[self.i][0] == "nl":
            self.i += 1
            skipped = True
        return skipped

    def prev_significant(self, floor: int) -> int | None:
        """Index of the last non-newline token before ``self.i`` (not before ``floor``)."""
        j = self.i - 1
        while j >= floor and self.toks[j][0] == "nl":
            j -= 1
        return j if j >= floor else None

    def describe(self, index: int) -> str:
        kind = self.toks[index][0]
        if kind == "eof":
            return "the end of the input"
        if kind == "nl":
            return "the end of the line"
        return f"'{self.tok_text(index)}'"

    def unexpected(self, index: int) -> NoReturn:
        kind, value, _, _ = self.toks[index]
        if kind == "op" and value == "=":
            self.fail_at("'=' is not allowed in an expression", index)
        if kind == "op" and value == ";":
            self.fail_at("unexpected ';'", index, "separate components with ',' or a newline")
        if kind == "op" and value in "[]":
            self.fail_at(
                f"unexpected '{value}'",
                index,
                "square brackets may only wrap the whole list; use ( ) for grouping",
            )
        self.fail_at(f"unexpected {self.describe(index)}", index)

    def check_depth(self, index: int, weight: int = 1) -> None:
        self.depth += weight
        if self.depth > MAX_DEPTH:
            self.limit_at(
                f"the expression is nested more than {MAX_DEPTH} levels deep",
                index,
                "nesting counts parentheses, function calls, signs and chained powers",
            )

    def name_value(self, name: str, index: int) -> Expr:
        constant = self.constants.get(name)
        if constant is not None:
            return constant
        if name.startswith("__"):
            self.fail_at(
                f"the name '{name}' is not allowed", index, "names may not start with '__'"
            )
        if name not in self.declared:
            meant = lexicon.glued(name)
            if meant is not None:
                self.fail_at(
                    f"'{name}' is one name, not {meant}",
                    index,
                    f"write {meant}; to use {name} as a name, declare it a variable (--vars)",
                )
        return symbol(name)

    # ---------------------------------------------------------------- arithmetic

    def finish(self, v: Any, index: int) -> Expr:
        if isinstance(v, _Sum):
            return self.add(v.terms, index)
        if isinstance(v, _Prod):
            if not v.rest:
                return v.value
            self.check_product(_num_size(v.value) + v.rest_size, index)
            self.check_roots(_root_size(v.value) + v.rest_roots, index)
            return sympy.Mul(v.value, *v.rest)
        return v

    def add(self, terms: list[Expr], index: int) -> Expr:
        numerators = 0.0
        denominators: set[int] = set()
        for t in terms:
            c = t if t.is_Rational else (t.args[0] if t.is_Mul else None)
            if c is not None and c.is_Rational:
                numerators = max(numerators, _log10_abs(c.p))
                if c.q != 1:
                    denominators.add(c.q)
        size = numerators + sum(_log10_abs(q) for q in denominators)
        if size > MAX_RESULT_DIGITS:
            self.limit_at(
                f"adding these fractions would give a number with about "
                f"{_fmt_digits(math.log10(size))} digits; jacobi refuses numbers over "
                f"{MAX_RESULT_DIGITS:,} digits",
                index,
            )
        return sympy.Add(*terms)

    def check_product(self, size: float, index: int) -> None:
        if size > MAX_RESULT_DIGITS:
            self.limit_at(
                f"multiplying these numbers would give about {_fmt_digits(math.log10(size))}"
                f" digits; jacobi refuses numbers over {MAX_RESULT_DIGITS:,} digits",
                index,
            )

    def check_roots(self, size: float, index: int) -> None:
        if size > MAX_ROOT_DIGITS:
            self.limit_at(
                f"this needs the exact root of a number with about {_fmt_digits(math.log10(size))}"
                f" digits; jacobi refuses roots of numbers over {MAX_ROOT_DIGITS} digits",
                index,
            )

    def multiply(self, a: Any, b: Expr, divide: bool, index: int) -> _Prod:
        prod = a if isinstance(a, _Prod) else _Prod(self.finish(a, index))
        if divide and b is sympy.S.Zero:
            self.fail_at("division by zero", index)
        if divide and b.free_symbols:
            self.guard(sympy.Pow(b, -1, evaluate=False))
        if prod.count < _PAIRWISE_FACTORS:
            self.check_product(_num_size(prod.value) + _num_size(b), index)
            self.check_roots(_root_size(prod.value) + _root_size(b), index)
            prod.value = prod.value / b if divide else prod.value * b
        else:
            prod.rest_size += _num_size(b)
            prod.rest_roots += _root_size(b)
            self.check_product(prod.rest_size, index)
            prod.rest.append(sympy.Pow(b, -1) if divide else b)
        prod.count += 1
        return prod

    def power(self, base: Expr, exp: Expr, index: int) -> Expr:
        if exp.free_symbols and not base.free_symbols:
            shown = f"{_short(base)}**{_short(exp)}"
            if base.is_zero:
                self.fail_at(
                    f"{shown} is 0 where the exponent is positive and undefined elsewhere",
                    index,
                    "write 0 if the exponent is known to be positive",
                )
            if base.is_extended_negative:
                self.fail_at(
                    f"{shown} is not a real number: a negative number to a variable power",
                    index,
                    f"jacobi works over the reals: write {_short(-base)}**{_short(exp)} or "
                    f"-({_short(-base)}**{_short(exp)}), whichever you mean",
                )
        if exp.is_Rational and exp.p != 0:
            m, q = abs(exp.p), exp.q
            if base is sympy.S.Zero and exp.p < 0:
                self.fail_at("division by zero (0 to a negative power)", index)
            if not base.is_Rational and m > MAX_SYMBOLIC_EXPONENT * q:
                self.limit_at(
                    f"the exponent {_short(exp)} is too large; jacobi refuses exponents over "
                    f"{MAX_SYMBOLIC_EXPONENT:,}",
                    index,
                )
            per_unit = _pow_digits(base)
            if per_unit > 0:
                log10_digits = _log10_abs(m) - _log10_abs(q) + math.log10(per_unit)
                if log10_digits > _LOG10_MAX_RESULT:
                    what = f"the number {_short(base)}**{_short(exp)}"
                    if not base.is_Rational:
                        what = f"{_short(base)}**{_short(exp)}"
                    self.limit_at(
                        f"{what} would have about {_fmt_digits(log10_digits)} digits; "
                        f"jacobi refuses numbers over {MAX_RESULT_DIGITS:,} digits",
                        index,
                    )
            if q != 1:
                if base.is_Rational and base.p < 0:
                    hint = "a negative number has no real even root"
                    if q % 2:
                        sign = "-" if exp.p % 2 else ""
                        hint = f"for the real root write {sign}({_short(-base)}**{_short(exp)})"
                    self.fail_at(f"{_short(base)}**{_short(exp)} is not a real number", index, hint)
                coefficient = _num_size(base) if base.is_Rational or base.is_Mul else 0.0
                self.check_roots(coefficient + _root_size(base), index)
        result = sympy.Pow(base, exp)
        if base.free_symbols and not (exp.is_Integer and exp >= 0):
            self.guard(sympy.Pow(base, exp, evaluate=False))
        if result in _UNDEFINED:
            self.fail_at(f"{_short(base)}**{_short(exp)} is undefined", index)
        if not result.free_symbols and (result.has(sympy.I) or lexicon.not_real(result)):
            self.fail_at(
                f"{_short(base)}**{_short(exp)} is not a real number",
                index,
                "jacobi works over the reals: every value must be a real number",
            )
        return result

    def call(self, op: _Op) -> Expr:
        name, args = op.op, op.args
        low, high, build = FUNCTIONS[name]
        spec = lexicon.FUNCTIONS.get(name)
        usage = spec.usage if spec is not None and spec.usage else None
        if len(args) < low or (high is not None and len(args) > high):
            if high is None:
                wanted = f"at least {low} arguments"
            elif low == high:
                wanted = f"{low} argument" + ("s" if low > 1 else "")
            else:
                wanted = f"{low} or {high} arguments"
            self.fail_at(
                f"{name} expects {wanted}, got {len(args)}",
                op.tok,
                f"write {usage}" if usage else None,
            )
        if spec is not None and spec.order:
            self.check_order(name, spec.order, args, op.tok, usage or "")
        for arg in args:
            if max(_num_size(arg), _root_size(arg)) > MAX_ROOT_DIGITS and not arg.free_symbols:
                self.limit_at(
                    f"a number over {MAX_ROOT_DIGITS} digits inside {name}(...); "
                    f"jacobi refuses such arguments",
                    op.tok,
                )
        try:
            result = build(args)
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.fail_at(f"invalid arguments for {name}: {str(exc)[:200]}", op.tok)
        undefined = result in _UNDEFINED
        not_real = not undefined and (
            result.has(sympy.I) or (not result.free_symbols and lexicon.not_real(result))
        )
        if name in _RESTRICTED and any(a.free_symbols for a in args):
            self.guard(result)
        if undefined or not_real:
            text, _ = self.span(op.tok, self.i + 1)
            if len(text) > 60:
                text = f"{name}(...)"
            problem = "is not a real number" if not_real else "is undefined"
            hint = "jacobi works over the reals: every value must be a real number"
            self.fail_at(f"{text} {problem}", op.tok, hint if not_real else None)
        return result

    def check_order(self, name: str, kind: str, args: list[Expr], index: int, usage: str) -> None:
        """The order of polygamma and Bessel functions, the branch of LambertW: numbers."""
        if kind == "branch":
            if len(args) == 2 and args[1] not in (sympy.S.Zero, sympy.S.NegativeOne):
                self.fail_at(
                    f"the branch of {name} must be 0 or -1 (the real branches)",
                    index,
                    f"write {usage}",
                )
            return
        order = args[0]
        if order.free_symbols:
            self.fail_at(
                f"the order of {name} must be a number, not {_short(order)}",
                index,
                f"write {usage}; jacobi cannot differentiate with respect to the order",
            )
        if kind == "natural" and not (order.is_Integer and order >= 0):
            self.fail_at(
                f"the order of {name} must be 0, 1, 2, ..., not {_short(order)}",
                index,
                f"write {usage}",
            )
        if kind == "number" and (not order.is_Rational or abs(order) > 1000):
            self.fail_at(
                f"the order of {name} must be a rational number up to 1000, not {_short(order)}",
                index,
                f"write {usage}",
            )

    def apply(self, op: _Op, vals: list[Any]) -> None:
        if op.kind == "unary":
            v = self.finish(vals.pop(), op.tok)
            vals.append(-v if op.op == "-" else v)
            self.depth -= 1
            return
        b = self.finish(vals.pop(), op.tok)
        a = vals.pop()
        symbol_ = op.op
        if symbol_ == "+" or symbol_ == "-":
            total = a if isinstance(a, _Sum) else _Sum(self.finish(a, op.tok))
            total.terms.append(b if symbol_ == "+" else -b)
            vals.append(total)
        elif symbol_ == "^":
            vals.append(self.power(self.finish(a, op.tok), b, op.tok))
            self.depth -= 1
        else:
            vals.append(self.multiply(a, b, symbol_ == "/", op.tok))

    def reduce(self, ops: list[_Op], vals: list[Any], prec: int, right: bool) -> None:
        while ops:
            top = ops[-1]
            if top.kind == "paren" or top.kind == "call":
                return
            if top.prec > prec or (top.prec == prec and not right):
                ops.pop()
                self.apply(top, vals)
            else:
                return

    # ---------------------------------------------------------------- expressions

    def missing_operand(self, ops: list[_Op], floor: int) -> NoReturn:
        here = self.i
        kind, value, _, _ = self.toks[here]
        prev = self.prev_significant(floor)
        if prev is None:
            if kind == "op" and value in _BINARY_PREC:
                self.fail_at(f"expected an expression before '{self.tok_text(here)}'", here)
            if kind in ("eof", "nl") or (kind == "op" and value == ","):
                self.fail_at("expected an expression", here)
            self.unexpected(here)
        if kind == "eof" and any(op.kind in ("paren", "call") for op in ops):
            self.unexpected_in_group(ops)
        pkind, pvalue, _, _ = self.toks[prev]
        if pkind == "op" and pvalue == "(" and kind == "op" and value == ")":
            if ops and ops[-1].kind == "call":
                self.call(ops[-1])  # reports the arity error
            self.fail_at("empty parentheses '()'", prev, "put an expression inside")
        found = "" if kind in ("eof", "nl") else f", found {self.describe(here)}"
        self.fail_at(f"expected an expression after '{self.tok_text(prev)}'{found}", prev)

    def check_implicit_after_divide(self, ops: list[_Op]) -> None:
        """Refuse ``x/2y`` and ``1/2x``: readers split them both ways, so say which."""
        for op in reversed(ops):
            if op.kind not in ("bin", "unary") or op.prec < 2:
                return
            if op.op == "/":
                self.fail_at(
                    "ambiguous implicit product after '/'",
                    self.i,
                    "add parentheses: a/(b*c) or (a/b)*c",
                )

    def used_alone(self, name: str) -> bool:
        """Whether ``name`` occurs somewhere not directly followed by ``(``."""
        for k, (kind, text, _, end) in enumerate(self.toks):
            if kind == "name" and text == name:
                following = self.toks[k + 1] if k + 1 < len(self.toks) else None
                if following is None or following[1] != "(" or following[2] != end:
                    return True
        return False

    def check_not_a_call(self, index: int) -> None:
        """``gamma(x)``, ``log10(x)``: a name of two or more letters directly before ``(``
        is a call, so a function jacobi lacks is an error, never a silent product.

        Declared names and the constants stay products (``pi(1 + x)``); so do names
        followed by a blank (``ab (x + 1)``) unless jacobi knows a better spelling.
        """
        kind, name, _, end = self.toks[index]
        if kind != "name" or name in self.declared or name in self.constants:
            return
        if name in FUNCTIONS:
            return
        adjacent = self.toks[index + 1][2] == end
        if len(name) < 2:
            # x(1+x) is x*(1+x); but f(x), where f occurs nowhere except before "(", is a
            # function jacobi does not have (it would be read as the product f*x).
            if adjacent and not self.used_alone(name):
                self.fail_at(
                    f"unknown function '{name}'",
                    index,
                    f"jacobi has no function {name}: write the function itself, or "
                    f"{name}*(...) for a product",
                )
            return
        hint = lexicon.unknown_function_hint(name)
        specific = name in lexicon.MISSING_FUNCTIONS or not hint.startswith(
            ("for a product", "did you mean")
        )
        if adjacent or specific:
            self.fail_at(f"unknown function '{name}'", index, hint)

    def tuple_error(self, op: _Op) -> NoReturn:
        before = op.tok - 1
        if before >= 0 and self.toks[before][0] == "name":
            name = self.toks[before][1]
            self.fail_at(
                f"unknown function '{name}'",
                before,
                f"{name}(...) with one argument means {name}*(...); "
                "see the list of functions in the documentation",
            )
        self.fail_at(
            "a parenthesised list like (a, b) is not a value",
            self.i,
            "separate components only at the top level",
        )

    def expression(self) -> Expr:
        """Parse one expression at ``self.i``; stop before a token that cannot continue it."""
        toks = self.toks
        floor = self.i
        base_depth = self.depth
        ops: list[_Op] = []
        vals: list[Any] = []
        groups = 0  # open parentheses and calls
        expect_operand = True
        while True:
            kind, value, _, _ = toks[self.i]
            if expect_operand:
                if kind == "num":
                    vals.append(value)
                    self.i += 1
                    expect_operand = False
                elif kind == "name":
                    nxt = toks[self.i + 1]
                    soft = value in SOFT_FUNCTIONS
                    if (
                        value in FUNCTIONS
                        and not (soft and value in self.declared)
                        and ((nxt[0] == "op" and nxt[1] == "(") or not soft)
                    ):
                        if not (nxt[0] == "op" and nxt[1] == "("):
                            hint = None
                            if nxt[0] == "op" and nxt[1] == "^":
                                hint = f"write {value}(x)^2 for a power of {value}"
                            self.fail_at(f"{value} needs parentheses: {value}(x)", self.i, hint)
                        call = _Op("call", value, 0, self.i)
                        call.weight = lexicon.FUNCTIONS[value].depth
                        self.check_depth(self.i, call.weight)
                        ops.append(call)
                        groups += 1
                        self.i += 2
                    else:
                        if nxt[0] == "op" and nxt[1] == "(":
                            self.check_not_a_call(self.i)
                        vals.append(self.name_value(value, self.i))
                        self.i += 1
                        expect_operand = False
                elif kind == "op" and value == "(":
                    self.check_depth(self.i)
                    ops.append(_Op("paren", "(", 0, self.i))
                    groups += 1
                    self.i += 1
                elif kind == "op" and (value == "-" or value == "+"):
                    self.check_depth(self.i)
                    ops.append(_Op("unary", value, _UNARY_PREC, self.i))
                    self.i += 1
                elif kind == "nl" and groups:
                    self.i += 1
                else:
                    self.missing_operand(ops, floor)
                continue
            if kind == "op":
                if value in _BINARY_PREC:
                    prec = _BINARY_PREC[value]
                    self.reduce(ops, vals, prec, value == "^")
                    if value == "^":
                        self.check_depth(self.i)
                    ops.append(_Op("bin", value, prec, self.i))
                    self.i += 1
                    expect_operand = True
                elif value == "(":
                    self.check_not_a_call(self.i - 1)
                    self.check_implicit_after_divide(ops)
                    self.reduce(ops, vals, 2, False)
                    ops.append(_Op("bin", "*", 2, self.i))
                    expect_operand = True
                elif value == ")" or value == ",":
                    if not groups:
                        break
                    self.reduce(ops, vals, -1, False)
                    top = ops[-1]
                    if top.kind == "call":
                        top.args.append(self.finish(vals.pop(), top.tok))
                    elif value == ",":
                        self.tuple_error(top)
                    if value == ",":
                        self.i += 1
                        expect_operand = True
                        continue
                    ops.pop()
                    groups -= 1
                    self.depth -= top.weight
                    if top.kind == "call":
                        vals.append(self.call(top))
                    else:
                        vals.append(self.finish(vals.pop(), top.tok))
                    self.i += 1
                elif groups:
                    self.unexpected_in_group(ops)
                elif value == "[":
                    self.unexpected(self.i)
                else:
                    break
            elif kind == "name":
                self.check_implicit_after_divide(ops)
                self.reduce(ops, vals, 2, False)
                ops.append(_Op("bin", "*", 2, self.i))
                expect_operand = True
            elif kind == "num":
                self.fail_at(
                    f"missing operator before the number '{self.tok_text(self.i)}'",
                    self.i,
                    "write * between factors, e.g. 2*3",
                )
            elif kind == "nl" and groups:
                self.i += 1
            elif groups:
                self.unexpected_in_group(ops)
            else:
                break
        self.reduce(ops, vals, -1, False)
        self.depth = base_depth
        return self.finish(vals.pop(), max(self.i - 1, 0))

    def unexpected_in_group(self, ops: list[_Op]) -> NoReturn:
        opener = next(op for op in reversed(ops) if op.kind in ("paren", "call"))
        open_index = opener.tok + (1 if opener.kind == "call" else 0)
        kind, value, _, _ = self.toks[self.i]
        if kind == "eof":
            self.fail_at("unclosed '(' opened here", open_index, "add the missing ')'")
        if kind == "op" and value == "=":
            self.unexpected(self.i)
        self.fail_at(
            f"unexpected {self.describe(self.i)}",
            self.i,
            f"the '(' at column {self.tok_col(open_index)} is not closed",
        )

    def checked(self, expr: Expr, first: int) -> Expr:
        """Reject results that are not real numbers or undefined (``log(0)``, ``sqrt(-1)``)."""
        if expr.has(sympy.I, sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            problem = "is not real" if expr.has(sympy.I) else "is undefined"
            self.fail_at(f"this expression {problem} (it simplifies to {_short(expr)})", first)
        return expr

    # ---------------------------------------------------------------- lists

    def wrapper(self) -> str | None:
        """Consume an opening ``[`` or list-wrapping ``(``; return the closing bracket."""
        self.skip_newlines()
        if self.at_op("["):
            self.i += 1
            return "]"
        if self.at_op("(") and self.paren_wraps_list():
            self.i += 1
            return ")"
        return None

    def paren_wraps_list(self) -> bool:
        depth = 0
        comma = False
        j = self.i
        toks = self.toks
        while True:
            kind, value, _, _ = toks[j]
            if kind == "eof":
                return False
            if kind == "op":
                if value == "(":
                    depth += 1
                elif value == ")":
                    depth -= 1
                    if depth == 0:
                        break
                elif value == "," and depth == 1:
                    comma = True
            j += 1
        j += 1
        while toks[j][0] == "nl":
            j += 1
        return comma and toks[j][0] == "eof"

    def items(
        self, item: Callable[[], T], what: str = "expression", part: str = "component"
    ) -> list[tuple[T, int, int, int | None]]:
        """Parse a separated list; return (value, first token, stop token, separator)."""
        an = ("an " if what[0] in "aeiou" else "a ") + what
        opener = self.i
        closer = self.wrapper()
        if closer is not None:
            opener = self.i - 1
        self.skip_newlines()
        out: list[tuple[T, int, int, int | None]] = []
        separator: int | None = None
        while True:
            kind, value, _, _ = self.peek()
            if kind == "eof" or (closer is not None and kind == "op" and value == closer):
                if not out and separator is None:
                    self.fail_at(f"expected at least one {what}", self.i)
                if separator is not None and self.toks[separator][1] == ",":
                    self.fail_at(f"expected {an} after ','", separator, "remove the trailing comma")
                if closer is not None:
                    if kind == "eof":
                        self.fail_at(f"unclosed '{self.toks[opener][1]}' opened here", opener)
                    self.i += 1
                    self.skip_newlines()
                    if self.peek()[0] != "eof":
                        self.unexpected(self.i)
                return out
            if kind == "op" and value == ",":
                if out or separator is not None:
                    self.fail_at(f"empty {part} between commas", self.i)
                self.fail_at(f"empty {part} before ','", self.i)
            first = self.i
            result = item()
            out.append((result, first, self.i, separator))
            separator = None
            newline = self.skip_newlines()
            if self.at_op(","):
                separator = self.i
                self.i += 1
                self.skip_newlines()
            elif newline:
                separator = self.i - 1
            elif self.peek()[0] != "eof" and not (closer is not None and self.at_op(closer)):
                self.unexpected(self.i)

    def guard(self, piece: Expr) -> None:
        if len(self.guards) < MAX_GUARDS and piece not in self.guards:
            self.guards.append(piece)

    def component(self) -> Expr:
        first = self.i
        self.guards = self.component_guards.setdefault(first, [])
        return self.checked(self.expression(), first)

    def lost_guards(self, expr: Expr, first: int) -> tuple[Expr, ...]:
        """The guards of the component starting at token ``first`` that ``expr`` no longer
        shows (those it still contains are checked with it anyway)."""
        return tuple(g for g in self.component_guards.get(first, ()) if not expr.has(g))


# --------------------------------------------------------------------------- public API


def _run(text: str, variables: Collection[str], body: Callable[[_Parser], T]) -> T:
    """Build a parser for ``text`` and run ``body``; turn runaway recursion into LimitError."""
    try:
        return body(_Parser(text, variables))
    except RecursionError:
        raise LimitError(
            "the expression is too deeply nested for jacobi to handle",
            hint=f"nesting is limited to {MAX_DEPTH} levels, less for nested functions",
        ) from None
    except MemoryError:
        raise LimitError("the expression needs too much memory") from None


def parse_components(text: str, *, variables: Collection[str] = ()) -> list[Component]:
    """Parse a list of expressions (the components of a function).

    Parameters
    ----------
    text
        Components separated by top-level commas or newlines, optionally wrapped in
        ``[...]`` (or ``(...)`` when it holds a top-level comma). ``#`` starts a comment.
    variables
        Names to treat as variables; ``"e"`` or ``"pi"`` here stop them being constants.

    Returns
    -------
    list[Component]
        One per component, with its source text and start column.

    Raises
    ------
    ParseError
        Malformed input, an empty input or an empty component.
    LimitError
        Input too long, too deeply nested, or numbers too large.

    Examples
    --------
    >>> [c.expr for c in parse_components("[x*y, sin(x) + y^2]")]
    [x*y, y**2 + sin(x)]
    >>> parse_components("x, 2y")[1]
    Component(expr=2*y, text='2y', start=3, guards=())
    >>> parse_components("exp(log(x))")[0].guards  # SymPy makes it x; defined for x > 0
    (log(x),)
    """

    def body(p: _Parser) -> list[Component]:
        result = []
        for expr, first, stop, _ in p.items(p.component):
            source, start = p.span(first, stop)
            result.append(Component(expr, source, start, p.lost_guards(expr, first)))
        return result

    return _run(text, variables, body)


def parse_expression(text: str, *, variables: Collection[str] = ()) -> sympy.Expr:
    """Parse exactly one expression.

    Parameters
    ----------
    text
        The expression, e.g. ``"2x^2 + sin(y)"``.
    variables
        Names to treat as variables; ``"e"`` or ``"pi"`` here stop them being constants.

    Returns
    -------
    sympy.Expr
        The expression, with every symbol real.

    Raises
    ------
    ParseError
        Malformed input, or more than one expression.
    LimitError
        Input too long, too deeply nested, or numbers too large.

    Examples
    --------
    >>> parse_expression("2x^2 + sin(y)")
    2*x**2 + sin(y)
    >>> parse_expression("0.1 + e", variables=["e"])
    e + 1/10
    """

    def body(p: _Parser) -> Expr:
        found = p.items(p.component)
        if len(found) > 1:
            _, first, _, separator = found[1]
            where = separator if separator is not None else first
            p.fail_at(
                f"expected one expression, found {len(found)}",
                where,
                "components are separated by ',' or newlines",
            )
        return found[0][0]

    return _run(text, variables, body)


def parse_matrix(text: str, *, variables: Collection[str] = ()) -> list[list[sympy.Expr]]:
    """Parse a matrix given as nested lists or as rows separated by ``;`` or newlines.

    Parameters
    ----------
    text
        ``"[[1, 1], [y, x]]"``, a single row ``"[1, 2*x]"``, or ``"1, 1; y, x"``
        (rows separated by ``;`` or newlines, optionally inside one ``[...]``).
    variables
        Names to treat as variables (see :func:`parse_expression`).

    Returns
    -------
    list[list[sympy.Expr]]
        The rows, all of the same length.

    Raises
    ------
    ParseError
        Malformed input or rows of different lengths.

    Examples
    --------
    >>> parse_matrix("[[1, 1], [y, x]]")
    [[1, 1], [y, x]]
    >>> parse_matrix("1, 2x; 3, 4")
    [[1, 2*x], [3, 4]]
    """

    def body(p: _Parser) -> list[list[Expr]]:
        p.skip_newlines()
        rows: list[tuple[list[Expr], int]] = []
        outer = p.i
        if p.at_op("[") and _next_significant(p, p.i + 1) == ("op", "["):
            p.i += 1
            comma: int | None = None
            while True:
                p.skip_newlines()
                if not p.at_op("["):
                    if comma is not None and (p.at_op("]") or p.peek()[0] == "eof"):
                        p.fail_at("expected a row after ','", comma, "remove the trailing comma")
                    p.fail_at(
                        f"expected a row like [a, b], found {p.describe(p.i)}",
                        p.i,
                        "in a nested matrix every row is written in [ ]",
                    )
                start = p.i
                p.i += 1
                rows.append((_row(p, nested=True), start))
                p.skip_newlines()
                if p.at_op(","):
                    comma = p.i
                    p.i += 1
                    continue
                if p.at_op("]"):
                    p.i += 1
                    break
                if p.peek()[0] == "eof":
                    p.fail_at("unclosed '[' opened here", outer, "add the missing ']'")
                p.unexpected(p.i)
        else:
            bracketed = p.at_op("[")
            if bracketed:
                p.i += 1
            while True:
                p.skip_newlines()
                kind, value, _, _ = p.peek()
                if kind == "eof" or (bracketed and kind == "op" and value == "]"):
                    break
                start = p.i
                rows.append((_row(p, nested=False), start))
                if p.at_op(";"):
                    p.i += 1
                    p.skip_newlines()
                    kind, value, _, _ = p.peek()
                    if kind == "eof" or (bracketed and kind == "op" and value == "]"):
                        p.fail_at("empty row after ';'", p.i - 1, "remove the trailing ';'")
                elif p.at_op("]") and not bracketed:
                    p.unexpected(p.i)
            if bracketed:
                if p.peek()[0] == "eof":
                    p.fail_at("unclosed '[' opened here", outer, "add the missing ']'")
                p.i += 1
            if not rows:
                p.fail_at("expected at least one row", p.i)
        p.skip_newlines()
        if p.peek()[0] != "eof":
            p.unexpected(p.i)
        width = len(rows[0][0])
        for number, (row, start) in enumerate(rows[1:], start=2):
            if len(row) != width:
                p.fail_at(
                    f"rows have different lengths: row 1 has {width} "
                    f"entr{'y' if width == 1 else 'ies'} but row {number} has {len(row)}",
                    start,
                )
        return [row for row, _ in rows]

    return _run(text, variables, body)


def _next_significant(p: _Parser, j: int) -> tuple[str, Any]:
    while p.toks[j][0] == "nl":
        j += 1
    return p.toks[j][0], p.toks[j][1]


def _row(p: _Parser, *, nested: bool) -> list[Expr]:
    """Comma-separated entries of one matrix row.

    A nested row ``[a, b]`` (opening bracket already consumed) ends at ``]``, which is
    consumed; a flat row ends before ``;``, ``]``, a newline or the end.
    """
    entries: list[Expr] = []
    while True:
        if nested:
            p.skip_newlines()
        kind, value, _, _ = p.peek()
        if kind == "op" and value == ",":
            p.fail_at("empty entry " + ("between commas" if entries else "before ','"), p.i)
        if kind in ("eof", "nl") or (kind == "op" and value in ("]", ";")):
            if entries:
                p.fail_at("expected an entry after ','", p.i - 1, "remove the trailing comma")
            p.fail_at("expected at least one entry in the row", p.i)
        entries.append(p.component())
        if nested:
            p.skip_newlines()
        if p.at_op(","):
            p.i += 1
            continue
        kind, value, _, _ = p.peek()
        if nested:
            if kind == "op" and value == "]":
                p.i += 1
                return entries
            if kind == "eof":
                p.fail_at("expected ']' to close the row", p.i)
            p.unexpected(p.i)
        if kind in ("eof", "nl") or (kind == "op" and value in ("]", ";")):
            return entries
        p.unexpected(p.i)


def _name_at(p: _Parser, index: int, seen: dict[str, int]) -> str:
    """Validate the name token at ``index`` as a new variable name."""
    kind, value, _, _ = p.toks[index]
    if kind == "num":
        p.fail_at(f"expected a variable name, found the number {p.describe(index)}", index)
    if kind != "name":
        p.fail_at(f"expected a variable name, found {p.describe(index)}", index)
    if value in FUNCTIONS and value not in SOFT_FUNCTIONS:
        p.fail_at(f"'{value}' is a function name and cannot be a variable", index)
    if value.startswith("__"):
        p.fail_at(f"the name '{value}' is not allowed", index, "names may not start with '__'")
    if value in seen:
        p.fail_at(f"duplicate variable '{value}'", index)
    seen[value] = index
    return str(value)


def parse_name_list(text: str) -> list[str]:
    """Parse a list of variable names, e.g. for ``--vars``.

    Parameters
    ----------
    text
        Names separated by commas and/or blanks: ``"x,y"``, ``"x y"``, ``"θ, φ"``.
        ``e`` and ``pi`` are allowed (they then become variables).

    Returns
    -------
    list[str]
        The normalised names (``θ`` becomes ``"theta"``), in order.

    Raises
    ------
    ParseError
        An empty list, an empty name, a number, a function name or a duplicate.

    Examples
    --------
    >>> parse_name_list("θ, φ x_1")
    ['theta', 'phi', 'x_1']
    """

    def body(p: _Parser) -> list[str]:
        closer = p.wrapper()
        names: list[str] = []
        seen: dict[str, int] = {}
        while True:
            p.skip_newlines()
            kind, value, _, _ = p.peek()
            if kind == "eof" or (closer and kind == "op" and value == closer):
                if not names:
                    p.fail_at("expected at least one variable name", p.i)
                if closer:
                    if kind == "eof":
                        p.fail_at(f"expected '{closer}' at the end", p.i)
                    p.i += 1
                    p.skip_newlines()
                    if p.peek()[0] != "eof":
                        p.unexpected(p.i)
                return names
            if kind == "op" and value == ",":
                p.fail_at("empty name " + ("between commas" if names else "before ','"), p.i)
            names.append(_name_at(p, p.i, seen))
            p.i += 1
            p.skip_newlines()
            if p.at_op(","):
                p.i += 1
                p.skip_newlines()
                kind, value, _, _ = p.peek()
                if kind == "eof" or (closer and kind == "op" and value == closer):
                    p.fail_at("expected a name after ','", p.i - 1, "remove the trailing comma")

    return _run(text, (), body)


def _assignment_items(p: _Parser, what: str) -> list[tuple[str | None, Expr, int]]:
    """Items ``name = value`` or ``value`` whose values are numbers; (name, value, start)."""
    seen: dict[str, int] = {}

    def item() -> tuple[str | None, Expr, int]:
        name = None
        start = p.i
        if p.peek()[0] == "name" and p.toks[p.i + 1][:2] == ("op", "="):
            name = _name_at(p, p.i, seen)
            p.i += 2
            kind, value, _, _ = p.peek()
            if kind in ("eof", "nl") or (kind == "op" and value in (",", ")", "]")):
                p.fail_at(f"expected a value after '{name}='", p.i - 1)
        value_start = p.i
        value = p.component()
        names = {s.name for s in value.free_symbols}
        if names:
            where = next(
                (j for j in range(value_start, p.i) if p.toks[j][1] in names),
                value_start,
            )
            p.fail_at(
                f"{what} values must be numbers; found symbol {p.toks[where][1]}",
                where,
                "pi, e and functions of numbers such as sqrt(2) are fine",
            )
        return name, value, start

    return [result for result, _, _, _ in p.items(item, "value", "value")]


def parse_point(
    text: str, *, variables: Collection[str] = ()
) -> list[tuple[str | None, sympy.Expr]]:
    """Parse a point, e.g. for ``--at``: positional ``"-1, 2"`` or named ``"x=-1, y=2"``.

    Parameters
    ----------
    text
        Values separated by commas or newlines, optionally wrapped in ``(...)`` or
        ``[...]``. Each value is a number expression (``pi/4``, ``sqrt(2)``, ``1/3``).
    variables
        Names that are variables (so ``e``/``pi`` in it are not constants).

    Returns
    -------
    list[tuple[str | None, sympy.Expr]]
        ``(None, value)`` for positional values, ``(name, value)`` for named ones.

    Raises
    ------
    ParseError
        Malformed input, a value with a free symbol, mixed named and positional
        values, or a repeated name.

    Examples
    --------
    >>> parse_point("x=-1, y=pi/4")
    [('x', -1), ('y', pi/4)]
    >>> parse_point("(1, 1/3)")
    [(None, 1), (None, 1/3)]
    """

    def body(p: _Parser) -> list[tuple[str | None, Expr]]:
        found = _assignment_items(p, "point")
        named = found[0][0] is not None
        for name, _, start in found:
            if (name is not None) != named:
                p.fail_at(
                    "cannot mix named (x=1) and positional values in a point",
                    start,
                    "name every value or none",
                )
        return [(name, value) for name, value, _ in found]

    return _run(text, variables, body)


def parse_assignments(
    text: str, *, variables: Collection[str] = ()
) -> list[tuple[str, sympy.Expr]]:
    """Parse parameter assignments, e.g. for ``--param "a=2, b=1/3"``.

    Parameters
    ----------
    text
        ``name=value`` items separated by commas or newlines; values are numbers.
    variables
        Names that are variables (so ``e``/``pi`` in it are not constants).

    Returns
    -------
    list[tuple[str, sympy.Expr]]
        The assignments in order.

    Raises
    ------
    ParseError
        Malformed input, a missing ``name=``, a non-numeric value or a repeated name.

    Examples
    --------
    >>> parse_assignments("a=2, b=1/3")
    [('a', 2), ('b', 1/3)]
    """

    def body(p: _Parser) -> list[tuple[str, Expr]]:
        result: list[tuple[str, Expr]] = []
        for name, value, start in _assignment_items(p, "parameter"):
            if name is None:
                p.fail_at("expected name=value, e.g. a=2", start)
            result.append((name, value))
        return result

    return _run(text, variables, body)
