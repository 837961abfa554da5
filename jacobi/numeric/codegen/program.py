"""What the generated code computes, before any language: outputs, their entries and guards.

A :class:`Program` is built from a :class:`~jacobi.model.VectorFunction` and the exact
derivatives jacobi computes itself (:mod:`jacobi.math`); each language module
(:mod:`.c`, :mod:`.python`, :mod:`.rust`) only prints it. Between the mathematics and
the printers the expressions are *lowered* to what every target computes in float64:

* the variables become ``x[j]`` and the parameters without a value ``p[k]`` (those with
  a value were substituted when the function was read: baked in);
* exact constants are folded to the nearest float64 (``sqrt(2)/3``, ``pi``, ``1/50``),
  except rational exponents, which keep ``sqrt`` and integer powers exact;
* ``sec``, ``acot``, ``sech`` … are written with the functions of C99's ``math.h``;
* ``Heaviside(u)`` is ``(sign(u) + 1)/2`` and the ``DiracDelta`` terms of kinks are 0.

Undefined points give NaN. An entry is NaN where its value is not a finite number
(``1/0``, ``log(-1)``), where a piece of its component of f that can be undefined is
not finite (``sqrt(x)`` at x < 0, ``atan2(0, 0)``: the pieces :func:`domain_guards`
finds, as ``--points`` does), and, for derivatives, where the argument of a kink
(``sign``, ``Heaviside``, ``DiracDelta``) is exactly 0, even where both one-sided
derivatives agree (``x*|x|`` at 0: ``jac --at`` says 0, the code NaN).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from jacobi.errors import InputError, LimitError, ShapeError
from jacobi.math import derivatives, sparse
from jacobi.math.calculus import exact_hessian
from jacobi.math.determinant import jacobian_determinant
from jacobi.model import VectorFunction
from jacobi.numeric.points import domain_guards

#: What ``--what`` may ask for, in the order the code defines them.
ITEMS = ("f", "jac", "det", "hessian", "jvp", "vjp")

#: Integers beyond this are written as floats (no target has wider exact integers).
_BIG_INTEGER = 2**31

# Functions outside C99's math.h, written with the ones inside it.
_RECIPROCAL = {
    sympy.sec: lambda u: 1 / sympy.cos(u),
    sympy.csc: lambda u: 1 / sympy.sin(u),
    sympy.cot: lambda u: 1 / sympy.tan(u),
    sympy.sech: lambda u: 1 / sympy.cosh(u),
    sympy.csch: lambda u: 1 / sympy.sinh(u),
    sympy.coth: lambda u: 1 / sympy.tanh(u),
    sympy.acot: lambda u: sympy.atan(1 / u),
    sympy.asec: lambda u: sympy.acos(1 / u),
    sympy.acsc: lambda u: sympy.asin(1 / u),
    sympy.acoth: lambda u: sympy.atanh(1 / u),
    sympy.asech: lambda u: sympy.acosh(1 / u),
    sympy.acsch: lambda u: sympy.asinh(1 / u),
}


@dataclass(frozen=True)
class Entry:
    """One written value: ``out[index] = expr``, NaN unless the guards pass.

    ``components`` are the components of f whose pieces must be finite;
    ``kinks`` are expressions that must not be 0.
    """

    index: int
    expr: sympy.Expr
    components: tuple[int, ...] = ()
    kinks: tuple[sympy.Expr, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """The structural non-zeros of a matrix output, in column order (CSC).

    ``rows[k], cols[k]`` is the position of the k-th written value (COO);
    ``colptr`` (``cols + 1`` entries) and ``rows`` are the CSC index arrays.
    """

    shape: tuple[int, int]
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    colptr: tuple[int, ...]

    @property
    def nnz(self) -> int:
        return len(self.rows)

    def as_dict(self) -> dict[str, object]:
        return {
            "shape": list(self.shape),
            "nnz": self.nnz,
            "order": "column (CSC)",
            "coo": {"rows": list(self.rows), "cols": list(self.cols)},
            "csc": {"colptr": list(self.colptr), "rowind": list(self.rows)},
        }


@dataclass(frozen=True)
class Output:
    """One generated function: ``out`` has ``size`` entries, ``entries`` are its non-zeros.

    ``extra`` names an extra input vector (``v`` for J v, ``w`` for wᵀ J) and its length;
    ``labels`` name the output positions (``df1/dx``) when there are few of them;
    ``layout`` says in words how ``out`` is laid out.
    """

    name: str
    size: int
    entries: tuple[Entry, ...]
    layout: str
    labels: tuple[str, ...] = ()
    extra: tuple[str, int] | None = None
    pattern: Pattern | None = None
    #: Dense outputs are zero-filled first; sparse ones write every position.
    dense: bool = True
    #: The logical shape (for the NumPy module's arrays).
    shape: tuple[int, ...] = ()


@dataclass(frozen=True)
class Program:
    """Everything the generated code computes, language-neutral (see the module's docstring)."""

    name: str
    variables: tuple[str, ...]
    parameters: tuple[str, ...]
    #: Parameters substituted by value, as ``name = value`` texts (for the header comment).
    baked: tuple[str, ...]
    components: tuple[str, ...]
    #: The lowered pieces that must be finite (none for polynomials): ``guards[i]`` for
    #: a derivative of component i, ``guards[m + i]`` for the value of f_i.
    guards: tuple[tuple[sympy.Expr, ...], ...]
    outputs: tuple[Output, ...]
    texts: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.variables)

    @property
    def m(self) -> int:
        return len(self.components)


def _polynomial_like(expr: sympy.Expr) -> bool:
    """True when ``expr`` is finite wherever its symbols are (sums, products, ``x**k``, k ≥ 0,
    and functions defined everywhere)."""
    from jacobi.math.substitute import TOTAL_FUNCTIONS

    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, sympy.Pow) and not (sub.exp.is_Integer and sub.exp >= 0):
            if sub.exp.free_symbols or not sub.base.is_number:
                return False
        elif isinstance(sub, sympy.Function) and not isinstance(sub, TOTAL_FUNCTIONS):
            return False
    return True


def _polynomial(expr: sympy.Expr) -> bool:
    """True when ``expr`` is a polynomial in its symbols (sums, products, ``x**k`` with k ≥ 0,
    any constants): a structural test, without SymPy's ``is_polynomial`` per variable.

    >>> from sympy.abc import x, y
    >>> _polynomial(x**2*y + 3*x - sympy.sqrt(2)), _polynomial(x**-1 + y), _polynomial(sympy.sin(x))
    (True, False, False)
    """
    for sub in sympy.preorder_traversal(expr):
        if isinstance(sub, sympy.Add | sympy.Mul | sympy.Symbol) or sub.is_number:
            continue
        if isinstance(sub, sympy.Pow) and sub.exp.is_Integer and sub.exp >= 0:
            continue
        return False
    return True


class _Lowering:
    """Lowers jacobi's exact expressions to what the targets compute (cached per node)."""

    def __init__(self, f: VectorFunction) -> None:
        free = [p for p, v in f.parameters if v is None]
        self.symbols: dict[sympy.Basic, sympy.Expr] = {
            v: sympy.Symbol(f"x[{j}]") for j, v in enumerate(f.variables)
        }
        self.symbols.update({p: sympy.Symbol(f"p[{k}]") for k, p in enumerate(free)})
        self.cache: dict[sympy.Basic, sympy.Expr] = {}

    def __call__(self, expr: sympy.Expr) -> sympy.Expr:
        # jacobi's own expressions (or a plain number such as 0): never text.
        if isinstance(expr, str) or not isinstance(expr, sympy.Basic | int | float):
            raise TypeError(f"not a SymPy expression: {expr!r}")
        return self._lower(expr if isinstance(expr, sympy.Basic) else sympy.Number(expr))

    def kinks(self, expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
        """The lowered arguments of ``sign``, ``Heaviside`` and ``DiracDelta`` in ``expr``."""
        found: dict[sympy.Expr, None] = {}
        for atom in sorted(
            expr.atoms(sympy.sign, sympy.Heaviside, sympy.DiracDelta), key=sympy.default_sort_key
        ):
            if atom.args and atom.args[0].free_symbols:
                found.setdefault(self(atom.args[0]), None)
        return tuple(found)

    def _lower(self, e: sympy.Basic) -> sympy.Expr:
        hit = self.cache.get(e)
        if hit is not None:
            return hit
        out = self._lower_new(e)
        self.cache[e] = out
        return out

    def _lower_new(self, e: sympy.Basic) -> sympy.Expr:
        if e in self.symbols:
            return self.symbols[e]
        if isinstance(e, sympy.Symbol):
            raise InputError(f"the symbol {e.name} is neither a variable nor a parameter")
        if not e.free_symbols:
            return _constant(e)
        if isinstance(e, sympy.DiracDelta):
            return sympy.S.Zero
        if isinstance(e, sympy.Heaviside):
            return sympy.Float(0.5) * (sympy.sign(self._lower(e.args[0])) + 1)
        rewrite = _RECIPROCAL.get(type(e))
        if rewrite is not None:
            return self._lower(rewrite(e.args[0]))
        if isinstance(e, sympy.Pow) and e.exp.is_Rational:
            exp = e.exp if abs(e.exp.p) < _BIG_INTEGER else sympy.Float(float(e.exp))
            return sympy.Pow(self._lower(e.base), exp)
        return e.func(*(self._lower(a) for a in e.args))


def _constant(e: sympy.Basic) -> sympy.Expr:
    """A constant as float64, except small integers (kept exact: ``2*x``, ``x**2``)."""
    if isinstance(e, sympy.Integer) and abs(int(e)) < _BIG_INTEGER:
        return e
    value = sympy.N(e, 30)
    if value.has(sympy.I) or not value.is_real:
        raise InputError(f"the constant {e} is not a real number")
    number = float(value)
    if not math.isfinite(number) or (number != 0 and not 1e-300 < abs(number) < 1e300):
        raise LimitError(
            f"the constant {sympy.Float(value, 3)} is outside the range of float64 "
            "(about 1e-300 to 1e300) that generated code computes with",
            hint="rescale the problem",
        )
    return sympy.Float(number)


def _item_list(what: Sequence[str] | str) -> list[str]:
    items = [w.strip() for w in (what.split(",") if isinstance(what, str) else what)]
    items = [w for w in items if w]
    for w in items:
        if w not in ITEMS:
            raise InputError(
                f"--what has no {w!r}", hint=f"choose from {', '.join(ITEMS)} (comma-separated)"
            )
    if not items:
        raise InputError("--what is empty", hint=f"choose from {', '.join(ITEMS)}")
    return sorted(set(items), key=ITEMS.index)


def _pattern(shape: tuple[int, int], keys: Sequence[tuple[int, int]]) -> Pattern:
    order = sorted(keys, key=lambda k: (k[1], k[0]))
    colptr = [0] * (shape[1] + 1)
    for _, j in order:
        colptr[j + 1] += 1
    for j in range(shape[1]):
        colptr[j + 1] += colptr[j]
    return Pattern(shape, tuple(i for i, _ in order), tuple(j for _, j in order), tuple(colptr))


#: Outputs with at most this many positions name each one in the header comment.
MAX_LABELS = 400


def build_program(
    f: VectorFunction,
    what: Sequence[str] | str = ("f", "jac"),
    *,
    sparse_out: bool = False,
    layout: str = "numerator",
    name: str = "model",
) -> Program:
    """The :class:`Program` computing ``what`` (some of :data:`ITEMS`) for ``f``.

    >>> from jacobi import function
    >>> prog = build_program(function("x*y, sin(x)"), "f,jac", sparse_out=True)
    >>> [(o.name, o.size) for o in prog.outputs]
    [('f', 2), ('jac', 3)]
    >>> prog.outputs[1].pattern.rows, prog.outputs[1].pattern.cols
    ((0, 1, 0), (0, 0, 1))
    >>> [str(e.expr) for e in prog.outputs[1].entries]
    ['x[1]', 'cos(x[0])', 'x[0]']
    """
    derivatives.check_layout(layout)
    items = _item_list(what)
    lower = _Lowering(f)
    comps = ("f",) if f.m == 1 else tuple(f"f{i + 1}" for i in range(f.m))
    names = f.variable_names
    # guards[i]: component i must be defined with a derivative (the edges of domains
    # excluded, as --at and --points do); guards[m + i]: f_i's value must be defined.
    guards: list[tuple[sympy.Expr, ...]] = []
    values: list[tuple[sympy.Expr, ...]] = []
    for i, comp in enumerate(f.components):
        pieces, own = [], []
        for whole in (comp, *f.guards_of(i)):
            found = domain_guards(whole)
            pieces += found
            own += [p for p in found if whole.has(p)]
            own += [1 / (abs(a.args[0]) + abs(a.args[1])) for a in whole.atoms(sympy.atan2)]
        for kept, found in ((guards, pieces), (values, own)):
            lowered = dict.fromkeys(lower(p) for p in found if not _polynomial_like(p))
            kept.append(tuple(g for g in lowered if not g.is_number))
    guards += values
    every = tuple(range(f.m))
    exact_j: sympy.MatrixBase | None = None

    # Derivatives of polynomials are already canonical (expanded): tidying them would only
    # cost time (most of it, for a large polynomial system such as the Brusselator).
    polynomial = all(_polynomial(c) for c in f.components)

    def jacobian() -> sympy.MatrixBase:
        nonlocal exact_j
        if exact_j is None:
            exact_j = derivatives.jacobian(f, simplify=not polynomial, keep_deltas=True)
        return exact_j

    outputs = []
    for item in items:
        if item == "f":
            entries = [Entry(i, lower(c), (f.m + i,)) for i, c in enumerate(f.components)]
            outputs.append(
                Output(
                    "f",
                    f.m,
                    tuple(e for e in entries if e.expr != 0 or e.components),
                    "out[i] = f_i",
                    comps if f.m <= MAX_LABELS else (),
                    shape=(f.m,),
                )
            )
        elif item in ("jac", "hessian"):
            if item == "jac":
                matrix = jacobian()
                row_names, col_names = comps, names
                owner = [(i,) for i in range(matrix.rows)]
                if layout == "denominator":
                    matrix = matrix.T
                    row_names, col_names = names, comps
                what_is = "d%s/d%s"
            else:
                if f.m != 1:
                    raise ShapeError(
                        f"the Hessian needs a scalar function; f has {f.m} components",
                        hint="give one expression, or ask for --what jac",
                    )
                matrix = exact_hessian(f)
                row_names = col_names = names
                owner = [(0,)] * matrix.rows
                what_is = "d2f/d%sd%s"
            rows, cols = matrix.rows, matrix.cols
            nonzero = sparse.nonzero(matrix)
            if layout == "denominator" and item == "jac":
                comp_of = {key: (key[1],) for key, _ in nonzero}
            else:
                comp_of = {key: owner[key[0]] for key, _ in nonzero}
            exprs = dict(nonzero)
            if sparse_out:
                pattern = _pattern((rows, cols), list(exprs))
                keys = list(zip(pattern.rows, pattern.cols, strict=True))
                index = {key: k for k, key in enumerate(keys)}
                size = len(keys)
                words = (
                    f"out[k] = entry (ROWS[k], COLS[k]) of the {rows}x{cols} matrix, "
                    "k in column order (CSC)"
                )
            else:
                pattern = None
                keys = sorted(exprs)
                index = {key: key[0] * cols + key[1] for key in keys}
                size = rows * cols
                words = f"out[i*{cols} + j] = entry (i, j) of the {rows}x{cols} matrix, row-major"
            swap = item == "jac" and layout != "numerator"
            if item == "jac":
                words += f", {layout} layout"
            entries = [
                Entry(index[key], lower(exprs[key]), comp_of[key], lower.kinks(exprs[key]))
                for key in keys
            ]
            entries.sort(key=lambda e: e.index)
            labels: tuple[str, ...] = ()
            if size <= MAX_LABELS:
                if sparse_out:
                    cells = list(keys)
                else:
                    cells = [(i, j) for i in range(rows) for j in range(cols)]
                pairs = [
                    (col_names[j], row_names[i]) if swap else (row_names[i], col_names[j])
                    for i, j in cells
                ]
                labels = tuple(what_is % pair for pair in pairs)
            outputs.append(
                Output(
                    item,
                    size,
                    tuple(entries),
                    words,
                    labels,
                    pattern=pattern,
                    dense=not sparse_out,
                    shape=(size,) if sparse_out else (rows, cols),
                )
            )
        elif item == "det":
            if f.m != f.n:
                raise ShapeError(
                    f"--what det needs a square Jacobian; this one is {f.m}×{f.n}",
                    hint="leave det out of --what (jacobi det --volume gives the volume element)",
                )
            value = jacobian_determinant(f).value
            entry = Entry(0, lower(value), every, lower.kinks(value))
            outputs.append(Output("det", 1, (entry,), "out[0] = det J", ("det J",), shape=()))
        else:  # jvp, vjp
            matrix = jacobian()
            nonzero = sparse.nonzero(matrix)
            if item == "jvp":
                vec = [sympy.Symbol(f"v[{j}]") for j in range(f.n)]
                acc: dict[int, list[sympy.Expr]] = {}
                owners: dict[int, set[int]] = {}
                for (i, j), e in nonzero:
                    acc.setdefault(i, []).append(e * vec[j])
                    owners.setdefault(i, set()).add(i)
                size, extra, words = f.m, ("v", f.n), "out[i] = (J v)_i"
                labels = tuple(f"(J v){'_' + str(i + 1) if f.m > 1 else ''}" for i in range(f.m))
            else:
                vec = [sympy.Symbol(f"w[{i}]") for i in range(f.m)]
                acc, owners = {}, {}
                for (i, j), e in nonzero:
                    acc.setdefault(j, []).append(vec[i] * e)
                    owners.setdefault(j, set()).add(i)
                size, extra, words = f.n, ("w", f.m), "out[j] = (w^T J)_j"
                labels = tuple(f"(w^T J)_{names[j]}" for j in range(f.n))
            lower.symbols.update({s: s for s in vec})
            entries = []
            for k in sorted(acc):
                total = sympy.Add(*acc[k])
                entries.append(Entry(k, lower(total), tuple(sorted(owners[k])), lower.kinks(total)))
            outputs.append(
                Output(
                    item,
                    size,
                    tuple(entries),
                    words,
                    labels if size <= MAX_LABELS else (),
                    extra=extra,
                    shape=(size,),
                )
            )
    free = [p.name for p, v in f.parameters if v is None]
    baked = [f"{p.name} = {v}" for p, v in f.parameters if v is not None]
    return Program(
        name=name,
        variables=names,
        parameters=tuple(free),
        baked=tuple(baked),
        components=comps,
        guards=tuple(guards),
        outputs=tuple(outputs),
        texts=f.texts,
    )
