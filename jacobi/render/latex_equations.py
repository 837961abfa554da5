r"""What a paper writes: each result as equations with their left-hand sides.

``J_f(x, y) = \begin{bmatrix} ... \end{bmatrix}``, ``\det J_f(-1, 2) = -3``,
``\nabla f(x, y)^\top = ...``, ``H_f = ...``, the chain rule with its factors and the
solutions of ``\det J_f = 0``. An :class:`Equation` is its parts (the left-hand side
first) and the relations between them; :mod:`jacobi.render.latex` joins them into a
fragment or a document. Nothing here computes: the parts are printed from the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy

from jacobi.math.singular import AllZero, Periodic, Roots, SingularSet
from jacobi.math.singular import Equation as Unsolved
from jacobi.model import MatrixBlock, Report, SingularFact
from jacobi.render.pattern import pattern_latex


@dataclass(frozen=True)
class Equation:
    """``parts[0] rels[0] parts[1] rels[1] ...``: ``rels`` has one entry fewer than ``parts``."""

    parts: tuple[str, ...]
    rels: tuple[str, ...]

    def text(self, align: bool = False) -> str:
        out = self.parts[0]
        for i, (rel, part) in enumerate(zip(self.rels, self.parts[1:], strict=True)):
            out += f" {'&' if align and i == 0 else ''}{rel} {part}"
        return out


def chain_eq(lhs: str, *sides: str) -> Equation:
    """``lhs = side1 = side2 ...``."""
    return Equation((lhs, *sides), ("=",) * len(sides))


Latex = Callable[[sympy.Expr], str]
Block = Callable[[MatrixBlock], str]


def _list(items: Sequence[str], limit: int = 4) -> str:
    """``a, b, c``; more than ``limit``: ``a, b, \\ldots, z``."""
    if len(items) > limit:
        items = [items[0], items[1], r"\ldots", items[-1]]
    return ", ".join(items)


@dataclass(frozen=True)
class _Names:
    """How one report's objects are written: its variables, its point, its blocks."""

    report: Report
    latex: Latex
    block: Block

    @property
    def args(self) -> str:
        names = [self.latex(v) for v in self.report.function.variables]
        return f"({_list(names)})" if names else ""

    @property
    def at(self) -> str:
        point = self.report.point
        return "" if point is None else f"({', '.join(self.latex(v) for v in point.values)})"

    @property
    def tr(self) -> str:
        return r"^\top" if self.report.layout == "denominator" else ""

    def value(self) -> str:
        assert self.report.value is not None
        first = self.report.blocks[0]
        return self.block(
            MatrixBlock(
                first.name, self.report.value, (), (), scalar=first.scalar, sparse=first.sparse
            )
        )

    def main_and_value(self, name: Callable[[str], str]) -> list[Equation]:
        """``name(args) = result`` and, at a point, ``name(values) = value``."""
        out = [chain_eq(name(self.args), self.block(self.report.blocks[0]))]
        if self.report.point is not None and self.report.value is not None:
            out.append(chain_eq(name(self.at), self.value()))
        return out


def _jac(n: _Names) -> list[Equation]:
    inverse = n.report.blocks[0].name.startswith("J⁻¹")
    power = (r"^{-\top}" if n.tr else "^{-1}") if inverse else n.tr
    return n.main_and_value(lambda a: f"J_f{a}{power}")


def _det(n: _Names) -> list[Equation]:
    name = n.report.blocks[0].name
    if name.startswith("sqrt"):

        def lhs(a: str) -> str:
            return rf"\sqrt{{\det\left(J_f{a}^\top J_f{a}\right)}}"
    elif name.startswith("|"):

        def lhs(a: str) -> str:
            return rf"\left|\det J_f{a}\right|"
    else:

        def lhs(a: str) -> str:
            return rf"\det J_f{a}"

    out = n.main_and_value(lhs)
    for _, fact in n.report.facts:
        if isinstance(fact, SingularFact) and fact.name == "det J":
            out.append(_singular(rf"\det J_f{n.args}", fact.found, n))
    return out


def _solution(item: object, latex: Latex) -> list[str]:
    if isinstance(item, Roots):
        return [f"{latex(item.variable)} = {latex(v)}" for v in item.values]
    if isinstance(item, Periodic):
        name = latex(item.variable)
        texts = [f"{name} = {latex(v)}" for v in item.values]
        texts += [f"{name} = {latex(e)}" for e in item.families()]
        return [t + rf",\ {item.integer} \in \mathbf{{Z}}" for t in texts]
    if isinstance(item, AllZero):
        return [" = ".join([*(latex(v) for v in item.variables), "0"])]
    if isinstance(item, Unsolved):
        return [f"{latex(item.expr)} = 0"]
    raise TypeError(f"not a solution: {item!r}")


def _singular(lhs: str, found: SingularSet, n: _Names) -> Equation:
    r"""``\det J_f(r, t) = 0 \iff r = 0`` (or everywhere, or nowhere)."""
    every = n.args.strip("()") or "x"
    note = ""
    if found.undefined:
        where = r" \ \text{or}\ ".join(s for u in found.undefined for s in _solution(u, n.latex))
        note = rf" \quad (\text{{undefined where }} {where})"
    if found.everywhere:
        return Equation((lhs, rf"0 \quad \text{{for every }} ({every}){note}"), ("=",))
    if found.nowhere:
        return Equation((lhs, rf"0 \quad \text{{for every }} ({every}){note}"), (r"\neq",))
    alternatives = [s for item in found.solutions for s in _solution(item, n.latex)]
    alternatives += [s for item in found.conditions for s in _solution(item, n.latex)]
    return Equation((lhs, "0", r" \ \text{or}\ ".join(alternatives) + note), ("=", r"\iff"))


def _chain(n: _Names) -> list[Equation]:
    r = n.report
    k = len(r.data.get("layers", ())) or 2
    names = ["g", "h"] if k == 2 else [f"f_{{{k - i}}}" for i in range(k)]
    composed = r" \circ ".join(names)

    def factors(x: str) -> list[str]:
        out = []
        for i, name in enumerate(names):
            inner = "".join(f"{m}(" for m in names[i + 1 :]) + x + ")" * (k - i - 1)
            out.append(f"J_{{{name}}}{inner if inner.startswith('(') else f'({inner})'}")
        return out

    nvars = len(r.function.variables)
    x = n.args if nvars <= 2 else "(x)"

    def equation(at: str, product: MatrixBlock, parts: Sequence[MatrixBlock]) -> Equation:
        names_ = factors(at)
        mats = [n.block(b) for b in parts]
        if n.tr:  # (A B)^T = B^T A^T
            names_ = [f"{f}^\\top" for f in reversed(names_)]
            mats = list(reversed(mats))
        return chain_eq(
            f"J_{{{composed}}}{at[0] == '(' and at or f'({at})'}{n.tr}",
            r"\, ".join(names_),
            " ".join(mats),
            n.block(product),
        )

    blocks = r.blocks
    out = [equation(x[1:-1] if x.startswith("(") else x, blocks[0], blocks[1 : k + 1])]
    if r.point is not None and len(blocks) >= 2 * k + 2:
        out.append(equation(n.at[1:-1], blocks[k + 1], blocks[k + 2 : 2 * k + 2]))
    return out


def _grad(n: _Names) -> list[Equation]:
    row = "" if n.tr else r"^\top"  # numerator layout: the row (nabla f)^T
    return n.main_and_value(lambda a: rf"\nabla f{a}{row}")


def _hessian(n: _Names) -> list[Equation]:
    r = n.report
    if r.function.m == 1:
        return n.main_and_value(lambda a: f"H_f{a}")
    out = []
    for b in r.blocks:
        i = b.name.removeprefix("H_f").split("(")[0].rstrip("ᵀ")  # symmetric: H^T = H
        at = n.at if "(" in b.name else n.args
        out.append(chain_eq(f"H_{{f_{{{i}}}}}{at}", n.block(b)))
    return out


def _jvp(n: _Names) -> list[Equation]:
    if n.tr:
        return n.main_and_value(lambda a: rf"\left(J_f{a}\, v\right)^\top")
    return n.main_and_value(lambda a: rf"J_f{a}\, v")


def _vjp(n: _Names) -> list[Equation]:
    if n.tr:
        return n.main_and_value(lambda a: rf"\left(w^\top J_f{a}\right)^\top")
    return n.main_and_value(lambda a: rf"w^\top J_f{a}")


def _linearize(n: _Names) -> list[Equation]:
    r = n.report
    assert r.point is not None
    delta = sympy.ImmutableMatrix(
        [v - a for v, a in zip(r.point.variables, r.point.values, strict=True)]
    )
    d = n.block(MatrixBlock("dx", delta, (), ()))
    by = {b.name: b for b in r.blocks}
    f0, j0 = n.block(by["f(x0)"]), n.block(by["J(x0)"])
    lhs = f"f{n.args}"
    if r.blocks[0].name == "T2":
        h = r"H_f" if r.function.m == 1 else r"H_{f_i}"
        half = rf"\frac{{1}}{{2}}\, \delta^\top {h}{n.at}\, \delta"
        form = rf"f{n.at} + J_f{n.at}\, \delta + {half}"
        return [
            Equation((lhs, form, n.block(r.blocks[0])), (r"\approx", "=")),
            chain_eq(r"\delta", d),
        ]
    form = f"f{n.at} + J_f{n.at} {d}"
    return [Equation((lhs, form, f"{f0} + {j0} {d}", n.block(r.blocks[0])), (r"\approx", "=", "="))]


def _named(symbol: str) -> Callable[[_Names], list[Equation]]:
    def build(n: _Names) -> list[Equation]:
        return n.main_and_value(lambda a: f"({symbol} f){a}" if a else f"{symbol} f")

    return build


def _wronskian(n: _Names) -> list[Equation]:
    fs = [f"f_{{{i + 1}}}" for i in range(n.report.function.m)]
    return n.main_and_value(lambda a: f"W({_list(fs)}){a}")


def _prefixed(n: _Names) -> list[Equation]:
    r"""A command that writes its own left-hand side (``mjac``: ``\frac{\partial f}{\partial
    \mathbf{x}} = `` the compact form ``= ``; ``implicit``: ``\frac{dy}{dx} = ``)."""
    r = n.report
    parts = (
        [p for p in r.latex_prefix.removesuffix(" = ").split(" = ") if p] if r.latex_prefix else []
    )
    lhs = parts[0] if parts else "J_f" + n.args
    out = [chain_eq(lhs, *parts[1:], n.block(r.blocks[0]))]
    if r.point is not None and r.value is not None:
        names = [n.latex(v) for v in r.point.variables]
        vals = [n.latex(v) for v in r.point.values]
        where = (
            r.latex_point or f"{names[0]} = {vals[0]}"
            if len(names) == 1 or r.latex_point
            else (f"({', '.join(names)}) = ({', '.join(vals)})")
        )
        out.append(chain_eq(rf"\left. {lhs} \right|_{{{where}}}", n.value()))
    return out


def _sparsity(n: _Names) -> list[Equation]:
    p = n.report.pattern
    assert p is not None
    return [chain_eq(rf"\operatorname{{pattern}}(J_f{n.args})", pattern_latex(p))]


_BUILDERS: dict[str, Callable[[_Names], list[Equation]]] = {
    "sparsity": _sparsity,
    "jac": _jac,
    "inverse": _jac,
    "rank": _jac,
    "check": _jac,
    "det": _det,
    "chain": _chain,
    "grad": _grad,
    "hessian": _hessian,
    "jvp": _jvp,
    "vjp": _vjp,
    "linearize": _linearize,
    "div": _named(r"\nabla \cdot"),
    "curl": _named(r"\nabla \times"),
    "laplacian": _named(r"\Delta"),
    "wronskian": _wronskian,
}


def equations(report: Report, latex: Latex, block: Block) -> list[Equation]:
    """The report's result as equations with left-hand sides, in the order a paper gives them."""
    names = _Names(report, latex, block)
    build = _BUILDERS.get(report.command, _prefixed) if not report.latex_prefix else _prefixed
    if report.command == "hessian":
        build = _hessian
    return build(names)
