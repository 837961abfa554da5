"""The tokens of the scalar language, and the way back from a token to what was typed.

The second stage of :mod:`jacobi.lang.parse`, after :mod:`jacobi.lang.unicode`. A
:class:`Tokens` holds the tokens of one input together with the column map of its
normalisation, so every later stage reports an error by token index and the user sees
a caret under the character they typed. Numbers are read here, exactly: ``0.1`` is
``1/10``, ``2.5E+4`` is ``25000``.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

import sympy

from jacobi.errors import LimitError, ParseError
from jacobi.lang.lexicon import MAX_INPUT_CHARS, MAX_LITERAL_DIGITS
from jacobi.lang.unicode import normalise

__all__ = ["CHAR_HINTS", "Token", "Tokens"]

Token = tuple[str, Any, int, int]
"""``(kind, value, start, end)``: kind ``num``, ``name``, ``op``, ``nl`` or ``eof``; the
value (a SymPy number for ``num``, ``^`` for ``**``); positions in the normalised text."""

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

CHAR_HINTS = {
    ".": "'.' may only appear inside a number such as 0.5",
    "'": "a prime or transpose belongs to 'jacobi mjac' (x^T there); "
    "jac computes the derivatives itself",
    '"': "jacobi expressions contain no strings",
    "!": "factorials are not supported",
    "|": "write abs(x) for an absolute value",
    "{": "use ( ) for grouping",
    "}": "use ( ) for grouping",
    ":": "jacobi expressions have no ':'",
    "√": "write sqrt(x)",
    "%": "the modulo operator is not supported",
}
"""What to say about a character the language does not have."""


class Tokens:
    """The tokens of one input text, and its columns for error messages.

    Parameters
    ----------
    source
        The text as the user gave it.

    Attributes
    ----------
    source
        The text as given.
    norm
        The normalised text the tokens index (see :func:`jacobi.lang.unicode.normalise`).
    toks
        The tokens, ending with two ``eof`` tokens so that one token of lookahead never
        runs off the end.

    Raises
    ------
    TypeError
        ``source`` is not a string.
    LimitError
        The text is longer than :data:`jacobi.lang.lexicon.MAX_INPUT_CHARS`, or a number
        literal has too many digits.
    ParseError
        A character the language does not have, or a malformed number.

    Examples
    --------
    >>> [t[:2] for t in Tokens("2x**2").toks]
    [('num', 2), ('name', 'x'), ('op', '^'), ('num', 2), ('eof', ''), ('eof', '')]
    """

    def __init__(self, source: str) -> None:
        if not isinstance(source, str):
            raise TypeError(f"expected text, got {type(source).__name__}")
        if len(source) > MAX_INPUT_CHARS:
            raise LimitError(
                f"the input is {len(source):,} characters long; "
                f"jacobi accepts at most {MAX_INPUT_CHARS:,}"
            )
        self.source = source
        self.norm, self._cols = normalise(source)
        self.toks = self._tokenize()

    # ---------------------------------------------------------------- positions

    def col(self, pos: int) -> int:
        """Source column of normalised position ``pos``."""
        if self._cols is None:
            return pos
        return self._cols[pos] if pos < len(self._cols) else len(self.source)

    def col_end(self, pos: int) -> int:
        """Source column just after normalised end position ``pos``."""
        if self._cols is None or pos == 0:
            return pos
        return self._cols[pos - 1] + 1

    def tok_col(self, index: int) -> int:
        """Source column of token ``index``."""
        return self.col(self.toks[index][2])

    def tok_text(self, index: int) -> str:
        """Source text of token ``index``, as typed."""
        _, _, start, end = self.toks[index]
        return self.source[self.col(start) : self.col_end(end)]

    def span(self, first: int, stop: int) -> tuple[str, int]:
        """Source text and start column of tokens ``first`` .. ``stop - 1``."""
        start = self.tok_col(first)
        end = self.col_end(self.toks[stop - 1][3])
        return self.source[start:end], start

    def describe(self, index: int) -> str:
        """Token ``index`` for a message: ``'x'``, or the end of the line or input."""
        kind = self.toks[index][0]
        if kind == "eof":
            return "the end of the input"
        if kind == "nl":
            return "the end of the line"
        return f"'{self.tok_text(index)}'"

    # ---------------------------------------------------------------- errors

    def fail(self, message: str, column: int, hint: str | None = None) -> NoReturn:
        """Raise a :class:`~jacobi.errors.ParseError` at source ``column``."""
        raise ParseError(message, source=self.source, column=column, hint=hint)

    def fail_at(self, message: str, index: int, hint: str | None = None) -> NoReturn:
        """Raise a :class:`~jacobi.errors.ParseError` at token ``index``."""
        self.fail(message, self.tok_col(index), hint)

    def limit_at(self, message: str, index: int, hint: str | None = None) -> NoReturn:
        """Raise a :class:`~jacobi.errors.LimitError` at token ``index``."""
        raise LimitError(message, source=self.source, column=self.tok_col(index), hint=hint)

    # ---------------------------------------------------------------- scanning

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
        self.fail(f"unknown character {shown}", column, CHAR_HINTS.get(c))

    def _number(self, start: int, end: int) -> tuple[Any, int]:
        """The exact number whose digits span ``start:end``, and where it really ends."""
        mantissa = self.norm[start:end]
        int_part, _, frac = mantissa.partition(".")
        n_digits = len(int_part) + len(frac)
        if n_digits > MAX_LITERAL_DIGITS:
            raise LimitError(
                f"a number with {n_digits:,} digits; jacobi accepts at most "
                f"{MAX_LITERAL_DIGITS:,} digits in one number",
                source=self.source,
                column=self.col(start),
            )
        exponent, end = self._exponent(start, end)
        self._refuse_lookalikes(start, end, mantissa)
        scale = exponent - len(frac)
        p = int(int_part + frac or "0")
        if scale >= 0:
            return sympy.Integer(p * 10**scale), end
        return sympy.Rational(p, 10**-scale), end

    def _exponent(self, start: int, end: int) -> tuple[int, int]:
        """The decimal exponent ``e-3`` after the digits ending at ``end`` (0 if none)."""
        norm = self.norm
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
            return int(digits or "0") * (-1 if m.group(1) == "-" else 1), m.end()
        if end < len(norm) and norm[end] in "eE":
            after = norm[end + 1 : end + 2]
            if after in ("+", "-", "") or not _NAME_CHAR_RE.match(after):
                shown = norm[start : end + 1] + (after if after in "+-" else "")
                self.fail(
                    f"expected digits after '{shown}'",
                    self.col(start),
                    f"write {norm[start:end]}*e to multiply by the constant e",
                )
        return 0, end

    def _refuse_lookalikes(self, start: int, end: int, mantissa: str) -> None:
        """Refuse what other languages read as one number: ``0x1f``, ``2j``, ``1_000``."""
        norm = self.norm
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
