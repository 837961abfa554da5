"""Matrix expressions: a small symbolic matrix algebra with shapes.

This is the representation both of what a user writes in the matrix language
(:mod:`jacobi.matrixparse`) and of the compact derivatives that
:mod:`jacobi.matrixcalc` builds from it. Every node knows its shape, can be
expanded into an explicit SymPy matrix of scalar components (``x1``, ``W11``, ...)
and prints itself in jacobi's matrix syntax (``x^T (B + B^T)``) and in LaTeX
(``\\mathbf{x}^\\top``).

The constructors (:func:`add`, :func:`mul`, :func:`transpose`, :func:`kron`, ...)
apply a few exact algebraic rules as they build (identities drop out of products,
transposes move onto symbols, like terms combine, common factors come out of
sums, Kronecker mixed products contract), so a derivative comes out in the form a
textbook would print. The rules are only ever trusted after
:mod:`jacobi.matrixcalc` has expanded the result into components and checked it.

>>> x = vector("x", 3)
>>> B = matrix("B", 3, 3)
>>> e = add(mul(transpose(x), B), mul(transpose(x), transpose(B)))
>>> text(e)
'x^T (B + B^T)'
>>> e.shape
(1, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy

Shape = tuple[int, int]

# Printing precedence: a child printed inside a parent with a higher level is wrapped.
ADD, MUL, UNARY, POW, ATOM = 1, 2, 3, 4, 5


class NotCompact(Exception):
    """The compact-form engine has no rule for this expression (components still work)."""


def symbol(name: str) -> sympy.Symbol:
    """The real SymPy symbol for a scalar component name (``x1``, ``W23``, ``a``).

    The same object :func:`jacobi.parse.symbol` gives, so results mix with scalar ones.

    >>> symbol("W11").is_real
    True
    """
    from jacobi.lang.parse import symbol as parse_symbol

    return parse_symbol(name)


# ---------------------------------------------------------------------------
# Elementwise scalar functions
# ---------------------------------------------------------------------------

_U = sympy.Dummy("u", real=True)


def _sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


def _softplus(u: sympy.Expr) -> sympy.Expr:
    return sympy.log(1 + sympy.exp(u))


#: Scalar functions applied entry by entry to vectors and matrices.
ELEMENTWISE: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "sec": sympy.sec,
    "csc": sympy.csc,
    "cot": sympy.cot,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "sech": sympy.sech,
    "asinh": sympy.asinh,
    "acosh": sympy.acosh,
    "atanh": sympy.atanh,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "erf": sympy.erf,
}
ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "ln": "log"}

#: f' written with another function of the list: sin' = cos, cos' = -sin, ...
DIRECT_DERIVATIVES: dict[str, tuple[str, int]] = {
    "sin": ("cos", 1),
    "cos": ("sin", -1),
    "exp": ("exp", 1),
    "sinh": ("cosh", 1),
    "cosh": ("sinh", 1),
    "abs": ("sign", 1),
}

#: What f'(u) means, for derivatives printed as ``f'(...)`` (jacobi's scalar syntax).
DERIVATIVE_NOTES: dict[str, str] = {
    "tan": "1 + tan(u)^2",
    "sec": "sec(u) tan(u)",
    "csc": "-csc(u) cot(u)",
    "cot": "-1 - cot(u)^2",
    "asin": "1/sqrt(1 - u^2)",
    "acos": "-1/sqrt(1 - u^2)",
    "atan": "1/(1 + u^2)",
    "tanh": "1 - tanh(u)^2",
    "sech": "-sech(u) tanh(u)",
    "asinh": "1/sqrt(u^2 + 1)",
    "acosh": "1/sqrt(u^2 - 1)",
    "atanh": "1/(1 - u^2)",
    "log": "1/u",
    "sqrt": "1/(2 sqrt(u))",
    "sigmoid": "sigmoid(u) (1 - sigmoid(u))",
    "softplus": "sigmoid(u)",
    "erf": "2 exp(-u^2)/sqrt(pi)",
    "sign": "0 (away from u = 0)",
}

_LATEX_FUNCS = {
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "sec": r"\sec",
    "csc": r"\csc",
    "cot": r"\cot",
    "asin": r"\arcsin",
    "acos": r"\arccos",
    "atan": r"\arctan",
    "sinh": r"\sinh",
    "cosh": r"\cosh",
    "tanh": r"\tanh",
    "exp": r"\exp",
    "log": r"\log",
    "sigmoid": r"\sigma",
}


def scalar_function(name: str, order: int = 0) -> Callable[[sympy.Expr], sympy.Expr]:
    """The SymPy function for ``name`` or its ``order``-th derivative.

    >>> x = symbol("x")
    >>> scalar_function("sin", 1)(x)
    cos(x)
    """
    base = ELEMENTWISE[name]
    if order == 0:
        return base
    deriv = sympy.diff(base(_U), _U, order)
    return lambda arg: deriv.xreplace({_U: arg})


# ---------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------


class Node:
    """A matrix expression; subclasses are frozen dataclasses (hashable, comparable)."""

    @property
    def shape(self) -> Shape:
        raise NotImplementedError

    @property
    def rows(self) -> int:
        return self.shape[0]

    @property
    def cols(self) -> int:
        return self.shape[1]

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def is_scalar(self) -> bool:
        return self.shape == (1, 1)

    @property
    def is_vector(self) -> bool:
        """A column or a row with more than one entry."""
        return (self.rows == 1) != (self.cols == 1)

    def children(self) -> tuple[Node, ...]:
        return ()

    @cached_property
    def free(self) -> frozenset[str]:
        """Names of the declared symbols this expression depends on."""
        out: frozenset[str] = frozenset()
        for c in self.children():
            out |= c.free
        return out

    def __str__(self) -> str:
        return text(self)


@dataclass(frozen=True)
class Sym(Node):
    """A declared vector or matrix, or an undeclared scalar name.

    ``names`` are the component names in row-major order (a symmetric matrix
    repeats ``S12`` at (1, 2) and (2, 1)).
    """

    name: str
    nrows: int
    ncols: int
    kind: str  # "scalar" | "vector" | "matrix"
    names: tuple[str, ...]
    symmetric: bool = False

    @property
    def shape(self) -> Shape:
        return (self.nrows, self.ncols)

    @cached_property
    def free(self) -> frozenset[str]:
        return frozenset({self.name})


@dataclass(frozen=True)
class Const(Node):
    """A number or a constant such as ``pi`` (a 1×1 scalar)."""

    value: sympy.Expr

    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Identity(Node):
    n: int

    @property
    def shape(self) -> Shape:
        return (self.n, self.n)


@dataclass(frozen=True)
class Zero(Node):
    nrows: int
    ncols: int

    @property
    def shape(self) -> Shape:
        return (self.nrows, self.ncols)


@dataclass(frozen=True)
class Ones(Node):
    """The all-ones vector or matrix (``1`` in ``d sum(x)/dx = 1^T``)."""

    nrows: int
    ncols: int

    @property
    def shape(self) -> Shape:
        return (self.nrows, self.ncols)


@dataclass(frozen=True)
class Commutation(Node):
    """The commutation matrix K(m, n): ``K vec(A) = vec(A^T)`` for an m×n matrix A."""

    m: int
    n: int

    @property
    def shape(self) -> Shape:
        return (self.m * self.n, self.m * self.n)


@dataclass(frozen=True)
class Add(Node):
    terms: tuple[Node, ...]

    @property
    def shape(self) -> Shape:
        return self.terms[0].shape

    def children(self) -> tuple[Node, ...]:
        return self.terms


@dataclass(frozen=True)
class Mul(Node):
    """``coeff`` times the product of ``factors``; 1×1 factors act as scalars."""

    coeff: sympy.Expr
    factors: tuple[Node, ...]

    @property
    def shape(self) -> Shape:
        mats = [f for f in self.factors if not f.is_scalar]
        if not mats:
            return (1, 1)
        return (mats[0].rows, mats[-1].cols)

    def children(self) -> tuple[Node, ...]:
        return self.factors


@dataclass(frozen=True)
class Unary(Node):
    arg: Node

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Transpose(Unary):
    @property
    def shape(self) -> Shape:
        return (self.arg.cols, self.arg.rows)


@dataclass(frozen=True)
class Inverse(Unary):
    @property
    def shape(self) -> Shape:
        return self.arg.shape


@dataclass(frozen=True)
class Trace(Unary):
    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Det(Unary):
    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Norm(Unary):
    """The Euclidean norm of a vector (Frobenius norm of a matrix)."""

    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Total(Unary):
    """``sum(a)``: the sum of all entries."""

    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Diag(Unary):
    """``diag(v)``: the diagonal matrix with the entries of the column vector v."""

    @property
    def shape(self) -> Shape:
        return (self.arg.rows, self.arg.rows)


@dataclass(frozen=True)
class DiagOf(Unary):
    """``diag(A)`` of a square matrix: the column of its diagonal entries."""

    @property
    def shape(self) -> Shape:
        return (self.arg.rows, 1)


@dataclass(frozen=True)
class Vec(Unary):
    """``vec(A)``: the columns of A stacked into one column (seed 003)."""

    @property
    def shape(self) -> Shape:
        return (self.arg.size, 1)


@dataclass(frozen=True)
class Elem(Node):
    """A scalar function applied entry by entry; ``order`` > 0 is its derivative."""

    func: str
    arg: Node
    order: int = 0

    @property
    def shape(self) -> Shape:
        return self.arg.shape

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)


@dataclass(frozen=True)
class Binary(Node):
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Kron(Binary):
    @property
    def shape(self) -> Shape:
        return (self.left.rows * self.right.rows, self.left.cols * self.right.cols)


@dataclass(frozen=True)
class Hadamard(Binary):
    """Elementwise product ``a .* b`` of equal shapes."""

    @property
    def shape(self) -> Shape:
        return self.left.shape


@dataclass(frozen=True)
class EDiv(Binary):
    """Elementwise quotient ``a ./ b`` (``a`` may be a scalar)."""

    @property
    def shape(self) -> Shape:
        return self.right.shape


@dataclass(frozen=True)
class EPow(Binary):
    """Elementwise power ``a.^k`` with a scalar exponent."""

    @property
    def shape(self) -> Shape:
        return self.left.shape


@dataclass(frozen=True)
class Pow(Binary):
    """A scalar to a scalar power."""

    @property
    def shape(self) -> Shape:
        return (1, 1)


# ---------------------------------------------------------------------------
# Declared symbols
# ---------------------------------------------------------------------------


def component_names(name: str, rows: int, cols: int, kind: str) -> tuple[str, ...]:
    """Row-major component names: ``x1..xn``; ``W11..Wmn``; ``W_1_1`` once a size is ≥ 10.

    A name that ends in a digit gets an underscore before its indices (``h2_1``).

    >>> component_names("x", 3, 1, "vector")
    ('x1', 'x2', 'x3')
    >>> component_names("W", 2, 2, "matrix")
    ('W11', 'W12', 'W21', 'W22')
    >>> component_names("A", 10, 2, "matrix")[:2]
    ('A_1_1', 'A_1_2')
    """
    if kind == "scalar":
        return (name,)
    sep = "_" if name[-1].isdigit() else ""
    if kind == "vector":
        return tuple(f"{name}{sep}{i + 1}" for i in range(rows * cols))
    if rows >= 10 or cols >= 10:
        return tuple(f"{name}_{i + 1}_{j + 1}" for i in range(rows) for j in range(cols))
    return tuple(f"{name}{sep}{i + 1}{j + 1}" for i in range(rows) for j in range(cols))


def vector(name: str, n: int) -> Sym:
    """A declared column vector ``name`` ∈ R^n with components name1..namen."""
    return Sym(name, n, 1, "vector", component_names(name, n, 1, "vector"))


def matrix(name: str, rows: int, cols: int, *, symmetric: bool = False) -> Sym:
    """A declared matrix; a symmetric one uses ``S12`` for both (1, 2) and (2, 1)."""
    names = component_names(name, rows, cols, "matrix")
    if symmetric:
        names = tuple(names[min(i, j) * cols + max(i, j)] for i in range(rows) for j in range(cols))
    return Sym(name, rows, cols, "matrix", names, symmetric)


def scalar(name: str) -> Sym:
    """An undeclared name: a real scalar constant of the problem."""
    return Sym(name, 1, 1, "scalar", (name,))


# ---------------------------------------------------------------------------
# Simplifying constructors
# ---------------------------------------------------------------------------

ONE = sympy.Integer(1)


def const(value: sympy.Expr | int) -> Const:
    # Never a string: numbers reach here already built by the matrix parser.
    if isinstance(value, int):
        return Const(sympy.Integer(value))
    if not isinstance(value, sympy.Basic):
        raise TypeError(f"const() takes a SymPy number or an int, not {type(value).__name__}")
    return Const(value)


def identity(n: int) -> Node:
    return Identity(n)


def zero(rows: int, cols: int) -> Node:
    return _zero((rows, cols))


def commutation(m: int, n: int) -> Node:
    """K(m, n), which is the identity when m or n is 1."""
    if m == 1 or n == 1:
        return Identity(m * n)
    return Commutation(m, n)


def _split(node: Node) -> tuple[sympy.Expr, tuple[Node, ...]]:
    """``node`` as (numeric coefficient, factors)."""
    if isinstance(node, Mul):
        return node.coeff, node.factors
    if isinstance(node, Const):
        return node.value, ()
    return ONE, (node,)


def _numeric(node: Node) -> sympy.Expr | None:
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
        c, fs = _split(node)
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
                c, fs = _split(new)
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


def _transposes(node: Node) -> int:
    own = 1 if isinstance(node, Transpose) else 0
    return own + sum(_transposes(c) for c in node.children())


def transpose(a: Node) -> Node:
    """``a^T``, moved onto symbols through products: ``(B x)^T = x^T B^T``.

    >>> x, B = vector("x", 3), matrix("B", 3, 3)
    >>> text(transpose(mul(B, x)))
    'x^T B^T'
    """
    if a.is_scalar:
        return a
    if isinstance(a, Transpose):
        return a.arg
    if isinstance(a, Sym) and a.symmetric:
        return a
    if isinstance(a, Identity | Diag | Commutation):
        return a if not isinstance(a, Commutation) else commutation(a.n, a.m)
    if isinstance(a, Zero):
        return Zero(a.ncols, a.nrows)
    if isinstance(a, Ones):
        return Ones(a.ncols, a.nrows)
    if isinstance(a, Mul):
        return mul(a.coeff, *[transpose(f) for f in reversed(a.factors)])
    if isinstance(a, Kron):
        return kron(transpose(a.left), transpose(a.right))
    if isinstance(a, Elem):
        return Elem(a.func, transpose(a.arg), a.order)
    if isinstance(a, Hadamard):
        return hadamard(transpose(a.left), transpose(a.right))
    if isinstance(a, Add):
        pushed = add(*[transpose(t) for t in a.terms])
        if _transposes(pushed) < _transposes(a) + 1:
            return pushed
    return Transpose(a)


def _like_key(node: Node) -> tuple[sympy.Expr, Node]:
    c, fs = _split(node)
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
    if all(not isinstance(k, Const) for _, k in kept):
        split = [_split(n) for n in nodes]
        factored = _factor_common(split, shape)
        if factored is not None:
            return factored
    return Add(tuple(nodes))


def neg(a: Node) -> Node:
    return mul(-1, a)


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
    c, fs = _split(v)
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
    ca, fa = _split(a)
    cb, fb = _split(b)
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
    value = _numeric(k)
    if value == 1:
        return a
    if value == 0:
        return Ones(*a.shape)
    return EPow(a, k)


def power(base: Node, exp: Node) -> Node:
    """A scalar power; numbers are computed, ``s^1`` is ``s``, ``s^0`` is 1."""
    b, e = _numeric(base), _numeric(exp)
    if e is not None and e == 1:
        return base
    if e is not None and e == 0:
        return Const(ONE)
    if b is not None and e is not None:
        return Const(b**e)
    if isinstance(base, Pow) and e is not None and e.is_integer:
        inner = _numeric(base.right)
        if inner is not None:
            return power(base.left, Const(inner * e))
    return Pow(base, exp)


def elem(func: str, arg: Node, order: int = 0) -> Node:
    """``func`` applied entrywise; known derivatives are written with other functions."""
    func = ALIASES.get(func, func)
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
    """M (p×q) with ``vec(M)^T == row``, if ``row`` has a recognisable form."""
    if row.rows != 1 or row.cols != p * q:
        return None
    if q == 1:
        return transpose(row)
    if p == 1:
        return row
    if isinstance(row, Transpose) and isinstance(row.arg, Vec) and row.arg.arg.shape == (p, q):
        return row.arg.arg
    if isinstance(row, Mul):
        mats = [f for f in row.factors if not f.is_scalar]
        if len(mats) == 1:
            inner = unvec_row(mats[0], p, q)
            if inner is not None:
                scal = [f for f in row.factors if f.is_scalar]
                return mul(row.coeff, *scal, inner)
    if isinstance(row, Add):
        parts = [unvec_row(t, p, q) for t in row.terms]
        if all(part is not None for part in parts):
            return add(*[part for part in parts if part is not None])
    if isinstance(row, Zero):
        return Zero(p, q)
    if isinstance(row, Ones):
        return Ones(p, q)
    return None


def unvec_col(col: Node, p: int, q: int) -> Node | None:
    """M (p×q) with ``vec(M) == col``, if ``col`` has a recognisable form."""
    if col.cols != 1 or col.rows != p * q:
        return None
    if q == 1:
        return col
    if p == 1:
        return transpose(col)
    if isinstance(col, Vec) and col.arg.shape == (p, q):
        return col.arg
    if isinstance(col, Mul):
        mats = [f for f in col.factors if not f.is_scalar]
        if len(mats) == 1:
            inner = unvec_col(mats[0], p, q)
            if inner is not None:
                scal = [f for f in col.factors if f.is_scalar]
                return mul(col.coeff, *scal, inner)
    if isinstance(col, Add):
        parts = [unvec_col(t, p, q) for t in col.terms]
        if all(part is not None for part in parts):
            return add(*[part for part in parts if part is not None])
    if isinstance(col, Zero):
        return Zero(p, q)
    return None


# ---------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------


def _vec_list(m: sympy.MatrixBase) -> list[sympy.Expr]:
    return [m[i, j] for j in range(m.cols) for i in range(m.rows)]


def _commutation_matrix(m: int, n: int) -> sympy.ImmutableMatrix:
    size = m * n
    entries = [[0] * size for _ in range(size)]
    for i in range(m):
        for j in range(n):
            # A[i, j] sits at j*m + i in vec(A) and at i*n + j in vec(A^T).
            entries[i * n + j][j * m + i] = 1
    return sympy.ImmutableMatrix(entries)


def _scalar_of(m: sympy.MatrixBase) -> sympy.Expr:
    return m[0, 0]


class SingularError(Exception):
    """An inverse of a matrix whose determinant is identically zero."""

    def __init__(self, node: Node) -> None:
        super().__init__(text(node))
        self.node = node


def components(
    node: Node, memo: dict[Node, sympy.ImmutableMatrix] | None = None
) -> sympy.ImmutableMatrix:
    """The explicit matrix of scalar SymPy expressions that ``node`` stands for.

    >>> W, x = matrix("W", 2, 2), vector("x", 2)
    >>> components(mul(W, x))
    Matrix([
    [W11*x1 + W12*x2],
    [W21*x1 + W22*x2]])
    """
    if memo is None:
        memo = {}
    if node in memo:
        return memo[node]
    out = _components(node, memo)
    memo[node] = out
    return out


def _components(node: Node, memo: dict[Node, sympy.ImmutableMatrix]) -> sympy.ImmutableMatrix:
    def comp(n: Node) -> sympy.ImmutableMatrix:
        return components(n, memo)

    mat = sympy.ImmutableMatrix
    if isinstance(node, Sym):
        return mat(node.nrows, node.ncols, [symbol(n) for n in node.names])
    if isinstance(node, Const):
        return mat([[node.value]])
    if isinstance(node, Identity):
        return mat(sympy.eye(node.n))
    if isinstance(node, Zero):
        return mat(sympy.zeros(node.nrows, node.ncols))
    if isinstance(node, Ones):
        return mat(sympy.ones(node.nrows, node.ncols))
    if isinstance(node, Commutation):
        return _commutation_matrix(node.m, node.n)
    if isinstance(node, Add):
        total_m = comp(node.terms[0]).as_mutable()
        for t in node.terms[1:]:
            total_m += comp(t)
        return mat(total_m)
    if isinstance(node, Mul):
        factor: sympy.Expr = node.coeff
        acc: sympy.MatrixBase | None = None
        for f in node.factors:
            m = comp(f)
            if f.is_scalar:
                factor *= _scalar_of(m)
            else:
                acc = m if acc is None else acc * m
        if acc is None:
            return mat([[factor]])
        return mat(acc * factor) if factor != 1 else mat(acc)
    if isinstance(node, Transpose):
        return mat(comp(node.arg).T)
    if isinstance(node, Inverse):
        m = comp(node.arg)
        d = m.det(method="berkowitz")
        if sympy.expand(d) == 0:
            raise SingularError(node.arg)
        return mat(m.adjugate(method="berkowitz") / d)
    if isinstance(node, Trace):
        return mat([[comp(node.arg).trace()]])
    if isinstance(node, Det):
        return mat([[comp(node.arg).det(method="berkowitz")]])
    if isinstance(node, Norm):
        m = comp(node.arg)
        return mat([[sympy.sqrt(sum((e**2 for e in m), sympy.S.Zero))]])
    if isinstance(node, Total):
        return mat([[sum(comp(node.arg), sympy.S.Zero)]])
    if isinstance(node, Diag):
        return mat(sympy.diag(*list(comp(node.arg))))
    if isinstance(node, DiagOf):
        m = comp(node.arg)
        return mat(m.rows, 1, [m[i, i] for i in range(m.rows)])
    if isinstance(node, Vec):
        m = comp(node.arg)
        return mat(len(m), 1, _vec_list(m))
    if isinstance(node, Elem):
        fn = scalar_function(node.func, node.order)
        return mat(comp(node.arg).applyfunc(fn))
    if isinstance(node, Kron):
        a, b = comp(node.left), comp(node.right)
        rows = []
        for i in range(a.rows):
            for k in range(b.rows):
                rows.append([a[i, j] * b[k, m] for j in range(a.cols) for m in range(b.cols)])
        return mat(rows)
    if isinstance(node, Hadamard):
        return mat(comp(node.left).multiply_elementwise(comp(node.right)))
    if isinstance(node, EDiv):
        num, den = comp(node.left), comp(node.right)
        if node.left.is_scalar:
            s = _scalar_of(num)
            return mat(den.applyfunc(lambda e: s / e))
        return mat(den.rows, den.cols, [a / b for a, b in zip(num, den, strict=True)])
    if isinstance(node, EPow):
        k = _scalar_of(comp(node.right))
        return mat(comp(node.left).applyfunc(lambda e: e**k))
    if isinstance(node, Pow):
        return mat([[_scalar_of(comp(node.left)) ** _scalar_of(comp(node.right))]])
    raise TypeError(f"no components for {type(node).__name__}")


# ---------------------------------------------------------------------------
# Printing: jacobi's matrix syntax
# ---------------------------------------------------------------------------


def _number_text(value: sympy.Expr) -> tuple[str, int]:
    if value == sympy.E:
        return "e", ATOM
    s = str(value).replace("**", "^").replace("E", "e")
    if value.is_Integer or value.is_Symbol or value in (sympy.pi,):
        return s, (UNARY if value.is_negative else ATOM)
    if value.could_extract_minus_sign():
        return s, UNARY
    if isinstance(value, sympy.Function) or value.is_Pow:
        return s, POW
    return s, MUL


def _wrap(pair: tuple[str, int], level: int) -> str:
    s, p = pair
    return f"({s})" if p < level else s


def _identity_text(node: Identity, in_kron: bool) -> str:
    return f"I_{node.n}" if in_kron else "I"


def _text(node: Node, in_kron: bool = False) -> tuple[str, int]:
    if isinstance(node, Sym):
        return node.name, ATOM
    if isinstance(node, Const):
        return _number_text(node.value)
    if isinstance(node, Identity):
        return _identity_text(node, in_kron), ATOM
    if isinstance(node, Zero):
        return "0", ATOM
    if isinstance(node, Ones):
        return ("1^T", POW) if node.nrows == 1 and node.ncols > 1 else ("1", ATOM)
    if isinstance(node, Commutation):
        return f"commutation({node.m}, {node.n})", ATOM
    if isinstance(node, Add):
        parts: list[str] = []
        for k, t in enumerate(node.terms):
            c, _ = _split(t)
            if k > 0 and c.could_extract_minus_sign():
                parts.append("- " + _wrap(_text(neg(t)), MUL))
            else:
                s = _wrap(_text(t), ADD + 1) if k > 0 else _text(t)[0]
                parts.append(("+ " if k > 0 else "") + s)
        return " ".join(parts), ADD
    if isinstance(node, Mul):
        return _mul_text(node)
    if isinstance(node, Transpose):
        return _wrap(_text(node.arg), ATOM) + "^T", POW
    if isinstance(node, Inverse):
        return _wrap(_text(node.arg), ATOM) + "^-1", POW
    if isinstance(node, Elem):
        name = node.func + "'" * node.order
        return f"{name}({_text(node.arg)[0]})", ATOM
    if isinstance(node, Kron):
        return f"kron({_text(node.left, True)[0]}, {_text(node.right, True)[0]})", ATOM
    if isinstance(node, Hadamard):
        return f"{_wrap(_text(node.left), POW)} .* {_wrap(_text(node.right), POW)}", MUL
    if isinstance(node, EDiv):
        return f"{_wrap(_text(node.left), POW)} ./ {_wrap(_text(node.right), POW)}", MUL
    if isinstance(node, EPow):
        return f"{_wrap(_text(node.left), ATOM)}.^{_wrap(_text(node.right), ATOM)}", POW
    if isinstance(node, Pow):
        exp = _numeric(node.right)
        if exp is not None and exp.is_Integer:
            return f"{_wrap(_text(node.left), ATOM)}^{exp}", POW
        return f"{_wrap(_text(node.left), ATOM)}^{_wrap(_text(node.right), ATOM)}", POW
    names = {Trace: "tr", Det: "det", Norm: "norm", Total: "sum", Diag: "diag", DiagOf: "diag"}
    names[Vec] = "vec"
    if isinstance(node, Unary) and type(node) in names:
        return f"{names[type(node)]}({_text(node.arg)[0]})", ATOM
    raise TypeError(f"cannot print {type(node).__name__}")


def _denominator(f: Node) -> Node | None:
    if isinstance(f, Pow):
        e = _numeric(f.right)
        if e is not None and e.is_negative:
            return power(f.left, Const(-e))
    return None


def _mul_text(node: Mul) -> tuple[str, int]:
    num: list[str] = []
    den: list[str] = []
    for f in node.factors:
        d = _denominator(f)
        if d is not None:
            den.append(_wrap(_text(d), POW))
        else:
            num.append(_wrap(_text(f), POW))
    coeff = node.coeff
    sign = ""
    if coeff.could_extract_minus_sign():
        sign, coeff = "-", -coeff
    if coeff != 1 and coeff.is_Rational and not coeff.is_Integer and num:
        num.insert(0, f"{coeff.p}/{coeff.q}")
    elif coeff != 1 or not num:
        num.insert(0, _wrap(_number_text(coeff), MUL) if num else _number_text(coeff)[0])
    body = " ".join(num)
    if den:
        body += "".join(f" / {d}" for d in den)
    return sign + body, (UNARY if sign else MUL)


def text(node: Node) -> str:
    """``node`` in jacobi's matrix syntax (which :mod:`jacobi.matrixparse` reads back).

    >>> x, A = vector("x", 2), matrix("A", 2, 2)
    >>> text(mul(-2, transpose(add(x, neg(mul(A, x)))), A))
    '-2 (x - A x)^T A'
    """
    return _text(node)[0]


# ---------------------------------------------------------------------------
# Printing: LaTeX
# ---------------------------------------------------------------------------


def symbol_latex(name: str, bold: bool) -> str:
    r"""LaTeX for a symbol name: ``\mathbf{W}``, ``\boldsymbol{\Phi}``, ``\theta``.

    >>> symbol_latex("Phi", True), symbol_latex("x_2", True), symbol_latex("a", False)
    ('\\boldsymbol{\\Phi}', '\\mathbf{x}_{2}', 'a')
    """
    plain = str(sympy.latex(sympy.Symbol(name)))
    if not bold:
        return plain
    cut = len(plain)
    for mark in ("_", "^"):
        k = plain.find(mark)
        if k > 0:
            cut = min(cut, k)
    base, rest = plain[:cut], plain[cut:]
    wrapper = r"\boldsymbol" if base.startswith("\\") else r"\mathbf"
    return f"{wrapper}{{{base}}}{rest}"


def _lwrap(pair: tuple[str, int], level: int) -> str:
    s, p = pair
    return rf"\left({s}\right)" if p < level else s


def _latex(node: Node, in_kron: bool = False) -> tuple[str, int]:
    if isinstance(node, Sym):
        return symbol_latex(node.name, node.kind != "scalar"), ATOM
    if isinstance(node, Const):
        v = node.value
        s = sympy.latex(v)
        if v.could_extract_minus_sign():
            return s, UNARY
        return s, (ATOM if v.is_Integer or v.is_Symbol or v == sympy.pi else MUL)
    if isinstance(node, Identity):
        return (rf"\mathbf{{I}}_{{{node.n}}}" if in_kron else r"\mathbf{I}"), ATOM
    if isinstance(node, Zero):
        return r"\mathbf{0}", ATOM
    if isinstance(node, Ones):
        if node.nrows == 1 and node.ncols > 1:
            return r"\mathbf{1}^\top", POW
        return r"\mathbf{1}", ATOM
    if isinstance(node, Commutation):
        return rf"\mathbf{{K}}_{{{node.m},{node.n}}}", ATOM
    if isinstance(node, Add):
        parts: list[str] = []
        for k, t in enumerate(node.terms):
            c, _ = _split(t)
            if k > 0 and c.could_extract_minus_sign():
                parts.append("- " + _lwrap(_latex(neg(t)), MUL))
            else:
                parts.append(("+ " if k > 0 else "") + _latex(t)[0])
        return " ".join(parts), ADD
    if isinstance(node, Mul):
        return _mul_latex(node)
    if isinstance(node, Transpose):
        return _lwrap(_latex(node.arg), ATOM) + r"^\top", POW
    if isinstance(node, Inverse):
        return _lwrap(_latex(node.arg), ATOM) + "^{-1}", POW
    if isinstance(node, Elem):
        arg = _latex(node.arg)[0]
        prime = "'" * node.order
        if node.func == "sqrt" and node.order == 0:
            return rf"\sqrt{{{arg}}}", ATOM
        if node.func == "abs" and node.order == 0:
            return rf"\left|{arg}\right|", ATOM
        name = _LATEX_FUNCS.get(node.func, rf"\operatorname{{{node.func}}}")
        return rf"{name}{prime}\left({arg}\right)", ATOM
    if isinstance(node, Kron):
        left = _lwrap(_latex(node.left, True), POW)
        right = _lwrap(_latex(node.right, True), POW)
        return rf"{left} \otimes {right}", MUL
    if isinstance(node, Hadamard):
        return rf"{_lwrap(_latex(node.left), MUL)} \odot {_lwrap(_latex(node.right), POW)}", MUL
    if isinstance(node, EDiv):
        return rf"{_lwrap(_latex(node.left), MUL)} \oslash {_lwrap(_latex(node.right), POW)}", MUL
    if isinstance(node, EPow):
        return rf"{_lwrap(_latex(node.left), ATOM)}^{{\circ {_latex(node.right)[0]}}}", POW
    if isinstance(node, Pow):
        return rf"{_lwrap(_latex(node.left), ATOM)}^{{{_latex(node.right)[0]}}}", POW
    if isinstance(node, Norm):
        return rf"\left\lVert {_latex(node.arg)[0]} \right\rVert", ATOM
    ops = {
        Trace: r"\operatorname{tr}",
        Det: r"\det",
        Total: r"\operatorname{sum}",
        Diag: r"\operatorname{diag}",
        DiagOf: r"\operatorname{diag}",
        Vec: r"\operatorname{vec}",
    }
    if isinstance(node, Unary) and type(node) in ops:
        return rf"{ops[type(node)]}\left({_latex(node.arg)[0]}\right)", ATOM
    raise TypeError(f"cannot print {type(node).__name__}")


def _mul_latex(node: Mul) -> tuple[str, int]:
    num: list[str] = []
    den: list[str] = []
    for f in node.factors:
        d = _denominator(f)
        if d is not None:
            den.append(_latex(d)[0])
        else:
            num.append(_lwrap(_latex(f), POW if not isinstance(f, Kron) else ATOM))
    coeff = node.coeff
    sign = ""
    if coeff.could_extract_minus_sign():
        sign, coeff = "-", -coeff
    body = " ".join(num)
    if den:
        body = rf"\frac{{{body or '1'}}}{{{' '.join(den)}}}"
    if coeff != 1 or not body:
        c = sympy.latex(coeff)
        body = f"{c} {body}".strip() if body else c
    return sign + body, (UNARY if sign else MUL)


def latex(node: Node) -> str:
    r"""``node`` in standard LaTeX notation.

    >>> x, B = vector("x", 3), matrix("B", 3, 3)
    >>> latex(mul(transpose(x), add(B, transpose(B))))
    '\\mathbf{x}^\\top \\left(\\mathbf{B} + \\mathbf{B}^\\top\\right)'
    """
    return _latex(node)[0]


def walk(node: Node) -> Iterable[Node]:
    """``node`` and all its sub-expressions, parents first."""
    yield node
    for c in node.children():
        yield from walk(c)
