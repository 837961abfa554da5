"""The simplifying constructors of matrix expressions, and reading ``vec`` back.

The constructors (:func:`add`, :func:`mul`, :func:`transpose`, :func:`kron`, ...)
apply a few exact algebraic rules as they build (identities drop out of products,
transposes move onto symbols, like terms combine, common factors come out of
sums, Kronecker mixed products contract), so a derivative comes out in the form a
textbook would print. The rules are only ever trusted after
:mod:`jacobi.matrix.calculus` has expanded the result into components and checked it.
What a transpose of each node is, the node says itself
(:meth:`~jacobi.matrix.nodes.Node._eval_transpose`).

>>> from jacobi.matrix.nodes import matrix, text, vector
>>> x, B = vector("x", 3), matrix("B", 3, 3)
>>> text(add(mul(transpose(x), B), mul(transpose(x), transpose(B))))
'x^T (B + B^T)'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy

from jacobi.matrix.functions import DIRECT_DERIVATIVES, canonical, scalar_function
from jacobi.matrix.nodes import (
    Add,
    Commutation,
    Const,
    Identity,
    Literal,
    Mul,
    Node,
    Ones,
    Shape,
    Zero,
)
from jacobi.matrix.operations import (
    Det,
    Diag,
    DiagOf,
    EDiv,
    Elem,
    EPow,
    Hadamard,
    Inverse,
    Kron,
    Norm,
    Pow,
    Total,
    Trace,
    Transpose,
    Vec,
)

ONE = sympy.Integer(1)


def const(value: sympy.Expr | int) -> Const:
    # Never a string: numbers reach here already built by the matrix parser.
    if isinstance(value, int):
        return Const(sympy.Integer(value))
    if not isinstance(value, sympy.Basic):
        raise TypeError(f"const() takes a SymPy number or an int, not {type(value).__name__}")
    return Const(value)


def literal(rows: Sequence[Sequence[sympy.Expr]]) -> Node:
    """A matrix of numbers (:class:`~jacobi.matrix.nodes.Literal`); a 1×1 one is a number."""
    if len(rows) == 1 and len(rows[0]) == 1:
        return const(rows[0][0])
    return Literal(tuple(tuple(r) for r in rows))


def _numbers(node: Node) -> sympy.ImmutableMatrix | None:
    """The entries of a multiple of a literal or of the identity (what folds into one)."""
    c, fs = split(node)
    if len(fs) != 1:
        return None
    f = fs[0]
    if isinstance(f, Literal):
        return sympy.ImmutableMatrix([list(r) for r in f.entries]) * c
    if isinstance(f, Identity):
        return sympy.ImmutableMatrix(sympy.eye(f.n)) * c
    return None


def _fold(nodes: Sequence[Node], combine: Callable[..., sympy.MatrixBase]) -> Node | None:
    """Literals combined into one literal: ``[1, 2] + [3, 4]`` is ``[4, 6]``."""
    if not any(isinstance(f, Literal) for n in nodes for f in split(n)[1]):
        return None
    values = [_numbers(n) for n in nodes]
    if any(v is None for v in values):
        return None
    m = combine(*values)
    return literal([[m[i, j] for j in range(m.cols)] for i in range(m.rows)])


def identity(n: int) -> Node:
    return Identity(n)


def zero(rows: int, cols: int) -> Node:
    return _zero((rows, cols))


def commutation(m: int, n: int) -> Node:
    """K(m, n), which is the identity when m or n is 1."""
    if m == 1 or n == 1:
        return Identity(m * n)
    return Commutation(m, n)


def split(node: Node) -> tuple[sympy.Expr, tuple[Node, ...]]:
    """``node`` as (numeric coefficient, factors)."""
    if isinstance(node, Mul):
        return node.coeff, node.factors
    if isinstance(node, Const):
        return node.value, ()
    return ONE, (node,)


def numeric(node: Node) -> sympy.Expr | None:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Zero) and node.is_scalar:
        return sympy.S.Zero
    if isinstance(node, Identity) and node.n == 1:
        return ONE
    return None


def _zero(shape: Shape) -> Node:
    return Const(sympy.S.Zero) if shape == (1, 1) else Zero(*shape)


def _build(coeff: sympy.Expr, factors: Sequence[Node], shape: Shape) -> Node:
    if coeff == 0:
        return _zero(shape)
    if not factors:
        return Const(coeff)
    if coeff == 1 and len(factors) == 1:
        return factors[0]
    return Mul(coeff, tuple(factors))


def _combine_pair(a: Node, b: Node) -> Node | None:
    """A simpler form of the product ``a b`` of two adjacent matrix factors, or None."""
    if (
        isinstance(a, Kron)
        and isinstance(b, Kron)
        and a.left.cols == b.left.rows
        and a.right.cols == b.right.rows
    ):
        return kron(mul(a.left, b.left), mul(a.right, b.right))
    if a.rows == 1 and isinstance(b, Kron):
        # vec(M)^T (A ⊗ B) = vec(B^T M A)^T
        m = unvec_row(a, b.right.rows, b.left.rows)
        if m is not None:
            return transpose(vec(mul(transpose(b.right), m, b.left)))
    if a.rows == 1 and isinstance(b, Commutation):
        # vec(M)^T K(m, n) = vec(M^T)^T for M n×m
        m = unvec_row(a, b.n, b.m)
        if m is not None:
            return transpose(vec(transpose(m)))
    if a.rows == 1 and isinstance(b, Diag) and isinstance(b.arg, Vec):
        # vec(M)^T diag(vec(D)) = vec(M .* D)^T
        d = b.arg.arg
        m = unvec_row(a, d.rows, d.cols)
        if m is not None:
            return transpose(vec(hadamard(m, d)))
    if isinstance(a, Diag) and isinstance(b, Diag):
        return diag(hadamard(a.arg, b.arg))
    return None


def mul(*items: Node | sympy.Expr | int) -> Node:
    """The product of ``items``; 1×1 items are scalars and may stand anywhere.

    Numbers collect in front, scalar factors follow, identities disappear and
    adjacent Kronecker products contract by the mixed-product rule.

    >>> from jacobi.matrix.nodes import matrix, text, vector
    >>> x, W = vector("x", 3), matrix("W", 2, 3)
    >>> text(mul(2, W, identity(3), x))
    '2 W x'
    """
    nodes = [i if isinstance(i, Node) else const(i) for i in items]
    shape_mats = [n for n in nodes if not n.is_scalar]
    shape: Shape = (shape_mats[0].rows, shape_mats[-1].cols) if shape_mats else (1, 1)
    coeff: sympy.Expr = ONE
    scalars: list[Node] = []
    mats: list[Node] = []
    for node in nodes:
        c, fs = split(node)
        coeff *= c
        # A 1×1 product of vectors (x^T y) stays one scalar factor; others flatten.
        if isinstance(node, Mul) and node.is_scalar and any(not f.is_scalar for f in fs):
            scalars.append(_build(ONE, fs, (1, 1)))
            continue
        for f in fs:
            if isinstance(f, Zero) or (isinstance(f, Const) and f.value == 0):
                return _zero(shape)
            (scalars if f.is_scalar else mats).append(f)
    if coeff == 0:
        return _zero(shape)
    mats = [m for m in mats if not isinstance(m, Identity)] or (
        [Identity(shape[0])] if shape != (1, 1) else []
    )
    changed = True
    while changed and len(mats) > 1:
        changed = False
        for k in range(len(mats) - 1):
            new = _combine_pair(mats[k], mats[k + 1])
            if new is not None:
                c, fs = split(new)
                coeff *= c
                rest_s = [f for f in fs if f.is_scalar]
                rest_m = [f for f in fs if not f.is_scalar and not isinstance(f, Identity)]
                scalars.extend(rest_s)
                mats[k : k + 2] = rest_m
                changed = True
                break
    mats, inner = _scalar_runs(mats)
    scalars.extend(inner)
    scalars = _merge_powers([s for s in scalars if not (isinstance(s, Identity) and s.n == 1)])
    return _build(coeff, [*scalars, *mats], shape)


def _scalar_runs(mats: list[Node]) -> tuple[list[Node], list[Node]]:
    """Split off leading or trailing runs whose product is 1×1: ``x y^T z`` is ``(y^T z) x``."""
    found: list[Node] = []
    while len(mats) > 1:
        if mats[0].rows == 1:
            j = next((k for k in range(len(mats) - 1) if mats[k].cols == 1), None)
            if j is not None:
                found.append(Mul(ONE, tuple(mats[: j + 1])))
                mats = mats[j + 1 :]
                continue
        if mats[-1].cols == 1:
            j = next((k for k in range(len(mats) - 1, 0, -1) if mats[k].rows == 1), None)
            if j is not None:
                found.append(Mul(ONE, tuple(mats[j:])))
                mats = mats[:j]
                continue
        break
    return mats, found


def _merge_powers(scalars: list[Node]) -> list[Node]:
    """``s^a s^b`` → ``s^(a+b)`` for numeric exponents (``det(X)^-1 det(X)`` → 1)."""
    order: list[Node] = []
    exps: dict[Node, sympy.Expr] = {}
    other: list[Node] = []
    for s in scalars:
        if isinstance(s, Pow) and isinstance(s.right, Const):
            base, e = s.left, s.right.value
        else:
            base, e = s, ONE
        if base not in exps:
            order.append(base)
            exps[base] = sympy.S.Zero
        exps[base] += e
    for base in order:
        e = exps[base]
        if e == 0:
            continue
        other.append(base if e == 1 else Pow(base, Const(e)))
    return other


def transpose(a: Node) -> Node:
    """``a^T``, moved onto symbols through products: ``(B x)^T = x^T B^T``.

    Each node class gives its own simpler transpose, if it has one.

    >>> from jacobi.matrix.nodes import matrix, text, vector
    >>> x, B = vector("x", 3), matrix("B", 3, 3)
    >>> text(transpose(mul(B, x)))
    'x^T B^T'
    """
    if a.is_scalar:
        return a
    pushed = a._eval_transpose()
    return pushed if pushed is not None else Transpose(a)


def _like_key(node: Node) -> tuple[sympy.Expr, Node]:
    c, fs = split(node)
    if not fs:
        return c, Const(ONE)
    return c, (fs[0] if len(fs) == 1 else Mul(ONE, fs))


def _factor_common(terms: list[tuple[sympy.Expr, tuple[Node, ...]]], shape: Shape) -> Node | None:
    """``c P (A + B) S`` from ``c P A S + c P B S`` (common prefix P and suffix S).

    A middle part that is only a scalar s becomes ``s I`` where the others are square
    matrices: ``diag(x) x + x / n`` is ``(diag(x) + I / n) x``.
    """
    lists = [fs for _, fs in terms]
    if any(not fs for fs in lists):
        return None
    pre = 0
    while all(len(fs) > pre + 1 for fs in lists) and all(fs[pre] == lists[0][pre] for fs in lists):
        pre += 1
    suf = 0
    while all(len(fs) > pre + suf + 1 for fs in lists) and all(
        fs[-1 - suf] == lists[0][-1 - suf] for fs in lists
    ):
        suf += 1
    if pre == 0 and suf == 0:
        return None
    prefix = lists[0][:pre]
    suffix = lists[0][len(lists[0]) - suf :]
    coeffs = {c for c, _ in terms}
    common = coeffs.pop() if len(coeffs) == 1 else ONE
    inner = [mul(c / common, *fs[pre : len(fs) - suf]) for c, fs in terms]
    pre_m = [f for f in prefix if not f.is_scalar]
    suf_m = [f for f in suffix if not f.is_scalar]
    need = (pre_m[-1].cols if pre_m else shape[0], suf_m[0].rows if suf_m else shape[1])
    if all(part.is_scalar for part in inner):
        need = (1, 1)  # (a + b) c: a sum of scalars times the common factors
    for k, part in enumerate(inner):
        if part.shape == need:
            continue
        if part.is_scalar and need[0] == need[1]:
            inner[k] = mul(part, Identity(need[0]))
        else:
            return None
    return mul(common, *prefix, add(*inner), *suffix)


def add(*items: Node) -> Node:
    """The sum of ``items``: zeros drop out, like terms combine, common factors come out.

    >>> from jacobi.matrix.nodes import matrix, text, vector
    >>> x, B = vector("x", 3), matrix("B", 3, 3)
    >>> text(add(mul(transpose(x), B), mul(transpose(x), B)))
    '2 x^T B'
    """
    flat: list[Node] = []
    for item in items:
        flat.extend(item.terms if isinstance(item, Add) else (item,))
    shape = flat[0].shape
    order: list[Node] = []
    coeffs: dict[Node, sympy.Expr] = {}
    for term in flat:
        if isinstance(term, Zero) or (isinstance(term, Const) and term.value == 0):
            continue
        c, core = _like_key(term)
        if core not in coeffs:
            order.append(core)
            coeffs[core] = ONE * 0
        coeffs[core] += c
    kept = [(coeffs[k], k) for k in order if coeffs[k] != 0]
    diags = [(c, k) for c, k in kept if isinstance(k, Diag)]
    if len(diags) > 1:
        merged = diag(add(*[mul(c, k.arg) for c, k in diags]))
        at = kept.index(diags[0])
        kept = [t for t in kept if t not in diags]
        kept.insert(at, _like_key(merged))
    if not kept:
        return _zero(shape)
    nodes = [mul(c, k) for c, k in kept]
    if len(nodes) == 1:
        return nodes[0]
    folded = _fold(nodes, lambda *ms: sum(ms[1:], ms[0]))
    if folded is not None:
        return folded
    if all(not isinstance(k, Const) for _, k in kept):
        parts = [split(n) for n in nodes]
        factored = _factor_common(parts, shape)
        if factored is not None:
            return factored
    return Add(tuple(nodes))


def neg(a: Node) -> Node:
    return mul(-1, a)


def times(*items: Node | sympy.Expr | int, last: Node) -> Node:
    """``items... last``, distributed over a sum ``last`` so each term can contract.

    >>> from jacobi.matrix.nodes import matrix, text, vector
    >>> x, A, B = vector("x", 2), matrix("A", 2, 2), matrix("B", 2, 2)
    >>> text(times(transpose(x), last=add(A, B)))
    'x^T (A + B)'
    """
    if isinstance(last, Add):
        return add(*[mul(*items, t) for t in last.terms])
    return mul(*items, last)


def inverse(a: Node) -> Node:
    if a.is_scalar:
        return power(a, const(-1))
    if isinstance(a, Identity):
        return a
    if isinstance(a, Inverse):
        return a.arg
    return Inverse(a)


def trace(a: Node) -> Node:
    if a.is_scalar:
        return a
    if isinstance(a, Identity):
        return Const(sympy.Integer(a.n))
    return Trace(a)


def det(a: Node) -> Node:
    if a.is_scalar:
        return a
    if isinstance(a, Identity):
        return Const(ONE)
    return Det(a)


def norm(a: Node) -> Node:
    return Norm(a)


def total(a: Node) -> Node:
    if a.is_scalar:
        return a
    return Total(a)


def diag(v: Node) -> Node:
    """``diag(v)`` for a vector (a scalar stays itself); numbers come out in front."""
    if v.is_scalar:
        return v
    if v.rows == 1:
        v = transpose(v)
    if isinstance(v, Ones):
        return Identity(v.rows)
    if isinstance(v, Zero):
        return Zero(v.rows, v.rows)
    c, fs = split(v)
    if c != 1:
        return mul(c, diag(_build(ONE, fs, v.shape)))
    return Diag(v)


def diag_of(a: Node) -> Node:
    if a.is_scalar:
        return a
    return DiagOf(a)


def vec(a: Node) -> Node:
    """``vec(a)``: columns stacked; a column is its own vec, a row's vec is its transpose."""
    if a.cols == 1:
        return a
    if a.rows == 1:
        return transpose(a)
    if isinstance(a, Zero):
        return Zero(a.size, 1)
    if isinstance(a, Ones):
        return Ones(a.size, 1)
    return Vec(a)


def kron(a: Node, b: Node) -> Node:
    """The Kronecker product ``a ⊗ b``, simplified where a simpler form exists.

    >>> from jacobi.matrix.nodes import matrix, text, vector
    >>> a, b = vector("a", 2), vector("b", 3)
    >>> text(kron(transpose(b), transpose(a)))
    'vec(a b^T)^T'
    """
    if a.is_scalar or b.is_scalar:
        return mul(a, b)
    if isinstance(a, Identity) and isinstance(b, Identity):
        return Identity(a.n * b.n)
    if isinstance(a, Zero) or isinstance(b, Zero):
        return Zero(a.rows * b.rows, a.cols * b.cols)
    if a.rows == 1 and b.rows == 1:  # rows r, s: r ⊗ s = vec(s^T r)^T
        return transpose(vec(mul(transpose(b), a)))
    if a.cols == 1 and b.cols == 1:  # columns c, d: c ⊗ d = vec(d c^T)
        return vec(mul(b, transpose(a)))
    ca, fa = split(a)
    cb, fb = split(b)
    if ca != 1 or cb != 1:
        return mul(ca * cb, Kron(_build(ONE, fa, a.shape), _build(ONE, fb, b.shape)))
    return Kron(a, b)


def hadamard(a: Node, b: Node) -> Node:
    if a.is_scalar or b.is_scalar:
        return mul(a, b)
    if isinstance(a, Ones):
        return b
    if isinstance(b, Ones):
        return a
    if isinstance(a, Zero) or isinstance(b, Zero):
        return Zero(*a.shape)
    folded = _fold((a, b), lambda p, q: p.multiply_elementwise(q))
    if folded is not None:
        return folded
    return Hadamard(a, b)


def ediv(a: Node, b: Node) -> Node:
    if b.is_scalar:
        return mul(a, power(b, const(-1)))
    if a.is_scalar and b.is_scalar:
        return mul(a, power(b, const(-1)))
    if isinstance(a, Zero):
        return Zero(*b.shape)
    return EDiv(a, b)


def epow(a: Node, k: Node) -> Node:
    if a.is_scalar:
        return power(a, k)
    value = numeric(k)
    if value == 1:
        return a
    if value == 0:
        return Ones(*a.shape)
    return EPow(a, k)


def power(base: Node, exp: Node) -> Node:
    """A scalar power; numbers are computed, ``s^1`` is ``s``, ``s^0`` is 1."""
    b, e = numeric(base), numeric(exp)
    if e is not None and e == 1:
        return base
    if e is not None and e == 0:
        return Const(ONE)
    if b is not None and e is not None:
        return Const(b**e)
    if isinstance(base, Pow) and e is not None and e.is_integer:
        inner = numeric(base.right)
        if inner is not None:
            return power(base.left, Const(inner * e))
    return Pow(base, exp)


def elem(func: str, arg: Node, order: int = 0) -> Node:
    """``func`` applied entrywise; known derivatives are written with other functions."""
    func = canonical(func)
    if isinstance(arg, Const):
        return Const(scalar_function(func, order)(arg.value))
    if order == 1 and func == "log":
        return power(arg, const(-1)) if arg.is_scalar else ediv(const(1), arg)
    if order == 1 and func in DIRECT_DERIVATIVES:
        other, sign = DIRECT_DERIVATIVES[func]
        return mul(sign, Elem(other, arg))
    return Elem(func, arg, order)


# ---------------------------------------------------------------------------
# Reading vec back
# ---------------------------------------------------------------------------


def unvec_row(row: Node, p: int, q: int) -> Node | None:
    """M (p×q) with ``vec(M)^T == row``, if ``row`` has a recognisable form.

    >>> from jacobi.matrix.nodes import matrix, text
    >>> M = matrix("M", 2, 3)
    >>> text(unvec_row(mul(2, transpose(vec(M))), 2, 3))
    '2 M'
    """
    if row.rows != 1 or row.cols != p * q:
        return None
    if q == 1:
        return transpose(row)
    if p == 1:
        return row
    if isinstance(row, Transpose) and isinstance(row.arg, Vec) and row.arg.arg.shape == (p, q):
        return row.arg.arg
    if isinstance(row, Ones):
        return Ones(p, q)
    return _unvec_parts(row, p, q, unvec_row)


def unvec_col(col: Node, p: int, q: int) -> Node | None:
    """M (p×q) with ``vec(M) == col``, if ``col`` has a recognisable form.

    >>> from jacobi.matrix.nodes import matrix, text
    >>> M = matrix("M", 2, 3)
    >>> text(unvec_col(add(vec(M), vec(M)), 2, 3))
    '2 M'
    """
    if col.cols != 1 or col.rows != p * q:
        return None
    if q == 1:
        return col
    if p == 1:
        return transpose(col)
    if isinstance(col, Vec) and col.arg.shape == (p, q):
        return col.arg
    return _unvec_parts(col, p, q, unvec_col)


def _unvec_parts(
    node: Node, p: int, q: int, unvec: Callable[[Node, int, int], Node | None]
) -> Node | None:
    """What :func:`unvec_row` and :func:`unvec_col` read alike: products, sums and zeros."""
    if isinstance(node, Mul):
        mats = [f for f in node.factors if not f.is_scalar]
        if len(mats) == 1:
            inner = unvec(mats[0], p, q)
            if inner is not None:
                scal = [f for f in node.factors if f.is_scalar]
                return mul(node.coeff, *scal, inner)
    if isinstance(node, Add):
        parts = [unvec(t, p, q) for t in node.terms]
        if all(part is not None for part in parts):
            return add(*[part for part in parts if part is not None])
    if isinstance(node, Zero):
        return Zero(p, q)
    return None
