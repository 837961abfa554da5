"""The matrix language: declarations (``x:3``, ``W:2x3``) and expressions (``W x + b``).

A tokenizer and a recursive-descent parser build :mod:`jacobi.matrix.nodes`
directly from the text; nothing is ever evaluated as Python. Every operation is
shape-checked as it is read, so a mistake is reported with the operands' shapes
and a caret under the place it happened::

    cannot multiply W (2×3) by y (2×1): W has 3 columns but y has 2 rows

Grammar (loosest first)::

    top      := [NAME '='] sum
    sum      := term (('+' | '-') term)*
    term     := unary (('*' | '@' | '/' | '.*' | './' | <juxtaposition>) unary)*
    unary    := ('-' | '+') unary | power
    power    := postfix ('^' 'T' | ('^' | '**' | '.^') unary)*
    postfix  := primary "'"*
    primary  := NUMBER | NAME | NAME '(' args ')' | NAME "'" '(' args ')'
              | '(' sum ')' | '||' sum '||' | literal
    literal  := '[' sum (',' sum)* ']'                  (a column of numbers)
              | '[' '[' sum (',' sum)* ']' (',' ...)* ']'  (rows of numbers)

``x^T``, ``x'`` and ``transpose(x)`` transpose; ``X^-1`` and ``inv(X)`` invert;
products of two non-scalars are matrix products; 1×1 results act as scalars.
Matrices of numbers are written as nested lists, ``[[1, 2], [4, 7]] X``; a flat list
``[1, 2]`` is a column (see :mod:`jacobi.matrix.literals`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from jacobi.errors import LimitError, ParseError, ShapeError
from jacobi.lang import lexicon
from jacobi.lang.lexicon import MAX_DEPTH
from jacobi.matrix import algebra as alg
from jacobi.matrix import literals
from jacobi.matrix import nodes as mx
from jacobi.matrix.functions import ELEMENTWISE

MAX_INPUT_CHARS = lexicon.MATRIX_INPUT_CHARS
MAX_NUMBER_DIGITS = lexicon.MAX_LITERAL_DIGITS
#: Largest dimension of a declared vector or matrix, and most entries of one symbol.
MAX_DIM = 1000
MAX_ENTRIES = 10_000
#: Matrix powers X^k are expanded into products; k is capped.
MAX_MATRIX_POWER = 64
#: Exact numeric powers with more digits than this are refused.
MAX_VALUE_DIGITS = 10_000

GREEK = lexicon.GREEK

# Replaced before NFKC, which would turn x² into x2 and xᵀ into xT.
_SPECIAL = {
    **lexicon.OPERATORS,
    "²": "^2",
    "³": "^3",
    "ᵀ": "^T",
    "⊤": "^T",
    "‖": "||",
    "⊙": ".*",
    "′": "'",
}

#: Matrix functions and how many arguments they take.
MATRIX_FUNCTIONS = {k: v for k, v in lexicon.MATRIX_FUNCTIONS.items() if k != "commutation"}
#: Names of the elementwise functions, aliases included (``arcsin``, ``sgn``, ``ln``).
ELEMENTWISE_NAMES = frozenset(
    n for n in lexicon.FUNCTIONS if lexicon.canonical(n) in ELEMENTWISE
) | frozenset(ELEMENTWISE)
#: Every function name of the matrix language.
KNOWN_FUNCTIONS = ELEMENTWISE_NAMES | frozenset(lexicon.MATRIX_FUNCTIONS)
CONSTANTS = {"pi": sympy.pi, "e": sympy.E}
RESERVED = set(KNOWN_FUNCTIONS) | {"T"}

_TOKEN = re.compile(
    r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff]*)"
    r"|(?P<op>\|\||\*\*|\.\*|\./|\.\^|[-+*/@^'(),=\[\]])"
    r"|(?P<space>\s+)"
)


@dataclass(frozen=True)
class Token:
    kind: str  # "num" | "name" | "op" | "end"
    value: str
    start: int  # column in the original text
    end: int


@dataclass(frozen=True)
class MatrixExpression:
    """A parsed matrix expression: the node, the text, the optional output name.

    ``body`` is the text after ``NAME =`` (all of ``text`` when no name is given).
    """

    node: mx.Node
    text: str
    name: str | None
    scalars: tuple[str, ...]
    body: str


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC text with jacobi's replacements, and for each character its original column."""
    out: list[str] = []
    cols: list[int] = []
    i = 0
    while i < len(text):
        if text.startswith("⁻¹", i):
            rep, width = "^-1", 2
        else:
            c = text[i]
            rep, width = _SPECIAL.get(c, unicodedata.normalize("NFKC", c)), 1
        out.append(rep)
        cols.extend([i] * len(rep))
        i += width
    cols.append(len(text))
    return "".join(out), cols


def plain_source(text: str) -> str:
    """``text`` with jacobi's Unicode spelled in ASCII: ``‖y − Φθ‖²`` → ``||y - Phi theta||^2``.

    >>> plain_source("‖y − Φ θ‖²")
    '||y - Phi theta||^2'
    >>> plain_source("Φθ")  # one name, as the parser reads it
    'Phitheta'
    """
    out = [GREEK.get(c, _SPECIAL.get(c, c)) for c in text.replace("⁻¹", "^-1")]
    return " ".join("".join(out).split())


def name_of(raw: str) -> str:
    """A name with Greek letters spelled out: ``θ1`` → ``theta1``, ``Φ`` → ``Phi``.

    >>> name_of("θ1"), name_of("Φ")
    ('theta1', 'Phi')
    """
    return "".join(GREEK.get(c, c) for c in raw)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` with their columns; unknown characters are a ParseError."""
    if len(text) > MAX_INPUT_CHARS:
        raise LimitError(f"the expression has more than {MAX_INPUT_CHARS:,} characters")
    norm, cols = _normalise(text)
    tokens: list[Token] = []
    pos = 0
    while pos < len(norm):
        m = _TOKEN.match(norm, pos)
        if m is None:
            col = cols[pos]
            ch = text[col] if col < len(text) else norm[pos]
            hint = ""
            if ch == "|":
                hint = " (write the norm as ||x|| or norm(x), the absolute value as abs(a))"
            if ch == ";":
                hint = " (write a matrix as its rows, [[1, 2], [3, 4]])"
            raise ParseError(
                f"unexpected character {ch!r} (U+{ord(ch):04X}){hint}", source=text, column=col
            )
        kind = m.lastgroup or ""
        if kind != "space":
            value = m.group()
            if kind == "name":
                value = name_of(value)
                if not value.isascii():
                    bad = next(c for c in m.group() if c not in GREEK and not c.isascii())
                    col = cols[pos] + m.group().index(bad)
                    raise ParseError(
                        f"unknown character {bad!r} (U+{ord(bad):04X})",
                        source=text,
                        column=col,
                        hint="Greek letters are read as their names; "
                        "capitals that look like Latin letters are not",
                    )
            if kind == "num" and len(value) > MAX_NUMBER_DIGITS:
                raise LimitError(
                    f"a number has more than {MAX_NUMBER_DIGITS} digits",
                    source=text,
                    column=cols[pos],
                )
            tokens.append(Token(kind, value, cols[pos], cols[m.end()]))
        pos = m.end()
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


def _number(text: str) -> sympy.Expr:
    """An exact number: ``0.1`` is 1/10, ``1e-3`` is 1/1000."""
    mant, _, exp = text.lower().partition("e")
    if exp and (len(exp.lstrip("+-").lstrip("0")) > 4 or abs(int(exp)) > MAX_NUMBER_DIGITS):
        # 1e99999999 would be computed exactly: refuse it like jacobi.parse does.
        raise LimitError(
            f"the exponent in '{text[:40]}' is too large; "
            f"jacobi accepts exponents up to e{MAX_NUMBER_DIGITS}"
        )
    if "." in mant:
        whole, frac = mant.split(".")
        value = sympy.Rational(
            int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac)
        )
    else:
        value = sympy.Integer(int(mant))
    if exp:
        return value * sympy.Rational(10) ** int(exp)
    return value


def shape_text(node: mx.Node) -> str:
    return f"{node.rows}×{node.cols}"


def _guard_power(base: sympy.Expr, exp: sympy.Expr, text: str, col: int) -> None:
    if isinstance(base, sympy.Rational) and isinstance(exp, sympy.Rational) and abs(base) > 1:
        digits = abs(float(exp)) * (len(str(abs(base.p))) + len(str(base.q)))
        if digits > MAX_VALUE_DIGITS:
            raise LimitError(
                f"the exact value of this power would have about {digits:,.0f} digits",
                hint=f"jacobi refuses numbers over {MAX_VALUE_DIGITS:,} digits",
                source=text,
                column=col,
            )


def _guard_root(value: sympy.Expr, what: str, text: str, col: int) -> None:
    """Refuse roots of and functions of huge numbers, as :mod:`jacobi.parse` does."""
    if isinstance(value, sympy.Rational):
        digits = len(str(abs(value.p))) + len(str(value.q))
        if digits > lexicon.MAX_ROOT_DIGITS:
            raise LimitError(
                f"a number over {lexicon.MAX_ROOT_DIGITS} digits {what}; "
                "jacobi refuses such arguments",
                source=text,
                column=col,
            )


class _Parser:
    def __init__(self, text: str, symbols: Mapping[str, mx.Sym]) -> None:
        self.text = text
        self.symbols = symbols
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.in_norm = 0
        #: Inside ``[...]``: ``1 2`` and ``1 -2`` are refused there (commas separate entries).
        self.in_literal = 0
        #: Reading ``--at`` values: ``NAME =`` starts the next value, never a product.
        self.in_values = False
        self.scalars: dict[str, None] = {}
        self.components = {n: s.name for s in symbols.values() for n in s.names}

    # -- helpers -----------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, message: str, col: int | None = None, hint: str | None = None) -> ParseError:
        return ParseError(
            message, hint=hint, source=self.text, column=self.tok.start if col is None else col
        )

    def shape_error(self, message: str, col: int, hint: str | None = None) -> ShapeError:
        return ShapeError(message, hint=hint, source=self.text, column=col)

    def expect(self, value: str, what: str) -> Token:
        if self.tok.kind == "op" and self.tok.value == value:
            return self.advance()
        found = "the end of the input" if self.tok.kind == "end" else repr(self.tok.value)
        raise self.error(f"expected {what}, found {found}")

    def desc(self, node: mx.Node, start: int, end: int) -> str:
        src = " ".join(self.text[start:end].split())
        if len(src) > 40:
            src = src[:37] + "…"
        return f"{src} ({shape_text(node)})"

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(
                f"the expression is nested more than {MAX_DEPTH} levels deep",
                source=self.text,
                column=self.tok.start,
            )

    # -- grammar -----------------------------------------------------------
    def parse(self) -> MatrixExpression:
        name = None
        body_start = 0
        if self.tok.kind == "name" and self.peek().kind == "op" and self.peek().value == "=":
            tok = self.advance()
            body_start = self.advance().end
            name = tok.value
            if name in self.symbols or name in RESERVED or name in CONSTANTS:
                raise self.error(
                    f"the result cannot be named {name}: the name is taken",
                    col=tok.start,
                    hint="choose a new name, e.g. f = ...",
                )
        if self.tok.kind == "end":
            raise self.error("expected an expression, found nothing")
        node, _, _ = self.sum()
        if self.tok.kind != "end":
            if self.tok.value == "||":
                raise self.error("unexpected '||': a norm closes only what it opened")
            if self.tok.value == "=":
                raise self.error("unexpected '=': only 'NAME = expression' is allowed, once")
            raise self.error(f"unexpected {self.tok.value!r} after a complete expression")
        body = " ".join(self.text[body_start:].split())
        return MatrixExpression(node, self.text, name, tuple(self.scalars), body)

    def sum(self) -> tuple[mx.Node, int, int]:
        left, start, end = self.term()
        while self.tok.kind == "op" and self.tok.value in "+-":
            if self.in_literal:
                literals.refuse_spaced_sign(self)
            op = self.advance()
            right, rs, re_ = self.term()
            if left.shape != right.shape:
                verb = "add" if op.value == "+" else "subtract"
                joiner = "and" if op.value == "+" else "from"
                a, b = (left, start, end), (right, rs, re_)
                first, second = (a, b) if op.value == "+" else (b, a)
                hint = None
                if left.is_scalar or right.is_scalar:
                    hint = (
                        "a scalar and a vector or matrix do not add; write each entry's shape out"
                    )
                raise self.shape_error(
                    f"cannot {verb} {self.desc(*first)} {joiner} {self.desc(*second)}",
                    op.start,
                    hint,
                )
            left = alg.add(left, right if op.value == "+" else alg.neg(right))
            end = re_
        return left, start, end

    def starts_factor(self) -> bool:
        t = self.tok
        if self.in_values and t.kind == "name" and self.peek().value == "=":
            return False
        if t.kind in ("num", "name"):
            return True
        if t.kind == "op" and t.value in ("(", "["):
            return True
        return t.kind == "op" and t.value == "||" and not self.in_norm

    def term(self) -> tuple[mx.Node, int, int]:
        left, start, end = self.unary()
        while True:
            t = self.tok
            if t.kind == "op" and t.value in ("*", "@", "/", ".*", "./"):
                self.advance()
                op = t.value
            elif self.starts_factor():
                if self.in_literal:
                    literals.refuse_juxtaposed(self)
                op = " "
            else:
                break
            right, rs, re_ = self.unary()
            left = self.binary(
                op, (left, start, end), (right, rs, re_), t.start if op != " " else rs
            )
            end = re_
        return left, start, end

    def binary(
        self, op: str, a: tuple[mx.Node, int, int], b: tuple[mx.Node, int, int], col: int
    ) -> mx.Node:
        left, right = a[0], b[0]
        if op in ("*", "@", " "):
            if left.is_scalar or right.is_scalar or left.cols == right.rows:
                return alg.mul(left, right)
            lname, rname = self.text[a[1] : a[2]].strip(), self.text[b[1] : b[2]].strip()
            cols = f"{left.cols} column{'s' if left.cols != 1 else ''}"
            rows = f"{right.rows} row{'s' if right.rows != 1 else ''}"
            hint = f"{lname} has {cols} but {rname} has {rows}"
            if left.shape == right.shape and left.cols == 1:
                hint = "for the dot product write x^T y; for the entrywise product x .* y"
            raise self.shape_error(f"cannot multiply {self.desc(*a)} by {self.desc(*b)}", col, hint)
        if op == "/":
            if isinstance(right, mx.Const) and right.value.is_zero:
                shown = self.text[b[1] : b[2]].strip()
                raise self.error(
                    "division by zero" + (f": {shown} is 0" if shown != "0" else ""), col
                )
            if not right.is_scalar:
                raise self.shape_error(
                    f"cannot divide by {self.desc(*b)}: only division by a scalar is defined",
                    col,
                    "use ./ for entrywise division, inv(A) or A^-1 for an inverse",
                )
            return alg.mul(left, alg.power(right, alg.const(-1)))
        if op == ".*":
            if left.is_scalar or right.is_scalar or left.shape == right.shape:
                return alg.hadamard(left, right)
            raise self.shape_error(
                f"cannot multiply entrywise {self.desc(*a)} and {self.desc(*b)}: shapes differ", col
            )
        # "./"
        if left.is_scalar or right.is_scalar or left.shape == right.shape:
            return alg.ediv(left, right)
        raise self.shape_error(
            f"cannot divide entrywise {self.desc(*a)} by {self.desc(*b)}: shapes differ", col
        )

    def check_real(self, value: sympy.Expr, shown: str, col: int) -> None:
        if value in (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise self.error(f"{shown} is undefined", col=col)
        if value.has(sympy.I) or (not value.free_symbols and lexicon.not_real(value)):
            raise self.error(
                f"{shown} is not a real number",
                col=col,
                hint="jacobi works over the reals: every value must be a real number",
            )

    def unary(self) -> tuple[mx.Node, int, int]:
        t = self.tok
        if t.kind == "op" and t.value in "+-":
            self.advance()
            self.enter()
            node, _, end = self.unary()
            self.depth -= 1
            return (alg.neg(node) if t.value == "-" else node), t.start, end
        return self.power()

    def is_transpose_mark(self) -> bool:
        t = self.tok
        return t.kind == "name" and t.value == "T" and "T" not in self.symbols

    def power(self) -> tuple[mx.Node, int, int]:
        base, start, end = self.postfix()
        while self.tok.kind == "op" and self.tok.value in ("^", "**", ".^"):
            op = self.advance()
            if op.value != ".^" and self.is_transpose_mark():
                end = self.advance().end
                base = alg.transpose(base)
                while self.tok.kind == "op" and self.tok.value == "'":
                    end = self.advance().end
                    base = alg.transpose(base)
                continue
            self.enter()
            exp, es, ee = self.unary()
            self.depth -= 1
            base = self.raise_to(base, (start, end), exp, (es, ee), op)
            end = ee
            break
        return base, start, end

    def raise_to(
        self, base: mx.Node, bspan: tuple[int, int], exp: mx.Node, espan: tuple[int, int], op: Token
    ) -> mx.Node:
        bdesc = self.desc(base, *bspan)
        if not exp.is_scalar:
            raise self.shape_error(
                f"the exponent {self.desc(exp, *espan)} must be a scalar", espan[0]
            )
        value = exp.value if isinstance(exp, mx.Const) else None
        if base.is_scalar:
            if isinstance(base, mx.Const) and value is None:
                shown = f"{self.text[bspan[0] : bspan[1]]}^{self.text[espan[0] : espan[1]]}"
                if base.value.is_zero:
                    raise self.error(
                        f"{shown} is 0 where the exponent is positive and undefined elsewhere",
                        col=op.start,
                        hint="write 0 if the exponent is known to be positive",
                    )
                if base.value.is_extended_negative:
                    raise self.error(
                        f"{shown} is not a real number: a negative number to a variable power",
                        col=op.start,
                        hint="jacobi works over the reals",
                    )
            if isinstance(base, mx.Const) and value is not None:
                _guard_power(base.value, value, self.text, op.start)
                if not value.is_integer:
                    _guard_root(base.value, "under a root", self.text, op.start)
            node = alg.power(base, exp)
            if isinstance(node, mx.Const):
                self.check_real(node.value, self.text[bspan[0] : espan[1]], op.start)
            return node
        if op.value == ".^":
            return alg.epow(base, exp)
        if base.rows != base.cols:
            hint = "entrywise powers are written x.^2"
            if base.is_vector:
                hint = "for a vector write x^T x or norm(x)^2; entrywise powers are x.^2"
            raise self.shape_error(
                f"cannot raise {bdesc} to a power: it is not square", op.start, hint
            )
        if value is None or not value.is_integer:
            raise self.shape_error(
                "a matrix power needs a whole-number exponent, "
                f"not {self.text[espan[0] : espan[1]]}",
                espan[0],
            )
        k = int(value)
        if abs(k) > MAX_MATRIX_POWER:
            raise LimitError(
                f"matrix powers above {MAX_MATRIX_POWER} are not expanded",
                source=self.text,
                column=espan[0],
            )
        if k == 0:
            return alg.identity(base.rows)
        m = base if k > 0 else alg.inverse(base)
        return alg.mul(*([m] * abs(k)))

    def postfix(self) -> tuple[mx.Node, int, int]:
        node, start, end = self.primary()
        while self.tok.kind == "op" and self.tok.value == "'":
            end = self.advance().end
            node = alg.transpose(node)
        return node, start, end

    def primary(self) -> tuple[mx.Node, int, int]:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return alg.const(_number(t.value)), t.start, t.end
        if t.kind == "name":
            return self.name()
        if t.kind == "op" and t.value == "(":
            self.enter()
            self.advance()
            saved, self.in_norm = self.in_norm, 0
            node, _, _ = self.sum()
            self.in_norm = saved
            close = self.expect(")", "')' to close the '('")
            self.depth -= 1
            return node, t.start, close.end
        if t.kind == "op" and t.value == "||":
            self.enter()
            self.advance()
            self.in_norm += 1
            node, _, _ = self.sum()
            self.in_norm -= 1
            close = self.expect("||", "'||' to close the norm")
            self.depth -= 1
            end = close.end
            if self.tok.kind == "name" and self.tok.value in ("_2", "_F"):
                end = self.advance().end
            return alg.norm(node), t.start, end
        if t.kind == "op" and t.value == "[":
            return literals.read_literal(self)
        if t.kind == "end":
            raise self.error("expected a value, found the end of the input")
        raise self.error(f"expected a value, found {t.value!r}")

    def name(self) -> tuple[mx.Node, int, int]:
        t = self.advance()
        name = t.value
        call = self.tok.kind == "op" and self.tok.value == "("
        prime = (
            self.tok.kind == "op"
            and self.tok.value == "'"
            and self.peek().kind == "op"
            and self.peek().value == "("
        )
        if name in self.symbols:
            return self.symbols[name], t.start, t.end
        func = lexicon.canonical(name)
        if func not in ELEMENTWISE:
            func = name
        if prime and func in ELEMENTWISE:
            self.advance()
            return self.call(func, t, order=1)
        if call and (func in ELEMENTWISE or func in MATRIX_FUNCTIONS or func == "commutation"):
            return self.call(func, t)
        if func in MATRIX_FUNCTIONS or func in ELEMENTWISE:
            raise self.error(f"{name} is a function: write {name}(...)", col=t.start)
        soft = name in lexicon.SOFT_FUNCTIONS
        if name in lexicon.FUNCTIONS and (call or prime or not soft):
            raise self.error(
                f"{name} is not a function of matrix expressions",
                col=t.start,
                hint=lexicon.unknown_function_hint(name, KNOWN_FUNCTIONS),
            )
        adjacent = self.tok.start == t.end
        if (call or prime) and adjacent and len(name) >= 2 and name not in CONSTANTS:
            raise self.error(
                f"unknown function '{name}'",
                col=t.start,
                hint=lexicon.unknown_function_hint(name, KNOWN_FUNCTIONS),
            )
        meant = lexicon.glued(name)
        if meant is not None and name not in CONSTANTS:
            raise self.error(
                f"'{name}' is one name, not {meant}",
                col=t.start,
                hint=f"write {meant}, or rename the scalar",
            )
        if name in CONSTANTS:
            return alg.const(CONSTANTS[name]), t.start, t.end
        if name == "T":
            raise self.error("T marks a transpose only after ^ (x^T)", col=t.start)
        if name in self.components:
            owner = self.components[name]
            raise self.error(
                f"{name} is a component of {owner}; write expressions with {owner} itself",
                col=t.start,
                hint="or rename the scalar",
            )
        self.scalars[name] = None
        return mx.scalar(name), t.start, t.end

    def call(self, func: str, t: Token, order: int = 0) -> tuple[mx.Node, int, int]:
        self.advance()  # '('
        # sigmoid and softplus build SymPy trees several levels deep: the lexicon's costs.
        spec = lexicon.FUNCTIONS.get(func)
        extra = spec.depth if spec is not None else 1
        for _ in range(extra):
            self.enter()
        saved, self.in_norm = self.in_norm, 0
        args: list[tuple[mx.Node, int, int]] = []
        if not (self.tok.kind == "op" and self.tok.value == ")"):
            args.append(self.sum())
            while self.tok.kind == "op" and self.tok.value == ",":
                self.advance()
                args.append(self.sum())
        self.in_norm = saved
        close = self.expect(")", f"')' to close {func}(")
        self.depth -= extra
        want = 2 if func == "commutation" else MATRIX_FUNCTIONS.get(func, 1)
        if len(args) != want:
            raise self.error(
                f"{func} takes {want} argument{'s' if want != 1 else ''}, given {len(args)}",
                col=t.start,
            )
        node = self.apply(func, args, t.start, order)
        return node, t.start, close.end

    def apply(
        self, func: str, args: list[tuple[mx.Node, int, int]], col: int, order: int
    ) -> mx.Node:
        a = args[0][0]
        if func in ELEMENTWISE:
            if isinstance(a, mx.Const):
                _guard_root(a.value, f"inside {func}(...)", self.text, col)
            node = alg.elem(func, a, order)
            if isinstance(node, mx.Const):
                self.check_real(node.value, self.text[col : args[-1][2] + 1], col)
            return node
        square = func in ("tr", "trace", "det", "inv")
        if square and a.rows != a.cols:
            raise self.shape_error(f"{func} needs a square matrix, not {self.desc(*args[0])}", col)
        if func == "transpose":
            return alg.transpose(a)
        if func in ("tr", "trace"):
            return alg.trace(a)
        if func == "det":
            return alg.det(a)
        if func == "inv":
            return alg.inverse(a)
        if func == "norm":
            return alg.norm(a)
        if func == "sum":
            return alg.total(a)
        if func == "vec":
            return alg.vec(a)
        if func == "diag":
            if a.is_vector or a.is_scalar:
                return alg.diag(a)
            if a.rows != a.cols:
                raise self.shape_error(
                    f"diag needs a vector or a square matrix, not {self.desc(*args[0])}", col
                )
            return alg.diag_of(a)
        b = args[1][0]
        if func == "hadamard":
            if a.shape != b.shape and not (a.is_scalar or b.is_scalar):
                raise self.shape_error(
                    f"hadamard needs equal shapes, not {self.desc(*args[0])} "
                    f"and {self.desc(*args[1])}",
                    col,
                )
            return alg.hadamard(a, b)
        if func == "dot":
            if not (
                a.size == b.size and (a.is_vector or a.is_scalar) and (b.is_vector or b.is_scalar)
            ):
                raise self.shape_error(
                    f"dot needs two vectors of one length, not {self.desc(*args[0])} "
                    f"and {self.desc(*args[1])}",
                    col,
                )
            return alg.mul(alg.transpose(alg.vec(a)), alg.vec(b))
        if func == "kron":
            return alg.kron(a, b)
        # commutation(m, n)
        dims = []
        for node, s, _ in args:
            v = node.value if isinstance(node, mx.Const) else None
            if v is None or not v.is_integer or not 1 <= v <= MAX_DIM:
                raise self.error("commutation(m, n) needs two whole numbers", col=s)
            dims.append(int(v))
        return alg.commutation(dims[0], dims[1])


def parse_matrix_expression(text: str, symbols: Mapping[str, mx.Sym]) -> MatrixExpression:
    """Parse ``text`` with the declared ``symbols`` (name → :class:`~jacobi.matrix.nodes.Sym`).

    Undeclared names are real scalars; ``pi`` and ``e`` are constants unless declared.

    >>> from jacobi.matrix.nodes import vector, matrix, text as show
    >>> syms = {"W": matrix("W", 2, 3), "x": vector("x", 3)}
    >>> e = parse_matrix_expression("sigmoid(W x)", syms)
    >>> show(e.node), e.node.shape
    ('sigmoid(W x)', (2, 1))
    >>> parse_matrix_expression("x W", syms)
    Traceback (most recent call last):
    ...
    jacobi.errors.ShapeError: cannot multiply x (3×1) by W (2×3)
    """
    return _Parser(text, symbols).parse()
