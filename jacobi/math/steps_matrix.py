"""Step-by-step derivations of determinants and chain-rule entries (issue 12).

The lines are :class:`jacobi.math.steps.Line`\\ s of a :class:`~jacobi.math.steps.Derivation`,
as for derivatives: every line is a scalar SymPy expression equal to the first, the
rules are short names, and the last line is jacobi's own result. Nothing here is words
for a reader; the renderers format the rules.

The API
-------
``determinant_steps(matrix, *, result=None, max_terms=MAX_DET_TERMS) -> Derivation``
    det of a square ``matrix`` (jacobi's Jacobian). The first line is the determinant
    written out: ``"1x1 determinant"``; ``"2x2 determinant"`` (``a*d - b*c``, the entries
    in place); for 3×3 and 4×4 ``"cofactor expansion"`` along the row or column with the
    most zeros (ties: the first row, rows before columns), recorded in
    :attr:`~jacobi.math.steps.Line.along` as ``("row", i)`` or ``("column", j)``
    (0-based), each minor written out in place, with the derivation of each minor that
    is multiplied by a non-zero entry (in the order of the row or column) as the line's
    ``children`` and their number in ``count``. Then ``"minors"`` (each minor replaced by
    its simplified value, the last line of its child), ``"expand"`` when expanding
    within :data:`MAX_EXPAND_TERMS` terms gives the result or a shorter expression,
    and ``"simplify"`` ending in ``result``: jacobi's determinant (what ``jacobi det`` prints,
    :func:`jacobi.math.determinant.determinant`, computed when not given). A matrix
    larger than :data:`MAX_COFACTOR_ORDER`, or whose expansion has more than
    ``max_terms`` non-zero products, is not expanded: the derivation is one line, the
    value, whose rule names the method (``"fraction-free elimination"`` for numbers,
    ``"Berkowitz"`` otherwise).
``chain_steps(chain, i, j, *, max_terms=MAX_CHAIN_TERMS) -> Derivation``
    Entry (i, j) (0-based, numerator layout: row i of the outermost function, column
    j of the innermost variables) of the chain rule ``chain``
    (:func:`jacobi.math.chain.chain`, what ``jacobi chain`` computes). The first line,
    ``"chain rule"``, is Σ_k ∂g_i/∂u_k|_{u=h(x)} · ∂h_k/∂x_j with the factors in place
    (the entries of ``chain.factors``; terms with a zero factor are left out, ``count``
    says how many terms there are); then ``"simplify"`` ending in ``chain.product[i, j]``.
    Its ``children`` are, for each term, the derivation of ∂g_i/∂u_k in g's own
    variables (:func:`~jacobi.math.steps.derivative_steps`) with the substitution u = h(x)
    as its last line (``"substitute"``, :attr:`Derivation.point` the pairs ``(u_k,
    h_k(x))``), then for each term the derivation of ∂h_k/∂x_j. With more than two
    layers, h is the composition of the inner ones, and the second children are the
    chain-rule entries of the inner chain (the same form, one level down, ending in the
    product of the inner factors as multiplied). More than ``max_terms`` terms: the
    line is written, the children are left out.

>>> from jacobi.lang.parse import parse_expression, symbol
>>> from jacobi.lang.printing import to_text
>>> r, t = symbol("r"), symbol("t")
>>> d = determinant_steps(sympy.Matrix([[sympy.cos(t), -r*sympy.sin(t)],
...                                     [sympy.sin(t), r*sympy.cos(t)]]))
>>> for line in d.lines:
...     print(f"{to_text(line.expr):30} {line.rule}")
r*sin(t)**2 + r*cos(t)**2      2x2 determinant
r                              simplify
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from jacobi.errors import ShapeError
from jacobi.math.chain import Chain, compose
from jacobi.math.determinant import determinant, matmul
from jacobi.math.simplify import expansion_terms
from jacobi.math.steps import Derivation, Line, at_point, derivative_steps
from jacobi.model import VectorFunction

__all__ = [
    "MAX_CHAIN_TERMS",
    "MAX_COFACTOR_ORDER",
    "MAX_DET_TERMS",
    "MAX_EXPAND_TERMS",
    "best_line",
    "chain_steps",
    "determinant_steps",
]

MAX_COFACTOR_ORDER = 4
"""Largest matrix whose determinant is written out by cofactor expansion."""
MAX_DET_TERMS = 24
"""Most non-zero products in a written-out determinant (a dense 4×4 has 24)."""
MAX_EXPAND_TERMS = 200
"""Most terms of an ``"expand"`` line (:func:`jacobi.math.simplify.expansion_terms`)."""
MAX_CHAIN_TERMS = 16
"""Most terms of a chain-rule entry whose factors get derivations of their own."""


# --------------------------------------------------------------------------- determinants


def best_line(matrix: sympy.MatrixBase) -> tuple[str, int]:
    """The row or column with the most zero entries, ``("row", i)`` or ``("column", j)``.

    Ties go to the first row, rows before columns.

    >>> best_line(sympy.Matrix([[1, 2, 3], [4, 0, 6], [7, 0, 0]]))
    ('row', 2)
    >>> best_line(sympy.Matrix([[1, 0, 3], [4, 0, 6], [7, 8, 9]]))
    ('column', 1)
    """
    n = matrix.rows
    rows = [sum(1 for j in range(n) if matrix[i, j] == 0) for i in range(n)]
    cols = [sum(1 for i in range(n) if matrix[i, j] == 0) for j in range(n)]
    if max(rows) >= max(cols):
        return "row", rows.index(max(rows))
    return "column", cols.index(max(cols))


def _along(matrix: sympy.MatrixBase, line: tuple[str, int]) -> list[tuple[int, int]]:
    """The positions of the non-zero entries of ``line``, in order."""
    kind, k = line
    n = matrix.rows
    cells = [(k, j) for j in range(n)] if kind == "row" else [(i, k) for i in range(n)]
    return [(i, j) for i, j in cells if matrix[i, j] != 0]


def _minor(matrix: sympy.MatrixBase, i: int, j: int) -> sympy.Matrix:
    return sympy.Matrix(matrix).minor_submatrix(i, j)


def _products(matrix: sympy.MatrixBase, limit: int) -> int:
    """The non-zero products of the written-out determinant (more than ``limit``: stops)."""
    n = matrix.rows
    if n > MAX_COFACTOR_ORDER:
        return limit + 1
    if n == 1:
        return int(matrix[0, 0] != 0)
    if n == 2:
        return int(matrix[0, 0] * matrix[1, 1] != 0) + int(matrix[0, 1] * matrix[1, 0] != 0)
    total = 0
    for i, j in _along(matrix, best_line(matrix)):
        total += _products(_minor(matrix, i, j), limit - total)
        if total > limit:
            break
    return total


def _written(matrix: sympy.MatrixBase) -> sympy.Expr:
    """The determinant written out (2×2 formula, cofactors along :func:`best_line`)."""
    n = matrix.rows
    if n == 1:
        return matrix[0, 0]  # a SymPy Matrix holds SymPy entries
    if n == 2:
        return matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0]
    terms = [
        (-1) ** (i + j) * matrix[i, j] * _written(_minor(matrix, i, j))
        for i, j in _along(matrix, best_line(matrix))
    ]
    return sympy.Add(*terms)


def _method(matrix: sympy.MatrixBase) -> str:
    return "fraction-free elimination" if all(e.is_number for e in matrix) else "Berkowitz"


def determinant_steps(
    matrix: sympy.MatrixBase,
    *,
    result: sympy.Expr | None = None,
    max_terms: int = MAX_DET_TERMS,
) -> Derivation:
    """The derivation of det ``matrix``, ending with jacobi's determinant.

    Parameters
    ----------
    matrix
        A square matrix (jacobi's Jacobian, either layout).
    result
        jacobi's determinant of ``matrix`` when the caller has it
        (:func:`jacobi.math.determinant.determinant` otherwise).
    max_terms
        Most non-zero products written out; over it (or over
        :data:`MAX_COFACTOR_ORDER` rows) the derivation is one line naming the method.

    Examples
    --------
    >>> from jacobi.lang.parse import symbol
    >>> x, y = symbol("x"), symbol("y")
    >>> d = determinant_steps(sympy.Matrix([[1, 1], [y, x]]))
    >>> [(line.expr, line.rule) for line in d.lines]
    [(x - y, '2x2 determinant')]
    >>> m = sympy.Matrix([[x, 0, 1], [0, y, 0], [1, 0, x]])
    >>> d = determinant_steps(m)
    >>> [line.rule for line in d.lines], d.lines[0].along, d.last
    (['cofactor expansion', 'expand'], ('row', 1), x**2*y - y)
    """
    m = sympy.ImmutableMatrix(matrix)
    if m.rows != m.cols:
        raise ShapeError(f"a determinant needs a square matrix, not {m.rows}×{m.cols}")
    n = m.rows
    value = determinant(m).value if result is None else result
    if n == 0:
        return Derivation((Line(sympy.S.One, "empty product"),))
    if _products(m, max_terms) > max_terms:
        return Derivation((Line(value, _method(m)),))
    written = _written(m)
    if n == 1:
        lines = [Line(written, "1x1 determinant")]
    elif n == 2:
        lines = [Line(written, "2x2 determinant", entries=(m[0, 0], m[0, 1], m[1, 0], m[1, 1]))]
    else:
        line = best_line(m)
        cells = _along(m, line)
        children = tuple(determinant_steps(_minor(m, i, j), max_terms=max_terms) for i, j in cells)
        lines = [
            Line(written, "cofactor expansion", count=len(cells), children=children, along=line)
        ]
        minors = sympy.Add(
            *[
                (-1) ** (i + j) * m[i, j] * child.last
                for (i, j), child in zip(cells, children, strict=True)
            ]
        )
        if minors != written:
            lines.append(Line(minors, "minors"))
    current = lines[-1].expr
    if current != value and expansion_terms(current) <= MAX_EXPAND_TERMS:
        expanded = sympy.expand(current)
        helps = expanded == value or sympy.count_ops(expanded) <= sympy.count_ops(current)
        if expanded != current and helps:
            lines.append(Line(expanded, "expand"))
            current = expanded
    if current != value:
        lines.append(Line(value, "simplify"))
    return Derivation(tuple(lines))


# --------------------------------------------------------------------------- the chain rule


def chain_steps(chain: Chain, i: int, j: int, *, max_terms: int = MAX_CHAIN_TERMS) -> Derivation:
    """The derivation of entry (i, j) of the chain rule, ending with jacobi's entry.

    Parameters
    ----------
    chain
        The chain rule as :func:`jacobi.math.chain.chain` computes it (``jacobi chain``).
    i, j
        The entry, 0-based, in numerator layout (``chain.product[i, j]``).
    max_terms
        Most terms whose factors get derivations of their own (``children``).

    Examples
    --------
    >>> from jacobi.api import function
    >>> from jacobi.math.chain import chain
    >>> from jacobi.lang.printing import to_text
    >>> c = chain([function("u*v"), function("x+y, x-y", variables="x,y")])
    >>> d = chain_steps(c, 0, 0)
    >>> [(to_text(line.expr), line.rule) for line in d.lines]
    [('2*x', 'chain rule')]
    >>> [child.lines[0].expr for child in d.lines[0].children]
    [Derivative(u*v, u), Derivative(u*v, v), Derivative(x + y, x), Derivative(x - y, x)]
    """
    rows, cols = chain.product.shape
    if not (0 <= i < rows and 0 <= j < cols):
        raise IndexError(f"no entry ({i}, {j}) in a {rows}×{cols} product")
    return _entry(
        chain.layers, chain.outer_jacobians, chain.factors, i, j, chain.product[i, j], max_terms
    )


def _inner_column(factors: Sequence[sympy.ImmutableMatrix], j: int) -> sympy.ImmutableMatrix:
    """Column ``j`` of the product of ``factors``, as :func:`jacobi.math.chain.chain`
    multiplies them (right to left): the same sums, one column of them."""
    raw = factors[-1][:, j]
    for factor in reversed(factors[:-1]):
        raw = matmul(factor, raw)
    return raw


def _entry(
    layers: Sequence[VectorFunction],
    outer_jacobians: Sequence[sympy.ImmutableMatrix],
    factors: Sequence[sympy.ImmutableMatrix],
    i: int,
    j: int,
    result: sympy.Expr,
    max_terms: int,
) -> Derivation:
    g, outer, jg = layers[0], factors[0], outer_jacobians[0]
    inner = _inner_column(factors[1:], j)
    ks = [k for k in range(g.n) if outer[i, k] != 0 and inner[k, 0] != 0]
    written = sympy.Add(*[outer[i, k] * inner[k, 0] for k in ks])
    children: tuple[Derivation, ...] = ()
    if len(ks) <= max_terms:
        h = compose(layers[1:]) if len(layers) > 2 else layers[1]
        point = tuple(zip(g.variables, h.components, strict=True))
        firsts = [
            at_point(
                derivative_steps(g.components[i], g.variables[k], result=jg[i, k]),
                point,
                outer[i, k],
            )
            for k in ks
        ]
        if len(layers) == 2:
            x = h.variables[j]
            seconds = [derivative_steps(h.components[k], x, result=inner[k, 0]) for k in ks]
        else:
            seconds = [
                _entry(layers[1:], outer_jacobians[1:], factors[1:], k, j, inner[k, 0], max_terms)
                for k in ks
            ]
        children = (*firsts, *seconds)
    lines = [Line(written, "chain rule", count=len(ks), children=children)]
    if written != result:
        lines.append(Line(result, "simplify"))
    return Derivation(tuple(lines))
