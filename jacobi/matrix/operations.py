r"""Matrix-expression nodes of operations: functions of one matrix and of two.

Each class owns its rules, like the leaves, sums and products in
:mod:`jacobi.matrix.nodes` (which re-exports these classes): shape, components,
printing, transpose and compact Jacobian.

>>> from jacobi.matrix.algebra import kron, transpose
>>> from jacobi.matrix.nodes import latex, matrix, text, vector
>>> A, x = matrix("A", 2, 2), vector("x", 2)
>>> text(transpose(Inverse(A))), latex(kron(A, transpose(x)))
('(A^-1)^T', '\\mathbf{A} \\otimes \\mathbf{x}^\\top')
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import ClassVar

import sympy

from jacobi.matrix.functions import DERIVATIVE_NOTES, scalar_function
from jacobi.matrix.nodes import Expand, Matrix, Node, NotCompact, Ones, Shape, SingularError, Sym
from jacobi.matrix.printing import (
    ATOM,
    LATEX_FUNCTIONS,
    MUL,
    POW,
    Printed,
    lwrap,
    wrap,
)


def _entrywise(d: Node, arg: Node, wrt: Sym) -> Node:
    """``diag(vec(d)) J(arg)``: the chain rule for an entrywise operation with derivative d."""
    if arg.is_scalar or d.is_scalar:
        return alg.times(d, last=arg.jvec(wrt))
    return alg.times(alg.diag(alg.vec(d)), last=arg.jvec(wrt))


# ---------------------------------------------------------------------------
# Operations of one matrix
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unary(Node):
    """An operation of one argument; those printed as calls name themselves here."""

    arg: Node

    #: The call's name in the matrix syntax and in LaTeX (``tr``, ``\operatorname{tr}``).
    call_text: ClassVar[str] = ""
    call_latex: ClassVar[str] = ""

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)

    def _print_text(self, in_kron: bool = False) -> Printed:
        if not self.call_text:
            return super()._print_text(in_kron)
        return f"{self.call_text}({self.arg.text()})", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        if not self.call_latex:
            return super()._print_latex(in_kron)
        return rf"{self.call_latex}\left({self.arg.latex()}\right)", ATOM


@dataclass(frozen=True)
class _ScalarOf(Unary):
    """A scalar function of a matrix (trace, determinant, norm, sum)."""

    @property
    def shape(self) -> Shape:
        return (1, 1)


@dataclass(frozen=True)
class Transpose(Unary):
    @property
    def shape(self) -> Shape:
        return (self.arg.cols, self.arg.rows)

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(comp(self.arg).T)

    def _print_text(self, in_kron: bool = False) -> Printed:
        return wrap(self.arg._print_text(), ATOM) + "^T", POW

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return lwrap(self.arg._print_latex(), ATOM) + r"^\top", POW

    def _eval_transpose(self) -> Node | None:
        return self.arg

    def _jvec(self, wrt: Sym) -> Node:
        a = self.arg
        return alg.times(alg.commutation(a.rows, a.cols), last=a.jvec(wrt))


@dataclass(frozen=True)
class Inverse(Unary):
    @property
    def shape(self) -> Shape:
        return self.arg.shape

    def _components(self, comp: Expand) -> Matrix:
        m = comp(self.arg)
        d = m.det(method="berkowitz")
        if sympy.expand(d) == 0:
            raise SingularError(self.arg)
        return Matrix(m.adjugate(method="berkowitz") / d)

    def _print_text(self, in_kron: bool = False) -> Printed:
        return wrap(self.arg._print_text(), ATOM) + "^-1", POW

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return lwrap(self.arg._print_latex(), ATOM) + "^{-1}", POW

    def _eval_transpose(self) -> Node | None:
        # (A^-1)^T = (A^T)^-1: the inverse itself when A is symmetric (S, x x^T, A + A^T).
        return self if alg.transpose(self.arg) == self.arg else None

    def _jvec(self, wrt: Sym) -> Node:
        # d(A^-1) = -A^-1 dA A^-1, so d vec = -(A^-T ⊗ A^-1) d vec(A)
        return alg.times(-1, alg.kron(alg.transpose(self), self), last=self.arg.jvec(wrt))


@dataclass(frozen=True)
class Trace(_ScalarOf):
    call_text = "tr"
    call_latex = r"\operatorname{tr}"

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([[comp(self.arg).trace()]])

    def _jvec(self, wrt: Sym) -> Node:
        n = self.arg.rows
        return alg.times(alg.transpose(alg.vec(alg.identity(n))), last=self.arg.jvec(wrt))


@dataclass(frozen=True)
class Det(_ScalarOf):
    call_text = "det"
    call_latex = r"\det"

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([[comp(self.arg).det(method="berkowitz")]])

    def _jvec(self, wrt: Sym) -> Node:
        # d det(A) = det(A) tr(A^-1 dA) = det(A) vec(A^-T)^T d vec(A)
        a = self.arg
        g = alg.transpose(alg.vec(alg.transpose(alg.inverse(a))))
        return alg.times(self, g, last=a.jvec(wrt))


@dataclass(frozen=True)
class Norm(_ScalarOf):
    """The Euclidean norm of a vector (Frobenius norm of a matrix)."""

    call_text = "norm"

    def _components(self, comp: Expand) -> Matrix:
        m = comp(self.arg)
        return Matrix([[sympy.sqrt(sum((e**2 for e in m), sympy.S.Zero))]])

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return rf"\left\lVert {self.arg.latex()} \right\rVert", ATOM

    def _jvec(self, wrt: Sym) -> Node:
        a = self.arg
        inv = alg.power(self, alg.const(-1))
        return alg.times(inv, alg.transpose(alg.vec(a)), last=a.jvec(wrt))


@dataclass(frozen=True)
class Total(_ScalarOf):
    """``sum(a)``: the sum of all entries."""

    call_text = "sum"
    call_latex = r"\operatorname{sum}"

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([[sum(comp(self.arg), sympy.S.Zero)]])

    def _jvec(self, wrt: Sym) -> Node:
        a = self.arg
        return alg.times(alg.transpose(Ones(a.size, 1)), last=a.jvec(wrt))


@dataclass(frozen=True)
class Diag(Unary):
    """``diag(v)``: the diagonal matrix with the entries of the column vector v."""

    call_text = "diag"
    call_latex = r"\operatorname{diag}"

    @property
    def shape(self) -> Shape:
        return (self.arg.rows, self.arg.rows)

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(sympy.diag(*list(comp(self.arg))))

    def _eval_transpose(self) -> Node | None:
        return self

    def jvec_in_product(
        self,
        coeff: sympy.Expr,
        scalars: list[Node],
        left: Node | None,
        right: Node | None,
        wrt: Sym,
    ) -> Node:
        """The term of ``coeff scalars left self right`` that differentiates this factor.

        L diag(da) r = L diag(r) da for a column r; l^T diag(da) = (diag(l) da)^T.
        (``diag(v)`` alone has no compact Jacobian: it is not a matrix times ``dv``.)
        """
        if right is not None and right.cols == 1:
            parts = [left] if left is not None else []
            return alg.times(coeff, *scalars, *parts, alg.diag(right), last=self.arg.jvec(wrt))
        if right is None and left is not None and left.rows == 1:
            d = alg.diag(alg.transpose(left))
            return alg.times(coeff, *scalars, d, last=self.arg.jvec(wrt))
        raise NotCompact("diag(a) of a variable inside a matrix product")


@dataclass(frozen=True)
class DiagOf(Unary):
    """``diag(A)`` of a square matrix: the column of its diagonal entries."""

    call_text = "diag"
    call_latex = r"\operatorname{diag}"

    @property
    def shape(self) -> Shape:
        return (self.arg.rows, 1)

    def _components(self, comp: Expand) -> Matrix:
        m = comp(self.arg)
        return Matrix(m.rows, 1, [m[i, i] for i in range(m.rows)])


@dataclass(frozen=True)
class Vec(Unary):
    """``vec(A)``: the columns of A stacked into one column (seed 003)."""

    call_text = "vec"
    call_latex = r"\operatorname{vec}"

    @property
    def shape(self) -> Shape:
        return (self.arg.size, 1)

    def _components(self, comp: Expand) -> Matrix:
        m = comp(self.arg)
        return Matrix(len(m), 1, [m[i, j] for j in range(m.cols) for i in range(m.rows)])

    def _jvec(self, wrt: Sym) -> Node:
        return self.arg.jvec(wrt)


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

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(comp(self.arg).applyfunc(scalar_function(self.func, self.order)))

    def _print_text(self, in_kron: bool = False) -> Printed:
        name = self.func + "'" * self.order
        return f"{name}({self.arg.text()})", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        arg = self.arg.latex()
        if self.func == "sqrt" and self.order == 0:
            return rf"\sqrt{{{arg}}}", ATOM
        if self.func == "abs" and self.order == 0:
            return rf"\left|{arg}\right|", ATOM
        name = LATEX_FUNCTIONS.get(self.func, rf"\operatorname{{{self.func}}}")
        prime = "'" * self.order
        return rf"{name}{prime}\left({arg}\right)", ATOM

    def _eval_transpose(self) -> Node | None:
        return Elem(self.func, alg.transpose(self.arg), self.order)

    def _jvec(self, wrt: Sym) -> Node:
        return _entrywise(alg.elem(self.func, self.arg, self.order + 1), self.arg, wrt)

    def note(self) -> tuple[Hashable, str] | None:
        meaning = DERIVATIVE_NOTES.get(self.func) if self.order == 1 else None
        return (self.func, f"{self.func}'(u) = {meaning}, entrywise") if meaning else None


# ---------------------------------------------------------------------------
# Operations of two
# ---------------------------------------------------------------------------


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

    def _components(self, comp: Expand) -> Matrix:
        a, b = comp(self.left), comp(self.right)
        rows = []
        for i in range(a.rows):
            for k in range(b.rows):
                rows.append([a[i, j] * b[k, m] for j in range(a.cols) for m in range(b.cols)])
        return Matrix(rows)

    def _print_text(self, in_kron: bool = False) -> Printed:
        left, right = self.left._print_text(True)[0], self.right._print_text(True)[0]
        return f"kron({left}, {right})", ATOM

    def _print_latex(self, in_kron: bool = False) -> Printed:
        left = lwrap(self.left._print_latex(True), POW)
        right = lwrap(self.right._print_latex(True), POW)
        return rf"{left} \otimes {right}", MUL

    def _eval_transpose(self) -> Node | None:
        return alg.kron(alg.transpose(self.left), alg.transpose(self.right))

    def note(self) -> tuple[Hashable, str] | None:
        return "kron", "kron(P, Q) is the Kronecker product of P and Q"


@dataclass(frozen=True)
class Hadamard(Binary):
    """Elementwise product ``a .* b`` of equal shapes."""

    @property
    def shape(self) -> Shape:
        return self.left.shape

    def _components(self, comp: Expand) -> Matrix:
        return Matrix(comp(self.left).multiply_elementwise(comp(self.right)))

    def _print_text(self, in_kron: bool = False) -> Printed:
        return f"{wrap(self.left._print_text(), POW)} .* {wrap(self.right._print_text(), POW)}", MUL

    def _print_latex(self, in_kron: bool = False) -> Printed:
        left, right = lwrap(self.left._print_latex(), MUL), lwrap(self.right._print_latex(), POW)
        return rf"{left} \odot {right}", MUL

    def _eval_transpose(self) -> Node | None:
        return alg.hadamard(alg.transpose(self.left), alg.transpose(self.right))

    def _jvec(self, wrt: Sym) -> Node:
        a, b = self.left, self.right
        return alg.add(_entrywise(b, a, wrt), _entrywise(a, b, wrt))


@dataclass(frozen=True)
class EDiv(Binary):
    """Elementwise quotient ``a ./ b`` (``a`` may be a scalar)."""

    @property
    def shape(self) -> Shape:
        return self.right.shape

    def _components(self, comp: Expand) -> Matrix:
        num, den = comp(self.left), comp(self.right)
        if self.left.is_scalar:
            s = num[0, 0]
            return Matrix(den.applyfunc(lambda e: s / e))
        return Matrix(den.rows, den.cols, [a / b for a, b in zip(num, den, strict=True)])

    def _print_text(self, in_kron: bool = False) -> Printed:
        return f"{wrap(self.left._print_text(), POW)} ./ {wrap(self.right._print_text(), POW)}", MUL

    def _print_latex(self, in_kron: bool = False) -> Printed:
        left, right = lwrap(self.left._print_latex(), MUL), lwrap(self.right._print_latex(), POW)
        return rf"{left} \oslash {right}", MUL

    def _jvec(self, wrt: Sym) -> Node:
        a, b = self.left, self.right
        first = alg.zero(self.size, wrt.size)
        if wrt.name in a.free:
            first = _entrywise(alg.ediv(alg.const(1), b), a, wrt)
        second = alg.zero(self.size, wrt.size)
        if wrt.name in b.free:
            d = alg.ediv(a, alg.epow(b, alg.const(2)))
            second = alg.neg(_entrywise(d, b, wrt))
        return alg.add(first, second)


@dataclass(frozen=True)
class EPow(Binary):
    """Elementwise power ``a.^k`` with a scalar exponent."""

    @property
    def shape(self) -> Shape:
        return self.left.shape

    def _components(self, comp: Expand) -> Matrix:
        k = comp(self.right)[0, 0]
        return Matrix(comp(self.left).applyfunc(lambda e: e**k))

    def _print_text(self, in_kron: bool = False) -> Printed:
        return f"{wrap(self.left._print_text(), ATOM)}.^{wrap(self.right._print_text(), ATOM)}", POW

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return rf"{lwrap(self.left._print_latex(), ATOM)}^{{\circ {self.right.latex()}}}", POW

    def _jvec(self, wrt: Sym) -> Node:
        k = self.right
        if k.free & {wrt.name}:
            raise NotCompact("a variable exponent")
        d = alg.mul(k, alg.epow(self.left, alg.add(k, alg.const(-1))))
        return _entrywise(d, self.left, wrt)


@dataclass(frozen=True)
class Pow(Binary):
    """A scalar to a scalar power."""

    @property
    def shape(self) -> Shape:
        return (1, 1)

    def _components(self, comp: Expand) -> Matrix:
        return Matrix([[comp(self.left)[0, 0] ** comp(self.right)[0, 0]]])

    def _print_text(self, in_kron: bool = False) -> Printed:
        base = wrap(self.left._print_text(), ATOM)
        exp = alg.numeric(self.right)
        if exp is not None and exp.is_Integer:
            return f"{base}^{exp}", POW
        return f"{base}^{wrap(self.right._print_text(), ATOM)}", POW

    def _print_latex(self, in_kron: bool = False) -> Printed:
        return rf"{lwrap(self.left._print_latex(), ATOM)}^{{{self.right.latex()}}}", POW

    def _jvec(self, wrt: Sym) -> Node:
        base, exp = self.left, self.right
        if wrt.name in exp.free:
            if wrt.name in base.free:
                raise NotCompact("a variable base and exponent")
            return alg.times(self, alg.elem("log", base), last=exp.jvec(wrt))
        if isinstance(base, Norm):
            # d ||a||^k = k ||a||^(k-2) a^T da
            a = base.arg
            lower = alg.power(base, alg.add(exp, alg.const(-2)))
            return alg.times(exp, lower, alg.transpose(alg.vec(a)), last=a.jvec(wrt))
        lower = alg.power(base, alg.add(exp, alg.const(-1)))
        return alg.times(exp, lower, last=base.jvec(wrt))


# The constructors build these classes: bound last (see the end of jacobi.matrix.nodes).
from jacobi.matrix import algebra as alg  # noqa: E402
