"""``mjac --at``: a matrix derivative at given vectors, matrices and scalars, exactly.

The values are written in the matrix language (:mod:`jacobi.matrix.literals`):
``x=[1, 2], W=[[1, 2], [3, 4]], a=1/3``, each a constant of the symbol's shape
(``pi/4``, ``sqrt(2)``, ``2 [1, 2]`` and ``[[1, 2], [3, 4]]^T`` are numbers too). Every
vector and matrix of the expression (and the variable) needs a value; scalars may
stay symbolic. Positional values (``--at [1, 2]``) follow the order the header
lists the symbols in. Nothing is ever evaluated as Python.

>>> from jacobi.matrix.calculus import matrix_derivative
>>> d = matrix_derivative("x^T W x", vectors="x:2", matrices="W:2x2")
>>> p = build_point(d, "x=[1, 2], W=[[1, 2], [3, 4]]")
>>> p.text
'x = [1, 2], W = [[1, 2], [3, 4]]'
>>> value_at(d, p)  # x^T (W + W^T) at the point
Matrix([[12, 21]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from jacobi.errors import InputError, ParseError, ShapeError
from jacobi.lang.printing import to_text
from jacobi.math import evaluate
from jacobi.matrix import nodes as mx
from jacobi.matrix.calculus import MatrixDerivative, vec_names
from jacobi.matrix.parse import _Parser
from jacobi.model import Point

_EXAMPLE = "--at x=[1,2],W=[[1,2],[3,4]]"


@dataclass(frozen=True)
class Item:
    """One value of ``--at`` as written: the name (None if positional), the value, its columns."""

    name: str | None
    value: sympy.ImmutableMatrix
    start: int
    end: int


@dataclass(frozen=True)
class MatrixPoint:
    """The values of the symbols (in the header's order) and the point of their components."""

    values: tuple[tuple[mx.Sym, sympy.ImmutableMatrix], ...]
    point: Point

    @property
    def text(self) -> str:
        """``x = [1, 2], W = [[1, 2], [3, 4]], a = 2``."""
        return ", ".join(f"{s.name} = {value_text(v)}" for s, v in self.values)


def value_text(m: sympy.MatrixBase) -> str:
    """A value as the matrix language writes it: ``2``, ``[1, 2]``, ``[[1, 2], [3, 4]]``.

    >>> value_text(sympy.Matrix([[1, 2], [3, 4]])), value_text(sympy.Matrix([1, 2]))
    ('[[1, 2], [3, 4]]', '[1, 2]')
    """
    if m.shape == (1, 1):
        return to_text(m[0, 0])
    if m.cols == 1:
        return "[" + ", ".join(to_text(e) for e in m) + "]"
    rows = ("[" + ", ".join(to_text(m[i, j]) for j in range(m.cols)) + "]" for i in range(m.rows))
    return "[" + ", ".join(rows) + "]"


def parse_items(text: str, symbols: dict[str, mx.Sym]) -> list[Item]:
    """The values of ``--at`` text: ``NAME = value`` or bare values, separated by commas."""
    p = _Parser(text, symbols)
    p.in_values = True
    items: list[Item] = []
    if p.tok.kind == "end":
        raise p.error("--at gives no values", hint=f"e.g. {_EXAMPLE}")
    while True:
        name = None
        if p.tok.kind == "name" and p.peek().kind == "op" and p.peek().value == "=":
            name = p.advance().value
            p.advance()
        if p.tok.kind == "end" or (p.tok.kind == "op" and p.tok.value == ","):
            raise p.error(f"expected the value of {name}" if name else "expected a value")
        node, start, end = p.sum()
        shown = " ".join(text[start:end].split())
        if node.free:
            names = ", ".join(sorted(node.free))
            what = f"the value of {name}" if name else "a value at a point"
            why = f"{shown} is not a number" if shown in node.free else f"{shown} has {names} in it"
            raise ParseError(
                f"{what} must be made of numbers: {why}",
                source=text,
                column=start,
                hint=f"e.g. {_EXAMPLE}",
            )
        value = mx.components(node)
        for entry in value:
            p.check_real(entry, shown, start)
        items.append(Item(name, value, start, end))
        if p.tok.kind == "end":
            return items
        if p.tok.kind == "name" and p.peek().value == "=":
            raise p.error(f"expected ',' before {p.tok.value}=", hint="separate values with commas")
        if not (p.tok.kind == "op" and p.tok.value == ","):
            raise p.error(
                f"unexpected {p.tok.value!r} after a value", hint="separate values with commas"
            )
        p.advance()


def given_symbols(d: MatrixDerivative) -> tuple[list[mx.Sym], list[mx.Sym]]:
    """The symbols ``--at`` must give (the expression's vectors and matrices, and the
    variable) and the scalars it may give, in the header's order."""
    free = d.expression.node.free
    required = [s for s in d.symbols.values() if s.name in free or s is d.wrt]
    scalars = [mx.scalar(n) for n in d.expression.scalars]
    if d.wrt.kind == "scalar":
        required += [s for s in scalars if s.name == d.wrt.name]
    return required, [s for s in scalars if s.name != d.wrt.name]


def build_point(d: MatrixDerivative, text: str) -> MatrixPoint:
    """The point ``--at text`` for the derivative ``d``, every value checked against its
    symbol's shape (and symmetry)."""
    items = parse_items(text, dict(d.symbols))
    required, optional = given_symbols(d)
    names = [s.name for s in required]
    if all(item.name is None for item in items):
        if len(items) != len(required):
            listed = ", ".join(names) or "none"
            raise InputError(
                f"--at has {len(items)} value{'s' if len(items) != 1 else ''} but f has "
                f"{len(required)} symbol{'s' if len(required) != 1 else ''} to give ({listed})",
                hint=f"give one value per symbol, in that order, or name them: {_EXAMPLE}",
            )
        chosen = dict(zip(names, items, strict=True))
    else:
        chosen = _named(items, text, d, required, optional)
    table = {s.name: s for s in (*required, *optional)}
    values = []
    for name in [*names, *(s.name for s in optional)]:
        if name in chosen:
            sym = table[name]
            values.append((sym, _checked(sym, chosen[name], text)))
    return MatrixPoint(tuple(values), _components(values))


def _named(
    items: Sequence[Item],
    text: str,
    d: MatrixDerivative,
    required: Sequence[mx.Sym],
    optional: Sequence[mx.Sym],
) -> dict[str, Item]:
    allowed = {s.name for s in (*required, *optional)}
    chosen: dict[str, Item] = {}
    for item in items:
        if item.name is None:
            raise ParseError(
                "cannot mix named (x=[1,2]) and positional values in a point",
                source=text,
                column=item.start,
                hint="name every value or none",
            )
        if item.name in chosen:
            raise InputError(f"--at gives {item.name} twice")
        if item.name not in allowed:
            listed = ", ".join([s.name for s in required] + [s.name for s in optional])
            if item.name in d.symbols:
                raise InputError(
                    f"--at gives {item.name}, which {d.name} does not depend on",
                    hint="leave it out",
                )
            raise InputError(
                f"--at names {item.name}, which is not a symbol of {d.name}",
                hint=f"its symbols are {listed or 'none'}",
            )
        chosen[item.name] = item
    missing = [s.name for s in required if s.name not in chosen]
    if missing:
        raise InputError(
            f"--at gives no value for {', '.join(missing)}",
            hint="every vector and matrix needs a value; scalars may stay symbolic",
        )
    return chosen


def _kind(sym: mx.Sym) -> str:
    if sym.kind == "scalar":
        return "a scalar"
    if sym.kind == "vector":
        return f"a {sym.rows}×1 vector"
    return f"a {sym.rows}×{sym.cols} {'symmetric ' if sym.symmetric else ''}matrix"


def _checked(sym: mx.Sym, item: Item, text: str) -> sympy.ImmutableMatrix:
    value = item.value
    shown = " ".join(text[item.start : item.end].split())
    if value.shape != sym.shape:
        example = {
            "scalar": f"{sym.name}=2",
            "vector": f"{sym.name}=[{', '.join(str(k + 1) for k in range(min(sym.rows, 3)))}"
            + (", ...]" if sym.rows > 3 else "]"),
        }.get(sym.kind, f"{sym.name}=[[1, 2], [3, 4]] (a list of rows)")
        raise ShapeError(
            f"{sym.name} is {_kind(sym)}, but its value {shown} is {value.rows}×{value.cols}",
            hint=f"write e.g. {example}",
            source=text,
            column=item.start,
        )
    if sym.symmetric:
        for i in range(sym.rows):
            for j in range(i + 1, sym.cols):
                a, b = value[i, j], value[j, i]
                if a != b and sympy.expand(a - b) != 0:
                    raise ShapeError(
                        f"{sym.name} is symmetric, but in its value entry ({i + 1}, {j + 1}) is "
                        f"{to_text(a)} and entry ({j + 1}, {i + 1}) is {to_text(b)}",
                        source=text,
                        column=item.start,
                    )
    return value


def _components(values: Sequence[tuple[mx.Sym, sympy.ImmutableMatrix]]) -> Point:
    """Each component once (``S12`` of a symmetric S once), row by row, symbol by symbol."""
    seen: dict[sympy.Symbol, sympy.Expr] = {}
    for sym, value in values:
        flat = [value[i, j] for i in range(sym.rows) for j in range(sym.cols)]
        for name, v in zip(sym.names, flat, strict=True):
            seen.setdefault(mx.symbol(name), v)
    return Point(tuple(seen), tuple(seen.values()))


def value_at(d: MatrixDerivative, p: MatrixPoint) -> sympy.ImmutableMatrix:
    """``d.matrix`` at the point, exactly, after checking that f itself is defined there.

    Raises :class:`~jacobi.errors.UndefinedError` naming the component or the entry.
    """
    values = p.point.mapping()
    f = d.value
    comps = [f[i, j] for j in range(f.cols) for i in range(f.rows)]
    for label, comp in zip(d.output_labels, comps, strict=True):
        where = f"the function component {label}" if len(comps) > 1 else f"the function {label}"
        evaluate.value_at(comp, values, where=where)
        evaluate.require_interior(comp, values, where=where)
    return evaluate.evaluate_matrix(d.exact, p.point, entry_name=_entry_namer(d))


def _entry_namer(d: MatrixDerivative) -> Callable[[int, int], str]:
    out = d.output_labels
    var = vec_names(d.wrt.shape, d.wrt.names)
    rows, cols = (out, var) if d.kind in ("jacobian", "tensor") else ([], [])

    def name(i: int, j: int) -> str:
        if d.kind in ("jacobian", "tensor"):
            r, c = (i, j) if d.layout == "numerator" else (j, i)
            return f"∂{rows[r]}/∂{cols[c]}"
        return f"of ∂{d.name}/∂{d.wrt.name}"

    return name
