"""Matrix calculus: derivatives of vector and matrix expressions, in components and compact.

Two independent routes lead to every result:

1. **Components.** The expression is expanded into explicit scalar components
   (``x1``, ``W11``, ...) and differentiated entry by entry with SymPy. This is the
   ground truth: the Jacobian ``d vec(F) / d vec(X)`` in numerator layout, where
   ``vec`` stacks columns (seed 003), reshaped to the seed's tensor
   ``J[i, j, k, l] = ∂F_ij / ∂X_kl`` when matrices are involved.
2. **Compact form.** Matrix-calculus rules (product rule, chain rule through
   ``diag`` for entrywise functions, transposes, traces, determinants, inverses,
   Kronecker products for matrices) build a matrix expression for the same
   derivative, e.g. ``x^T (B + B^T)``. It is shown **only** if it expands to
   exactly the components of route 1.

Shapes of results (numerator layout, the seeds' convention; ``--layout
denominator`` transposes the matrix):

=====================  ====================  ===============================
f                      with respect to       result
=====================  ====================  ===============================
scalar                 vector x ∈ R^n        1×n row (gradient, 5.40)
vector ∈ R^m           vector x ∈ R^n        m×n Jacobian
scalar                 matrix X (p×q)        p×q, entry ∂f/∂X_kl (5.103, 5.106)
matrix F (m×n)         scalar t              m×n, entry ∂F_ij/∂t
vector or matrix       matrix (or a matrix   tensor (5.94) and its flattened
                       by a vector)          Jacobian d vec(F)/d vec(X)
=====================  ====================  ===============================
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from jacobi.errors import InputError, LimitError, ShapeError
from jacobi.math.derivatives import check_layout
from jacobi.math.simplify import tidy, tidy_matrix
from jacobi.matrix import algebra as alg
from jacobi.matrix import nodes as mx
from jacobi.matrix.declarations import parse_declarations
from jacobi.matrix.parse import MatrixExpression, parse_matrix_expression

#: Most entries of a flattened Jacobian (size of f times size of the variable).
MAX_JACOBIAN_ENTRIES = 200_000
#: Largest symbolic matrix whose inverse / determinant is expanded into components.
MAX_INVERSE_DIM = 4
MAX_DET_DIM = 6
#: Entries in more symbols than this are not tidied (factorising them is slow).
TIDY_MAX_SYMBOLS = 6
#: Entries with more operations than this are not checked (the compact form is then withheld).
VERIFY_MAX_OPS = 4000
#: A compact form is checked against at most this many operations over all entries
#: (beyond it the compact form is withheld: the bound is a count, so the same input
#: always gives the same answer).
VERIFY_MAX_TOTAL_OPS = 200_000


# ---------------------------------------------------------------------------
# Compact derivatives
# ---------------------------------------------------------------------------


def jvec(node: mx.Node, wrt: mx.Sym) -> mx.Node:
    """The compact Jacobian ``d vec(node) / d vec(wrt)`` in numerator layout.

    Each node class gives its rule (:meth:`~jacobi.matrix.nodes.Node.jvec`); raises
    :class:`~jacobi.matrix.nodes.NotCompact` where no rule applies.

    >>> x, B = mx.vector("x", 3), mx.matrix("B", 3, 3)
    >>> mx.text(jvec(alg.mul(alg.transpose(x), B, x), x))
    'x^T (B + B^T)'
    >>> A = mx.matrix("A", 2, 3)
    >>> mx.text(jvec(alg.mul(A, x), A))
    'kron(x^T, I_2)'
    """
    return node.jvec(wrt)


# ---------------------------------------------------------------------------
# The derivative in components
# ---------------------------------------------------------------------------


def tensor_dims(shape: mx.Shape) -> tuple[int, ...]:
    """The tensor axes of an operand: scalars have none, vectors one, matrices two.

    >>> tensor_dims((1, 1)), tensor_dims((3, 1)), tensor_dims((1, 3)), tensor_dims((2, 3))
    ((), (3,), (3,), (2, 3))
    """
    return tuple(d for d in shape if d != 1) if 1 in shape else shape


def _vec_index(shape: mx.Shape, index: Sequence[int]) -> int:
    """Position of a tensor index of an operand of ``shape`` in its vec."""
    if len(index) == 2:
        return index[1] * shape[0] + index[0]
    return index[0] if index else 0


def vec_names(sym_shape: mx.Shape, row_major_names: Sequence[str]) -> list[str]:
    """Names in vec (column-stacking) order from row-major names."""
    rows, cols = sym_shape
    return [row_major_names[i * cols + j] for j in range(cols) for i in range(rows)]


@dataclass(frozen=True)
class MatrixDerivative:
    """A derivative of a matrix expression, in components and (if recognised) compact form.

    ``matrix`` is the result in the requested layout (see the module table);
    ``flattened`` is always ``d vec(f) / d vec(X)`` in that layout, and ``tensor``
    (via :meth:`tensor`) always indexes ``[output indices..., input indices...]``
    as in seed 003. ``compact`` holds the verified compact form of ``matrix``.
    """

    expression: MatrixExpression
    symbols: Mapping[str, mx.Sym]
    wrt: mx.Sym
    name: str
    layout: str
    kind: str  # "jacobian" | "gradient" | "by-scalar" | "tensor"
    value: sympy.ImmutableMatrix  # f itself, in components
    flat_numerator: sympy.ImmutableMatrix
    matrix: sympy.ImmutableMatrix
    compact: mx.Node | None
    why_not: str
    #: ``matrix`` before tidying (what is evaluated at a point, as ``jac --at`` does).
    exact: sympy.ImmutableMatrix

    @property
    def output_shape(self) -> mx.Shape:
        return self.expression.node.shape

    @property
    def tensor_shape(self) -> tuple[int, ...]:
        return tensor_dims(self.output_shape) + tensor_dims(self.wrt.shape)

    @property
    def flattened(self) -> sympy.ImmutableMatrix:
        m = self.flat_numerator
        return m.T if self.layout == "denominator" else m

    @property
    def involves_matrix(self) -> bool:
        return len(tensor_dims(self.output_shape)) == 2 or len(tensor_dims(self.wrt.shape)) == 2

    def entry(self, index: Sequence[int]) -> sympy.Expr:
        """The tensor entry ``∂f[out...]/∂X[in...]`` (0-based indices)."""
        k = len(tensor_dims(self.output_shape))
        row = _vec_index(self.output_shape, index[:k])
        col = _vec_index(self.wrt.shape, index[k:])
        return self.flat_numerator[row, col]

    def tensor(self) -> Any:
        """The tensor as nested lists of SymPy expressions (shape :attr:`tensor_shape`)."""
        dims = self.tensor_shape

        def build(prefix: tuple[int, ...]) -> Any:
            if len(prefix) == len(dims):
                return self.entry(prefix)
            return [build((*prefix, i)) for i in range(dims[len(prefix)])]

        return build(())

    @property
    def output_labels(self) -> list[str]:
        """Names of f's components in vec order: ``f1..fm``, ``K11, K21, K12, K22``."""
        rows, cols = self.output_shape
        if (rows, cols) == (1, 1):
            return [self.name]
        kind = "vector" if rows == 1 or cols == 1 else "matrix"
        return vec_names((rows, cols), mx.component_names(self.name, rows, cols, kind))

    @property
    def variable_labels(self) -> list[str]:
        """The names of vec(X), by position: for a symmetric X, ``X21`` labels the (2, 1)
        position (the variable ``X12``), so that no label is written twice."""
        names = self.wrt.names
        if self.wrt.symmetric:
            names = mx.component_names(self.wrt.name, *self.wrt.shape, "matrix")
        return vec_names(self.wrt.shape, names)

    @property
    def compact_text(self) -> str | None:
        return mx.text(self.compact) if self.compact is not None else None

    @property
    def compact_latex(self) -> str | None:
        return mx.latex(self.compact) if self.compact is not None else None

    def notes(self) -> list[str]:
        """Definitions of the less common notation used in the compact form."""
        if self.compact is None:
            return []
        out: list[str] = []
        seen: set[Hashable] = set()
        for node in mx.walk(self.compact):
            note = node.note()
            if note is not None and note[0] not in seen:
                seen.add(note[0])
                out.append(note[1])
        return out


def _guard(node: mx.Node, wrt: mx.Sym) -> None:
    size = node.size * wrt.size
    if size > MAX_JACOBIAN_ENTRIES:
        raise LimitError(
            f"the derivative would have {size:,} entries (limit {MAX_JACOBIAN_ENTRIES:,})",
            hint="use smaller sizes: the identities are the same at every size",
        )
    for sub in mx.walk(node):
        if isinstance(sub, mx.Inverse) and sub.arg.free and sub.arg.rows > MAX_INVERSE_DIM:
            raise LimitError(
                f"the inverse of the {sub.arg.rows}×{sub.arg.rows} matrix {mx.text(sub.arg)} "
                "is too large to expand into components "
                f"(limit {MAX_INVERSE_DIM}×{MAX_INVERSE_DIM})",
                hint="use a smaller size",
            )
        if isinstance(sub, mx.Det) and sub.arg.free and sub.arg.rows > MAX_DET_DIM:
            raise LimitError(
                f"det of the {sub.arg.rows}×{sub.arg.rows} matrix {mx.text(sub.arg)} "
                f"is too large to expand (limit {MAX_DET_DIM}×{MAX_DET_DIM})",
                hint="use a smaller size",
            )


def _components(node: mx.Node, memo: dict[mx.Node, sympy.ImmutableMatrix]) -> sympy.ImmutableMatrix:
    try:
        return mx.components(node, memo)
    except mx.SingularError as exc:
        raise ShapeError(
            f"{mx.text(exc.node)} is singular (its determinant is identically 0), "
            "so it has no inverse"
        ) from None


def _probe(symbols: set[sympy.Symbol]) -> dict[sympy.Symbol, sympy.Expr]:
    """A fixed, unremarkable rational point for a quick numeric rejection."""
    ordered = sorted(symbols, key=lambda s: s.name)
    return {s: sympy.Rational(7 + 3 * k, 5 + 2 * (k % 7)) for k, s in enumerate(ordered)}


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Exact equality of two scalar expressions (rational functions and more)."""
    d = a - b
    if d == 0:
        return True
    if sympy.count_ops(d) > VERIFY_MAX_OPS:
        return False
    if d.is_polynomial():
        return bool(sympy.expand(d) == 0)
    rational = d.is_rational_function()
    # Expanding a rational function multiplies out big numerators: skip it for those.
    # Transcendental entries (tanh, sigmoid) mostly cancel on expansion.
    if not rational and sympy.expand(d) == 0:
        return True
    if rational:
        # An exact value at a point rejects most wrong candidates before the costly step.
        probe = d.xreplace(_probe(d.free_symbols))
        if probe.is_Rational and probe != 0:
            return False
    # Over one denominator: the difference is zero iff its numerator expands to zero.
    numerator, _ = sympy.fraction(sympy.together(d))
    return bool(sympy.expand(numerator) == 0)


def agrees(compact: sympy.MatrixBase, components: sympy.MatrixBase) -> bool:
    """Whether two component matrices are equal entry by entry (within a bound on operations).

    >>> x = mx.symbol("x")
    >>> agrees(sympy.Matrix([[x * (x + 1)]]), sympy.Matrix([[x**2 + x]]))
    True
    """
    if compact.shape != components.shape:
        return False
    spent = 0
    for a, b in zip(compact, components, strict=True):
        spent += int(sympy.count_ops(a)) + int(sympy.count_ops(b))
        if spent > VERIFY_MAX_TOTAL_OPS or not _same(a, b):
            return False
    return True


def default_wrt(symbols: Mapping[str, mx.Sym]) -> mx.Sym:
    """The only declared vector; failing that, the only declared (non-symmetric) matrix;
    failing that, the only symmetric one."""
    vectors = [s for s in symbols.values() if s.kind == "vector"]
    if len(vectors) == 1:
        return vectors[0]
    matrices = [s for s in symbols.values() if s.kind == "matrix" and not s.symmetric]
    if not vectors and len(matrices) == 1:
        return matrices[0]
    symmetric = [s for s in symbols.values() if s.symmetric]
    if not vectors and not matrices and len(symmetric) == 1:
        return symmetric[0]
    names = ", ".join(symbols) or "none"
    raise InputError(
        "say which symbol to differentiate by, e.g. --wrt x",
        hint=f"declared: {names}",
    )


def _resolve_wrt(wrt: str | None, symbols: Mapping[str, mx.Sym], expr: MatrixExpression) -> mx.Sym:
    if wrt is None:
        return default_wrt(symbols)
    from jacobi.matrix.parse import name_of

    name = name_of(wrt.strip())
    if name in symbols:
        return symbols[name]
    if name in expr.scalars:
        return mx.scalar(name)
    raise InputError(
        f"--wrt {wrt}: no such symbol",
        hint=f"declared: {', '.join(symbols) or 'none'}; declare it with --vector or --matrix",
    )


def matrix_derivative(
    expression: str,
    *,
    vectors: str | Sequence[str] = (),
    matrices: str | Sequence[str] = (),
    symmetric: str | Sequence[str] = (),
    wrt: str | None = None,
    layout: str = "numerator",
    simplify: bool = True,
) -> MatrixDerivative:
    """Differentiate a matrix expression with respect to a declared vector or matrix.

    Parameters
    ----------
    expression
        Text in the matrix language, e.g. ``"W x"``, ``"x^T B x"``, ``"K = R^T R"``.
    vectors, matrices, symmetric
        Declarations such as ``"x:3"``, ``"W:2x3"``, ``"S:3"`` (lists or comma-joined).
    wrt
        The symbol to differentiate by (default: the only declared vector).
    layout
        ``"numerator"`` (the seeds') or ``"denominator"`` (the transpose).
    simplify
        Tidy the component entries with a bounded effort.

    Examples
    --------
    >>> d = matrix_derivative("W x", vectors="x:3", matrices="W:2x3")
    >>> d.compact_text, d.matrix.shape
    ('W', (2, 3))
    >>> matrix_derivative("norm(x)^2", vectors="x:3").compact_text
    '2 x^T'
    >>> d = matrix_derivative("a^T X b", vectors="a:2,b:2", matrices="X:2x2", wrt="X")
    >>> d.compact_text, d.matrix
    ('a b^T', Matrix([
    [a1*b1, a1*b2],
    [a2*b1, a2*b2]]))
    >>> d = matrix_derivative("K = R^T R", matrices="R:3x2")
    >>> d.tensor_shape, d.flattened.shape
    ((2, 2, 3, 2), (4, 6))
    """
    check_layout(layout)
    as_list = [vectors] if isinstance(vectors, str) else list(vectors)
    ms = [matrices] if isinstance(matrices, str) else list(matrices)
    ss = [symmetric] if isinstance(symmetric, str) else list(symmetric)
    symbols = parse_declarations(
        [v for v in as_list if v], [m for m in ms if m], [s for s in ss if s]
    )
    expr = parse_matrix_expression(expression, symbols)
    var = _resolve_wrt(wrt, symbols, expr)
    node = expr.node
    _guard(node, var)
    memo: dict[mx.Node, sympy.ImmutableMatrix] = {}
    value = _components(node, memo)
    comps = [value[i, j] for j in range(value.cols) for i in range(value.rows)]
    variables = [mx.symbol(n) for n in vec_names(var.shape, var.names)]
    raw = sparse_jacobian(comps, variables)
    flat = tidy_matrix(raw, _tidy_entry) if simplify else raw

    kind = result_kind(node.shape, var.shape)
    main = _arrange(flat, kind, node, var)

    exact = _arrange(raw, kind, node, var)
    compact, why_not = _compact(node, var, kind, exact, memo)
    if layout == "denominator":
        main, exact = main.T, exact.T
        if compact is not None:
            compact = alg.transpose(compact)
            if not agrees(_components(compact, memo), main):
                compact, why_not = None, "the transposed form did not check out"
    return MatrixDerivative(
        expression=expr,
        symbols=symbols,
        wrt=var,
        name=expr.name or "f",
        layout=layout,
        kind=kind,
        value=value,
        flat_numerator=flat,
        matrix=main,
        compact=compact,
        why_not=why_not,
        exact=exact,
    )


def _tidy_entry(entry: sympy.Expr) -> sympy.Expr:
    """:func:`~jacobi.math.simplify.tidy` on an entry in few symbols.

    Entries of matrix results are often polynomials in dozens of components
    (``x^T B x``), where factorisation costs seconds and rarely shortens anything;
    those only have common factors pulled out.
    """
    if len(entry.free_symbols) > TIDY_MAX_SYMBOLS:
        return sympy.factor_terms(entry) if entry.is_Add else entry
    return tidy(entry)


def result_kind(out_shape: mx.Shape, wrt_shape: mx.Shape) -> str:
    """``jacobian``, ``gradient`` (scalar by matrix), ``by-scalar`` or ``tensor``."""
    out_dims, in_dims = tensor_dims(out_shape), tensor_dims(wrt_shape)
    if len(out_dims) + len(in_dims) > 2:
        return "tensor"
    if len(in_dims) == 2:
        return "gradient"
    if len(out_dims) == 2:
        return "by-scalar"
    return "jacobian"


def _arrange(
    flat: sympy.ImmutableMatrix, kind: str, node: mx.Node, var: mx.Sym
) -> sympy.ImmutableMatrix:
    """The flattened Jacobian as the result matrix of ``kind`` (numerator layout)."""
    if kind == "gradient":
        p, q = var.shape
        return sympy.ImmutableMatrix(p, q, [flat[0, j * p + i] for i in range(p) for j in range(q)])
    if kind == "by-scalar":
        rows, cols = node.shape
        entries = [flat[j * rows + i, 0] for i in range(rows) for j in range(cols)]
        return sympy.ImmutableMatrix(rows, cols, entries)
    return flat


def sparse_jacobian(
    components: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]
) -> sympy.ImmutableMatrix:
    """∂f_i/∂x_j, differentiating each term of a sum only by the variables it contains.

    ``W x`` with W 100×100 has 10,000 terms per component row; SymPy's ``diff`` of a
    sum visits every term for every variable, this visits each term once.

    Not :func:`jacobi.math.derivatives.differentiate`, for two reasons: that one
    resolves kinks (``Derivative(sign(1/x1), x1)`` becomes ``-2*DiracDelta(1/x1)/x1**2``),
    which would change what ``mjac`` prints and which compact forms check out; and it
    scans every term of a sum once per variable (about 2.5 times slower on ``W x``
    with W 200×200).

    >>> x, y = mx.symbol("x"), mx.symbol("y")
    >>> sparse_jacobian([x**2 + x*y + 3], [x, y])
    Matrix([[2*x + y, x]])
    """
    wanted = set(variables)
    rows: list[list[sympy.Expr]] = []
    for comp in components:
        if isinstance(comp, sympy.Add):
            buckets: dict[sympy.Symbol, list[sympy.Expr]] = {}
            for term in comp.args:
                for s in term.free_symbols & wanted:
                    buckets.setdefault(s, []).append(term)
            rows.append(
                [
                    sympy.Add(*[t.diff(v) for t in buckets[v]]) if v in buckets else sympy.S.Zero
                    for v in variables
                ]
            )
        else:
            free = comp.free_symbols
            rows.append([comp.diff(v) if v in free else sympy.S.Zero for v in variables])
    return sympy.ImmutableMatrix(len(components), len(variables), [e for r in rows for e in r])


def symmetric_gradient(g: mx.Node) -> mx.Node:
    """``G + G^T - G .* I``: the derivative by a symmetric matrix from the gradient ``G`` for
    independent entries (Matrix Cookbook §2.8.2, eq. 141).

    Moving S_ij moves S_ji with it, so the entry (i, j) off the diagonal collects
    G_ij + G_ji, and a diagonal entry G_ii once.

    >>> A = mx.matrix("A", 2, 2)
    >>> mx.text(symmetric_gradient(alg.transpose(A)))  # d tr(A S)/dS, eq. 142
    'A + A^T - A .* I'
    """
    gt = alg.transpose(g)
    coeff, factors = alg.split(g)
    scalars = [f for f in factors if f.is_scalar]
    mats = [f for f in factors if not f.is_scalar]
    core = alg.mul(*mats) if mats else alg.identity(g.rows)
    if isinstance(core, mx.Transpose):
        core = core.arg  # (M^T) .* I = M .* I
    diagonal = core if isinstance(core, mx.Identity) else alg.hadamard(core, alg.identity(g.rows))
    first, second = (gt, g) if _count_transposes(g) > _count_transposes(gt) else (g, gt)
    return alg.add(first, second, alg.neg(alg.mul(coeff, *scalars, diagonal)))


def _count_transposes(node: mx.Node) -> int:
    return sum(1 for n in mx.walk(node) if isinstance(n, mx.Transpose))


def _compact(
    node: mx.Node,
    var: mx.Sym,
    kind: str,
    main: sympy.ImmutableMatrix,
    memo: dict[mx.Node, sympy.ImmutableMatrix],
) -> tuple[mx.Node | None, str]:
    """The compact form of ``main`` (numerator layout) if found and verified."""
    try:
        j = jvec(node, var)
    except mx.NotCompact as exc:
        return None, f"no compact rule for {exc}"
    candidate: mx.Node | None = j
    if var.symmetric and var.rows > 1 and kind != "gradient":
        return None, "no compact rule for a vector or matrix by a symmetric matrix"
    if kind == "gradient":
        candidate = alg.unvec_row(j, var.rows, var.cols)
        if candidate is not None and var.symmetric and var.rows > 1:
            candidate = symmetric_gradient(candidate)
    elif kind == "by-scalar":
        candidate = alg.unvec_col(j, node.rows, node.cols)
    if candidate is None:
        return None, "the result has no recognised matrix form"
    try:
        expanded = _components(candidate, memo)
    except (ShapeError, LimitError):
        return None, "the compact form could not be expanded"
    if not agrees(expanded, main):
        return None, "no compact form checked out against the components"
    return candidate, ""
