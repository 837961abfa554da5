"""Matrix expressions: the nodes of a small symbolic matrix algebra with shapes.

This is the representation both of what a user writes in the matrix language
(:mod:`jacobi.matrix.parse`) and of the compact derivatives that
:mod:`jacobi.matrix.calculus` builds from it. Every node class owns its rules, as
SymPy's matrix expressions do (``_entry``, ``_eval_transpose``,
``_eval_derivative_matrix_lines``): its shape, its explicit components
(``_components``), how it prints in jacobi's matrix syntax (``_print_text``:
``x^T (B + B^T)``) and in LaTeX (``_print_latex``: ``\\mathbf{x}^\\top``), how it
transposes (``_eval_transpose``) and its compact Jacobian (``_jvec``). Adding a node
is adding one class.

The simplifying constructors that build nodes (``add``, ``mul``, ``transpose``, ...)
live in :mod:`jacobi.matrix.algebra`.

>>> from jacobi.matrix.algebra import add, mul, transpose
>>> x = vector("x", 3)
>>> B = matrix("B", 3, 3)
>>> e = add(mul(transpose(x), B), mul(transpose(x), transpose(B)))
>>> text(e)
'x^T (B + B^T)'
>>> e.shape
(1, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

import sympy

from jacobi.matrix.printing import (
    ADD,
    ATOM,
    MUL,
    POW,
    Printed,
    lwrap,
    number_latex,
    number_text,
    product_latex,
    product_text,
    signed_sum,
    symbol_latex,
    wrap,
)

__all__ = [
    "Node", "Shape", "NotCompact", "SingularError", "Sym", "Const", "Literal", "Identity", "Zero",
    "Ones", "Commutation", "Add", "Mul", "Unary", "Transpose", "Inverse", "Trace", "Det",
    "Norm", "Total", "Diag", "DiagOf", "Vec", "Elem", "Binary", "Kron", "Hadamard", "EDiv",
    "EPow", "Pow", "component_names", "components", "latex", "matrix", "scalar", "symbol",
    "symbol_latex", "text", "vector", "walk",
]  # fmt: skip

Shape = tuple[int, int]
Matrix: TypeAlias = sympy.ImmutableMatrix
#: Expands a child node into its components (memoised by :func:`components`).
Expand = Callable[["Node"], sympy.ImmutableMatrix]
ONE = sympy.Integer(1)


class NotCompact(Exception):
    """The compact-form engine has no rule for this expression (components still work)."""


class SingularError(Exception):
    """An inverse of a matrix whose determinant is identically zero."""

    def __init__(self, node: Node) -> None:
        super().__init__(text(node))
        self.node = node


def symbol(name: str) -> sympy.Symbol:
    """The real SymPy symbol for a scalar component name (``x1``, ``W23``, ``a``).

    The same object :func:`jacobi.lang.parse.symbol` gives, so results mix with scalar ones.

    >>> symbol("W11").is_real
    True
    """
    from jacobi.lang.parse import symbol as parse_symbol

    return parse_symbol(name)


# ---------------------------------------------------------------------------
# The base class
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

    # The rules each node class gives -------------------------------------------------

    def _components(self, comp: Expand) -> Matrix:
        """The explicit matrix, from the components of the children (``comp``)."""
        raise TypeError(f"no components for {type(self).__name__}")

    def _print_text(self, in_kron: bool = False) -> Printed:
        """The node in jacobi's matrix syntax, with its precedence level."""
        raise TypeError(f"cannot print {type(self).__name__}")

    def _print_latex(self, in_kron: bool = False) -> Printed:
        """The node in LaTeX, with its precedence level."""
        raise TypeError(f"cannot print {type(self).__name__}")

    def _eval_transpose(self) -> Node | None:
        """A simpler form of ``self^T`` than ``Transpose(self)``, if there is one."""
        return None

    def _jvec(self, wrt: Sym) -> Node:
        """``d vec(self) / d vec(wrt)`` for a node that depends on ``wrt``."""
        raise NotCompact(type(self).__name__)

    def note(self) -> tuple[Hashable, str] | None:
        """A definition of the notation, for the reader of a compact form, and its key."""
        return None

    # ---------------------------------------------------------------------------------

    def jvec(self, wrt: Sym) -> Node:
        """The compact Jacobian ``d vec(self) / d vec(wrt)`` in numerator layout.

        Raises :class:`NotCompact` where no rule applies.
        """
        if wrt.name not in self.free:
            return alg.zero(self.size, wrt.size)
        return self._jvec(wrt)

    def text(self) -> str:
        """The node in jacobi's matrix syntax (see :func:`text`)."""
        return self._print_text()[0]

    def latex(self) -> str:
        """The node in LaTeX (see :func:`latex`)."""
        return self._print_latex()[0]


# ---------------------------------------------------------------------------
# Leaves
# ---------------------------------------------------------------------------


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

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(self.nrows, self.ncols, [symbol(n) for n in self.names])

    def _print_text(self, in_kron: bool = False) -> Printed:
        return self.name, ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return symbol_latex(self.name, self.kind != "scalar"), ATOM

    def _eval_transpose(self) -> Node | None:
        return self if self.symmetric else None

    def _jvec(self, wrt: Sym) -> Node:
        return alg.identity(wrt.size)  # the only symbol that depends on wrt is wrt


@dataclass(frozen=True)
class Const(Node):
    """A number or a constant such as ``pi`` (a 1×1 scalar)."""

    value: sympy.Expr

    @property
    def shape(self) -> Shape:
        return (1, 1)

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([[self.value]])

    def _print_text(self, in_kron: bool = False) -> Printed:
        return number_text(self.value)

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return number_latex(self.value)


@dataclass(frozen=True)
class Literal(Node):
    """A matrix of numbers written out: ``[[1, 2], [4, 7]]`` (rows), ``[1, 2]`` (a column).

    ``entries`` are the rows; a flat list in the matrix language is a column vector,
    as declared vectors are.
    """

    entries: tuple[tuple[sympy.Expr, ...], ...]

    @property
    def shape(self) -> Shape:
        return (len(self.entries), len(self.entries[0]))

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([list(row) for row in self.entries])

    def _print_text(self, in_kron: bool = False) -> Printed:
        def row(values: tuple[sympy.Expr, ...]) -> str:
            return "[" + ", ".join(number_text(v)[0] for v in values) + "]"

        if self.cols == 1:
            return row(tuple(r[0] for r in self.entries)), ATOM
        return "[" + ", ".join(row(r) for r in self.entries) + "]", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        rows = [" & ".join(number_latex(v)[0] for v in r) for r in self.entries]
        return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}", ATOM

    def _eval_transpose(self) -> Node | None:
        return Literal(tuple(zip(*self.entries, strict=True)))


@dataclass(frozen=True)
class Identity(Node):
    """The n×n identity (``I``; ``I_n`` inside a Kronecker product, where n is not implied)."""

    n: int

    @property
    def shape(self) -> Shape:
        return (self.n, self.n)

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(sympy.eye(self.n))

    def _print_text(self, in_kron: bool = False) -> Printed:
        return (f"I_{self.n}" if in_kron else "I"), ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return (rf"\mathbf{{I}}_{{{self.n}}}" if in_kron else r"\mathbf{I}"), ATOM

    def _eval_transpose(self) -> Node | None:
        return self


@dataclass(frozen=True)
class _Filled(Node):
    """A matrix whose entries are all one number."""

    nrows: int
    ncols: int

    @property
    def shape(self) -> Shape:
        return (self.nrows, self.ncols)

    def _eval_transpose(self) -> Node | None:
        return type(self)(self.ncols, self.nrows)


@dataclass(frozen=True)
class Zero(_Filled):
    """The zero vector or matrix."""

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(sympy.zeros(self.nrows, self.ncols))

    def _print_text(self, in_kron: bool = False) -> Printed:
        return "0", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return r"\mathbf{0}", ATOM


@dataclass(frozen=True)
class Ones(_Filled):
    """The all-ones vector or matrix (``1`` in ``d sum(x)/dx = 1^T``)."""

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(sympy.ones(self.nrows, self.ncols))

    def _print_text(self, in_kron: bool = False) -> Printed:
        return ("1^T", POW) if self.nrows == 1 and self.ncols > 1 else ("1", ATOM)

    def _print_latex(self, in_kron: bool = False) -> Printed:
        if self.nrows == 1 and self.ncols > 1:
            return r"\mathbf{1}^\top", POW
        return r"\mathbf{1}", ATOM

    def note(self) -> tuple[Hashable, str] | None:
        return "ones", "1 is the vector of ones"


@dataclass(frozen=True)
class Commutation(Node):
    """The commutation matrix K(m, n): ``K vec(A) = vec(A^T)`` for an m×n matrix A."""

    m: int
    n: int

    @property
    def shape(self) -> Shape:
        return (self.m * self.n, self.m * self.n)

    def _components(self, comp: Expand) -> Matrix:
        size = self.m * self.n
        entries = [[0] * size for _ in range(size)]
        for i in range(self.m):
            for j in range(self.n):
                # A[i, j] sits at j*m + i in vec(A) and at i*n + j in vec(A^T).
                entries[i * self.n + j][j * self.m + i] = 1
        return Matrix(entries)

    def _print_text(self, in_kron: bool = False) -> Printed:
        return f"commutation({self.m}, {self.n})", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return rf"\mathbf{{K}}_{{({self.m},{self.n})}}", ATOM  # Magnus-Neudecker K_(m,n)

    def _eval_transpose(self) -> Node | None:
        return alg.commutation(self.n, self.m)

    def note(self) -> tuple[Hashable, str] | None:
        m, n, size = self.m, self.n, self.m * self.n
        return self, (
            f"commutation({m}, {n}) is the {size}×{size} matrix with "
            f"commutation({m}, {n}) vec(A) = vec(A^T) for {m}×{n} A"
        )


# ---------------------------------------------------------------------------
# Sums and products
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Add(Node):
    terms: tuple[Node, ...]

    @property
    def shape(self) -> Shape:
        return self.terms[0].shape

    def children(self) -> tuple[Node, ...]:
        return self.terms

    def _components(self, comp: Expand) -> Matrix:
        total = comp(self.terms[0]).as_mutable()
        for t in self.terms[1:]:
            total += comp(t)
        return Matrix(total)

    def _negated(self, k: int, t: Node) -> bool:
        """Whether term ``k`` prints as ``- (its negation)``."""
        return k > 0 and bool(alg.split(t)[0].could_extract_minus_sign())

    def _print_text(self, in_kron: bool = False) -> Printed:
        parts = []
        for k, t in enumerate(self.terms):
            if self._negated(k, t):
                parts.append((True, wrap(alg.neg(t)._print_text(), MUL)))
            else:
                parts.append((False, wrap(t._print_text(), ADD + 1) if k else t.text()))
        return signed_sum(parts)

    def _print_latex(self, in_kron: bool = False) -> Printed:
        parts = []
        for k, t in enumerate(self.terms):
            if self._negated(k, t):
                parts.append((True, lwrap(alg.neg(t)._print_latex(), MUL)))
            else:
                parts.append((False, t.latex()))
        return signed_sum(parts)

    def _eval_transpose(self) -> Node | None:
        pushed = alg.add(*[alg.transpose(t) for t in self.terms])
        return pushed if _transposes(pushed) < _transposes(self) + 1 else None

    def _jvec(self, wrt: Sym) -> Node:
        return alg.add(*[t.jvec(wrt) for t in self.terms])


def _transposes(node: Node) -> int:
    own = 1 if isinstance(node, Transpose) else 0
    return own + sum(_transposes(c) for c in node.children())


def _denominator(f: Node) -> Node | None:
    """``d`` when the factor ``f`` is ``d^-k`` (printed after a ``/``)."""
    if isinstance(f, Pow):
        e = alg.numeric(f.right)
        if e is not None and e.is_negative:
            return alg.power(f.left, Const(-e))
    return None


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

    def _components(self, comp: Expand) -> Matrix:
        factor: sympy.Expr = self.coeff
        acc: sympy.MatrixBase | None = None
        for f in self.factors:
            m = comp(f)
            if f.is_scalar:
                factor *= m[0, 0]
            else:
                acc = m if acc is None else acc * m
        if acc is None:
            return Matrix([[factor]])
        return Matrix(acc * factor) if factor != 1 else Matrix(acc)

    def _print_text(self, in_kron: bool = False) -> Printed:
        num: list[str] = []
        den: list[str] = []
        for f in self.factors:
            d = _denominator(f)
            if d is not None:
                den.append(wrap(d._print_text(), POW))
            else:
                num.append(wrap(f._print_text(), POW))
        return product_text(self.coeff, num, den)

    def _print_latex(self, in_kron: bool = False) -> Printed:
        num: list[str] = []
        den: list[str] = []
        for f in self.factors:
            d = _denominator(f)
            if d is not None:
                den.append(d.latex())
            else:
                num.append(lwrap(f._print_latex(), POW if not isinstance(f, Kron) else ATOM))
        return product_latex(self.coeff, num, den)

    def _eval_transpose(self) -> Node | None:
        return alg.mul(self.coeff, *[alg.transpose(f) for f in reversed(self.factors)])

    def _jvec(self, wrt: Sym) -> Node:
        """Product rule: vec(L dF R) = (R^T ⊗ L) vec(dF) for each factor F."""
        factors = self.factors
        scalars = [f for f in factors if f.is_scalar]
        mats = [f for f in factors if not f.is_scalar]
        terms: list[Node] = []
        # Right to left, so x^T B x gives x^T B + x^T B^T (the order textbooks write).
        for i in reversed(range(len(mats))):
            f = mats[i]
            if wrt.name not in f.free:
                continue
            left = alg.mul(*mats[:i]) if i > 0 else None
            right = alg.mul(*mats[i + 1 :]) if i + 1 < len(mats) else None
            if isinstance(f, Diag):
                terms.append(f.jvec_in_product(self.coeff, scalars, left, right, wrt))
                continue
            lhs = left if left is not None else alg.identity(f.rows)
            rhs = alg.transpose(right) if right is not None else alg.identity(f.cols)
            terms.append(alg.times(self.coeff, *scalars, alg.kron(rhs, lhs), last=f.jvec(wrt)))
        for j in reversed(range(len(factors))):
            s = factors[j]
            if not s.is_scalar or wrt.name not in s.free:
                continue
            rest = alg.mul(self.coeff, *factors[:j], *factors[j + 1 :])
            terms.append(alg.times(alg.vec(rest), last=s.jvec(wrt)))
        if not terms:
            return alg.zero(self.size, wrt.size)
        return alg.add(*terms)


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
# Whole trees
# ---------------------------------------------------------------------------


def components(node: Node, memo: dict[Node, Matrix] | None = None) -> Matrix:
    """The explicit matrix of scalar SymPy expressions that ``node`` stands for.

    ``memo`` keeps the components of every sub-expression already expanded.

    >>> from jacobi.matrix.algebra import mul
    >>> W, x = matrix("W", 2, 2), vector("x", 2)
    >>> components(mul(W, x))
    Matrix([
    [W11*x1 + W12*x2],
    [W21*x1 + W22*x2]])
    """
    memo = {} if memo is None else memo

    def comp(n: Node) -> Matrix:
        if n not in memo:
            memo[n] = n._components(comp)
        return memo[n]

    return comp(node)


def text(node: Node) -> str:
    """``node`` in jacobi's matrix syntax (which :mod:`jacobi.matrix.parse` reads back).

    >>> from jacobi.matrix.algebra import add, mul, neg, transpose
    >>> x, A = vector("x", 2), matrix("A", 2, 2)
    >>> text(mul(-2, transpose(add(x, neg(mul(A, x)))), A))
    '-2 (x - A x)^T A'
    """
    return node.text()


def latex(node: Node) -> str:
    r"""``node`` in standard LaTeX notation.

    >>> from jacobi.matrix.algebra import add, mul, transpose
    >>> x, B = vector("x", 3), matrix("B", 3, 3)
    >>> latex(mul(transpose(x), add(B, transpose(B))))
    '\\mathbf{x}^\\top \\left(\\mathbf{B} + \\mathbf{B}^\\top\\right)'
    """
    return node.latex()


def walk(node: Node) -> Iterable[Node]:
    """``node`` and all its sub-expressions, parents first."""
    yield node
    for c in node.children():
        yield from walk(c)


# The constructors build these classes and the classes' rules build with the
# constructors, so the modules that need this one are bound last, once every class
# here exists; jacobi/matrix/__init__.py imports this module first, so that order
# always holds (SymPy's matrix expressions break the same cycle with imports inside
# their methods).
from jacobi.matrix import algebra as alg  # noqa: E402
from jacobi.matrix.operations import (  # noqa: E402
    Binary,
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
    Unary,
    Vec,
)
