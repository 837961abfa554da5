"""Unicode input for the scalar language: what a user may type beyond ASCII.

The first stage of :mod:`jacobi.lang.parse`. :func:`normalise` turns superscript powers,
Greek letters and Unicode operators into the ASCII the tokenizer reads, and keeps for
every character it writes the column of the character the user typed, so that errors
point into the original text. The Greek letters and operators are the lexicon's
(:data:`jacobi.lang.lexicon.GREEK`, :data:`jacobi.lang.lexicon.OPERATORS`).
"""

from __future__ import annotations

import re
import unicodedata

from jacobi.errors import ParseError
from jacobi.lang.lexicon import GREEK, OPERATORS

__all__ = ["SUPERSCRIPTS", "normalise"]

SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
    "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "ⁿ": "n",
}  # fmt: skip
"""Superscript characters a power may be written with (``x²``, ``x⁻¹``, ``xⁿ``)."""

_SUPER_RUN_RE = re.compile(r"[-+]?(?:[0-9]+n?|n)\Z")


class _Output:
    """Normalised text being written, with the source column of each character."""

    __slots__ = ("after_greek", "chars", "cols", "last")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.cols: list[int] = []
        self.last = ""  # the last character written
        self.after_greek = False  # whether it ends a spelled-out Greek letter

    def char(self, c: str, column: int) -> None:
        """Write ``c``; a letter right after a Greek letter starts a new name."""
        if self.after_greek and c.isascii() and c.isalpha():
            self.chars.append(" ")
            self.cols.append(column)
        self.after_greek = False
        self.chars.append(c)
        self.cols.append(column)
        self.last = c

    def greek(self, name: str, column: int) -> None:
        """Write a Greek letter's name as a name of its own (``2πr`` -> ``2 pi r``)."""
        if self.last.isascii() and self.last.isalnum():
            self.chars.append(" ")
            self.cols.append(column)
        self.chars.append(name)
        self.cols.extend([column] * len(name))
        self.last, self.after_greek = name[-1], True


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text``; return it with a map from each character to its source column.

    Superscript runs become ``^(...)`` (before NFKC, which would turn ``²`` into ``2``),
    every other character is NFKC-normalised, Greek letters are spelled out as separate
    names (``2πr`` -> ``2 pi r``; ``θ1`` -> ``theta1``), and Unicode operators map to
    ASCII. The map is ``None`` for ASCII input, which is returned unchanged.

    Raises
    ------
    ParseError
        A superscript run that is not a power, or another super- or subscript character.

    Examples
    --------
    >>> normalise("x + 1")
    ('x + 1', None)
    >>> normalise("2πr²")
    ('2 pi r^(2)', [0, 1, 1, 1, 2, 2, 3, 3, 3, 3])
    """
    if text.isascii():
        return text, None
    out = _Output()
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c < "\x80":
            out.char(c, i)
            i += 1
        elif c in SUPERSCRIPTS:
            i = _superscript(text, i, out)
        else:
            _refuse_scripts(text, i)
            for ch in unicodedata.normalize("NFKC", c):
                name = GREEK.get(ch)
                if name is not None:
                    out.greek(name, i)
                else:
                    out.char(OPERATORS.get(ch, ch), i)
            i += 1
    return "".join(out.chars), out.cols


def _superscript(text: str, i: int, out: _Output) -> int:
    """Write the superscript run starting at ``i`` as ``^(...)``; return where it ends."""
    j = i
    while j < len(text) and text[j] in SUPERSCRIPTS:
        j += 1
    run = "".join(SUPERSCRIPTS[ch] for ch in text[i:j])
    if not _SUPER_RUN_RE.match(run):
        raise ParseError(
            f"superscript '{text[i:j]}' is not a power",
            source=text,
            column=i,
            hint="a superscript power needs digits, e.g. x² or x⁻¹",
        )
    out.chars.append("^(" + run + ")")
    out.cols.extend([i, i, *range(i, j), j - 1])
    out.last, out.after_greek = ")", False
    return j


def _refuse_scripts(text: str, i: int) -> None:
    """Refuse a super- or subscript character other than a subscript digit or letter."""
    c = text[i]
    decomposition = unicodedata.decomposition(c)
    if not decomposition.startswith(("<super>", "<sub>")):
        return
    norm = unicodedata.normalize("NFKC", c)
    if decomposition.startswith("<sub>") and norm.isascii() and norm.isalnum():
        return
    kind = "superscript" if decomposition.startswith("<super>") else "subscript"
    raise ParseError(
        f"unsupported {kind} character '{c}' (U+{ord(c):04X})",
        source=text,
        column=i,
        hint="superscripts may only be digits, ⁻, ⁺ or ⁿ; subscripts only digits/letters",
    )
