"""The list forms of the scalar language: matrices, name lists, points and assignments.

Built on the expression grammar of :class:`~jacobi.lang.parser.Parser`: each function
here reads one whole input with a parser and returns plain values; the public functions
of :mod:`jacobi.lang.parse` run them (and document the forms).
"""

from __future__ import annotations

from typing import Any

from jacobi.lang import lexicon
from jacobi.lang.parser import Parser

__all__ = ["assignment_items", "matrix_rows", "name_list"]

Expr = Any  # sympy is untyped; this alias documents intent.
_Row = tuple[list[Expr], int]  # the entries and the first token of a row


# --------------------------------------------------------------------------- matrices


def matrix_rows(p: Parser) -> list[list[Expr]]:
    """The rows of a matrix written ``[[a, b], [c, d]]`` or ``a, b; c, d`` (all the input)."""
    p.skip_newlines()
    if p.at_op("[") and p.next_significant(p.i + 1) == ("op", "["):
        rows = _nested_rows(p)
    else:
        rows = _flat_rows(p)
    p.expect_end()
    width = len(rows[0][0])
    for number, (row, start) in enumerate(rows[1:], start=2):
        if len(row) != width:
            p.fail_at(
                f"rows have different lengths: row 1 has {width} "
                f"entr{'y' if width == 1 else 'ies'} but row {number} has {len(row)}",
                start,
            )
    return [row for row, _ in rows]


def _nested_rows(p: Parser) -> list[_Row]:
    """``[[a, b], [c, d]]``: rows in brackets, separated by commas, inside brackets."""
    outer = p.i
    p.i += 1
    rows: list[_Row] = []
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
            return rows
        if p.peek()[0] == "eof":
            p.fail_at("unclosed '[' opened here", outer, "add the missing ']'")
        p.unexpected(p.i)


def _flat_rows(p: Parser) -> list[_Row]:
    """``a, b; c, d`` or ``[a, b; c, d]``: rows separated by ``;`` or newlines."""
    outer = p.i
    closer = "]" if p.at_op("[") else None
    if closer:
        p.i += 1
    rows: list[_Row] = []
    while True:
        p.skip_newlines()
        if p.at_close(closer):
            break
        start = p.i
        rows.append((_row(p, nested=False), start))
        if p.at_op(";"):
            p.i += 1
            p.skip_newlines()
            if p.at_close(closer):
                p.fail_at("empty row after ';'", p.i - 1, "remove the trailing ';'")
        elif p.at_op("]") and not closer:
            p.unexpected(p.i)
    if closer:
        if p.peek()[0] == "eof":
            p.fail_at("unclosed '[' opened here", outer, "add the missing ']'")
        p.i += 1
    if not rows:
        p.fail_at("expected at least one row", p.i)
    return rows


def _at_row_end(p: Parser) -> bool:
    """Whether the next token ends a flat row: ``;``, ``]``, a newline or the end."""
    kind, value, _, _ = p.peek()
    return kind in ("eof", "nl") or (kind == "op" and value in ("]", ";"))


def _row(p: Parser, *, nested: bool) -> list[Expr]:
    """Comma-separated entries of one matrix row.

    A nested row ``[a, b]`` (opening bracket already consumed) ends at ``]``, which is
    consumed; a flat row ends before ``;``, ``]``, a newline or the end.
    """
    entries: list[Expr] = []
    while True:
        if nested:
            p.skip_newlines()
        if p.at_op(","):
            p.fail_at("empty entry " + ("between commas" if entries else "before ','"), p.i)
        if _at_row_end(p):
            if entries:
                p.fail_at("expected an entry after ','", p.i - 1, "remove the trailing comma")
            p.fail_at("expected at least one entry in the row", p.i)
        entries.append(p.component())
        if nested:
            p.skip_newlines()
        if p.at_op(","):
            p.i += 1
            continue
        if nested:
            if p.at_op("]"):
                p.i += 1
                return entries
            if p.peek()[0] == "eof":
                p.fail_at("expected ']' to close the row", p.i)
            p.unexpected(p.i)
        if _at_row_end(p):
            return entries
        p.unexpected(p.i)


# --------------------------------------------------------------------------- names


def _name_at(p: Parser, index: int, seen: dict[str, int]) -> str:
    """Validate the name token at ``index`` as a new variable name."""
    kind, value, _, _ = p.toks[index]
    if kind == "num":
        p.fail_at(f"expected a variable name, found the number {p.describe(index)}", index)
    if kind != "name":
        p.fail_at(f"expected a variable name, found {p.describe(index)}", index)
    if value in lexicon.FUNCTIONS and value not in lexicon.SOFT_FUNCTIONS:
        p.fail_at(f"'{value}' is a function name and cannot be a variable", index)
    if value.startswith("__"):
        p.fail_at(f"the name '{value}' is not allowed", index, "names may not start with '__'")
    if value in seen:
        p.fail_at(f"duplicate variable '{value}'", index)
    seen[value] = index
    return str(value)


def name_list(p: Parser) -> list[str]:
    """Variable names separated by commas and/or blanks or newlines (all the input)."""
    closer = p.wrapper()
    names: list[str] = []
    seen: dict[str, int] = {}
    while True:
        p.skip_newlines()
        if p.at_close(closer):
            if not names:
                p.fail_at("expected at least one variable name", p.i)
            if closer:
                if p.peek()[0] == "eof":
                    p.fail_at(f"expected '{closer}' at the end", p.i)
                p.i += 1
                p.expect_end()
            return names
        if p.at_op(","):
            p.fail_at("empty name " + ("between commas" if names else "before ','"), p.i)
        names.append(_name_at(p, p.i, seen))
        p.i += 1
        p.skip_newlines()
        if p.at_op(","):
            p.i += 1
            p.skip_newlines()
            if p.at_close(closer):
                p.fail_at("expected a name after ','", p.i - 1, "remove the trailing comma")


# --------------------------------------------------------------------------- values


def assignment_items(p: Parser, what: str) -> list[tuple[str | None, Expr, int]]:
    """Items ``name = value`` or ``value`` whose values are numbers; (name, value, start).

    ``what`` (``"point"``, ``"parameter"``) names the values in messages.
    """
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
            found = p.toks[where][1]
            if name is None and what == "parameter" and p.i == value_start + 1:
                # "--param a": a name alone, the value forgotten
                p.fail_at(
                    f"a parameter needs a value: write NAME=VALUE, e.g. {found}=2",
                    where,
                )
            p.fail_at(
                f"{what} values must be numbers; found symbol {found}",
                where,
                "pi, e and functions of numbers such as sqrt(2) are fine",
            )
        return name, value, start

    return [result for result, _, _, _ in p.items(item, "value", "value")]
