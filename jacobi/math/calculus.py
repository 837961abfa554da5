"""The calculus around the Jacobian, in pure SymPy.

Determinants (with the method chosen by the structure of the entries), volume
elements, singular sets, the chain rule over any number of layers with its
accumulation costs, gradients, Hessians, Jacobian-vector and vector-Jacobian
products, linearisations and inverse Jacobians.

Nothing here knows about text, options or terminals: functions take and return
SymPy objects and :mod:`jacobi.model` dataclasses. Every simplification is
bounded by counts (see :mod:`jacobi.simplify`), never by seconds: the same input gives the
same answer on any machine.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import sympy

from jacobi.errors import InputError, JacobiError, LimitError, ShapeError, UndefinedError
from jacobi.math import derivatives as core
from jacobi.math import evaluate, simplify
from jacobi.math.kinks import clean_matrix
from jacobi.math.simplify import EXPAND_MAX_TERMS, expansion_terms, simplest, tidy_matrix
from jacobi.model import Point, VectorFunction

T = TypeVar("T")

#: The division-free expansion gives up (for Berkowitz) when more minors than this are alive.
MAX_FRONTIER = 50_000
#: ... and stops (exit 4) after this many products of terms: memory grows with the work.
MAX_WORK = 40_000_000
#: Entries whose expansion has more terms than this (together; or one entry more than
#: :data:`~jacobi.simplify.EXPAND_MAX_TERMS`) are not expanded into a polynomial ring for
#: the determinant: (x + y)**20000 stays a power.
MAX_EXPANDED_TERMS = 20_000
#: det J = 0 is solved for one variable only when the factor has at most this many operations
#: (SymPy's solvers have no bound of their own; a larger factor is shown as its equation).
SOLVE_MAX_OPS = 40
#: ... and is a polynomial of at most this degree in the variable (or in one sin, cos, exp of it).
SOLVE_MAX_DEGREE = 4
#: Chain-rule entries with more operations than this are checked at points, not symbolically.
VERIFY_MAX_OPS = 400


# --------------------------------------------------------------------------- determinants


@dataclass(frozen=True)
class Determinant:
    """A determinant and how it was computed.

    ``kind`` is the structure of the entries: ``"numeric"``, ``"polynomial"``,
    ``"rational"`` (polynomial quotients) or ``"transcendental"`` (polynomial in
    atoms such as ``sin(t)`` or ``exp(x)``, which are treated as indeterminates).
    """

    value: sympy.Expr
    kind: str
    method: str


def _split_fraction(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    if not any(
        isinstance(p, sympy.Pow) and p.exp.is_negative for p in sympy.preorder_traversal(expr)
    ):
        return expr, sympy.S.One
    num, den = sympy.fraction(sympy.together(expr))
    return num, den


def _minor_expansion(
    rows: list[list[dict[int, int]]], n: int, max_frontier: int
) -> dict[int, int] | None:
    """det of an n×n matrix of packed-integer polynomials, without any division.

    Laplace expansion along the rows, remembering every non-zero minor of the
    first k rows (a dynamic programme over column sets): O(n·2^n) ring
    operations for a dense matrix, far fewer for a sparse or banded one, each a
    product of one entry with one minor. Returns ``None`` when more than
    ``max_frontier`` minors are alive at once (the caller then uses Berkowitz).
    """
    frontier: dict[int, dict[int, int]] = {0: {0: 1}}
    work = 0
    for k in range(n):
        nonzero = [(c, a) for c, a in enumerate(rows[k]) if a]
        new: dict[int, dict[int, int]] = {}
        for mask, minor in frontier.items():
            work += len(minor) * sum(len(a) for _, a in nonzero)
            if work > MAX_WORK:
                # Memory grows with the work done: stop before the machine runs out.
                raise LimitError(
                    f"the determinant is too large to expand (more than {MAX_WORK:,} "
                    "term products)",
                    hint="use fewer symbols, substitute parameters with --param, "
                    "or evaluate the Jacobian at a point",
                )
            for c, entry in nonzero:
                bit = 1 << c
                if mask & bit:
                    continue
                # Moving column c past the chosen columns to its right flips the sign each time.
                negative = (mask >> (c + 1)).bit_count() & 1
                acc = new.get(mask | bit)
                if acc is None:
                    acc = new[mask | bit] = {}
                get = acc.get
                for ka, ca in entry.items():
                    if negative:
                        ca = -ca
                    for kb, cb in minor.items():
                        key = ka + kb
                        acc[key] = get(key, 0) + ca * cb
        frontier = {}
        for mask, poly in new.items():
            poly = {key: c for key, c in poly.items() if c}
            if poly:
                frontier[mask] = poly
        if not frontier:
            return {}
        if len(frontier) > max_frontier:
            return None
    return frontier.get((1 << n) - 1, {})


def _berkowitz(
    rows: list[list[dict[tuple[int, ...], int]]], nvars: int
) -> dict[tuple[int, ...], int]:
    """det by SymPy's division-free Berkowitz characteristic polynomial over ZZ[...]."""
    from sympy.polys.domains import ZZ
    from sympy.polys.matrices import DomainMatrix
    from sympy.polys.rings import PolyRing

    n = len(rows)
    if nvars == 0:
        matrix = DomainMatrix([[ZZ(e.get((), 0)) for e in row] for row in rows], (n, n), ZZ)
        return {(): int(matrix.det())}
    ring = PolyRing([sympy.Dummy(f"g{i}") for i in range(nvars)], ZZ)
    domain = ring.to_domain()
    matrix = DomainMatrix([[ring.from_dict(e) for e in row] for row in rows], (n, n), domain)
    det = matrix.charpoly()[-1]
    if n % 2:
        det = -det
    return {tuple(m): int(c) for m, c in det.terms()}


def _integer_det(
    rows: list[list[dict[tuple[int, ...], int]]], nvars: int
) -> tuple[dict[tuple[int, ...], int], str]:
    """det of a matrix of integer polynomials (exponent tuple -> coefficient)."""
    n = len(rows)
    bounds = [0] * nvars
    for row in rows:
        highest = [0] * nvars
        for entry in row:
            for monom in entry:
                for v, e in enumerate(monom):
                    if e > highest[v]:
                        highest[v] = e
        bounds = [b + h for b, h in zip(bounds, highest, strict=True)]
    # Pack exponent vectors into one integer (mixed radix: no carries, since no minor
    # can exceed the bounds), so multiplying monomials is one integer addition.
    radix = []
    step = 1
    for b in bounds:
        radix.append(step)
        step *= b + 1
    packed = [
        [
            {sum(e * r for e, r in zip(m, radix, strict=True)): c for m, c in entry.items()}
            for entry in row
        ]
        for row in rows
    ]
    result = _minor_expansion(packed, n, MAX_FRONTIER) if nvars else None
    if result is None:
        return _berkowitz(rows, nvars), "Berkowitz (characteristic polynomial, division-free)"
    out: dict[tuple[int, ...], int] = {}
    for key, c in result.items():
        exponents: list[int] = []
        for b in bounds:
            key, e = divmod(key, b + 1)
            exponents.append(e)
        out[tuple(exponents)] = c
    return out, "division-free expansion by minors"


def _from_terms(
    terms: dict[tuple[int, ...], int], gens: Sequence[sympy.Expr], denominator: int = 1
) -> sympy.Expr:
    """The SymPy expression of a polynomial given by its terms, divided by an integer.

    For generators that are plain symbols the expression is assembled in
    SymPy's canonical order directly (thousands of terms in a fraction of the
    time ``Add(*terms)`` needs); other generators (``sin(t)``, ``sqrt(x)``)
    interact when multiplied and take the ordinary route.
    """
    if not terms:
        return sympy.S.Zero
    fast = all(isinstance(g, sympy.Symbol) for g in gens)
    if fast:
        try:
            from sympy.core.add import _addsort
            from sympy.core.mul import _mulsort
        except ImportError:  # pragma: no cover - a SymPy without these internals
            fast = False
    if not fast:
        return sympy.Add(
            *[
                sympy.Rational(c, denominator)
                * sympy.Mul(*[g**e for g, e in zip(gens, m, strict=True) if e])
                for m, c in terms.items()
            ]
        )
    powers: dict[tuple[int, int], sympy.Expr] = {}
    out = []
    constant: sympy.Expr = sympy.S.Zero
    for monom, c in terms.items():
        factors: list[sympy.Expr] = []
        for v, e in enumerate(monom):
            if e:
                p = powers.get((v, e))
                if p is None:
                    p = powers[(v, e)] = gens[v] if e == 1 else sympy.Pow(gens[v], e)
                factors.append(p)
        coeff = sympy.Rational(c, denominator)
        if not factors:
            constant = coeff
            continue
        _mulsort(factors)
        if coeff != 1:
            factors.insert(0, coeff)
        out.append(factors[0] if len(factors) == 1 else sympy.Mul._from_args(factors, True))
    # SymPy's canonical sum: the terms in sort order, the number (if any) first.
    _addsort(out)
    if constant != 0:
        out.insert(0, constant)
    if len(out) == 1:
        return out[0]
    return sympy.Add._from_args(out, True)


def _ring_det(
    matrix: sympy.MatrixBase,
) -> tuple[sympy.Expr, str, str]:
    """(det, kind, method) of a square matrix of SymPy expressions, untidied."""
    from sympy.polys.domains import QQ
    from sympy.polys.polyutils import parallel_dict_from_expr
    from sympy.polys.rings import PolyRing

    n = matrix.rows
    entries = [[matrix[i, j] for j in range(n)] for i in range(n)]
    split = [[_split_fraction(e) for e in row] for row in entries]
    flat = [part for row in split for pair in row for part in pair]
    dicts, gens = parallel_dict_from_expr(flat)
    if not all(c.is_Rational for d in dicts for c in d.values()):
        # A coefficient such as I (from sqrt of a negative quantity): not a polynomial over QQ.
        raise sympy.PolynomialError("coefficients outside QQ")
    ring = PolyRing(gens, QQ) if gens else None
    rational = False
    int_rows: list[list[dict[tuple[int, ...], int]]] = []
    denominator: object = 1
    k = 0
    for _ in range(n):
        nums, dens = [], []
        for _ in range(n):
            nums.append(dicts[k])
            dens.append(dicts[k + 1])
            k += 2
        if ring is not None:
            num_r = [ring.from_dict({m: QQ(c.p, c.q) for m, c in d.items()}) for d in nums]
            den_r = [ring.from_dict({m: QQ(c.p, c.q) for m, c in d.items()}) for d in dens]
            lcm = den_r[0]
            for d in den_r[1:]:
                lcm = lcm.lcm(d)
            if not lcm.is_ground:
                rational = True
            scaled = [num * lcm.exquo(den) for num, den in zip(num_r, den_r, strict=True)]
            # Clear the rational coefficients of the row with one integer factor.
            scale = 1
            for p in scaled:
                for c in p.values():
                    scale = math.lcm(scale, int(c.denominator))
            int_rows.append(
                [{m: int(c * scale) for m, c in p.items()} for p in scaled]  # exact integers
            )
            denominator = lcm * scale * denominator  # type: ignore[operator]
        else:
            values = [
                sympy.Rational(num.get((), 0)) / sympy.Rational(den.get((), 1))
                for num, den in zip(nums, dens, strict=True)
            ]
            scale = 1
            for v in values:
                scale = math.lcm(scale, int(v.q))
            int_rows.append([{(): int(v * scale)} if v else {} for v in values])
            denominator = scale * denominator  # type: ignore[operator]
    nvars = len(gens)
    if nvars == 0:
        from sympy.polys.domains import ZZ
        from sympy.polys.matrices import DomainMatrix

        value = DomainMatrix(
            [[ZZ(e.get((), 0)) for e in row] for row in int_rows], (n, n), ZZ
        ).det()
        return sympy.Rational(int(value), int(denominator)), "numeric", "Bareiss over the integers"  # type: ignore[call-overload]
    terms, method = _integer_det(int_rows, nvars)
    kind = "polynomial"
    if not all(isinstance(g, sympy.Symbol) for g in gens):
        kind = "transcendental"
    elif rational:
        kind = "rational"
    assert ring is not None
    names = ", ".join(str(g) for g in gens)
    method = f"{method} over ZZ[{names}]"
    den = ring(denominator)
    if den.is_ground:
        d = den.LC
        num_expr = _from_terms(terms, gens, 1)
        if d == 1:
            return num_expr, kind, method
        numer, denom = int(d.numerator), int(d.denominator)
        return _from_terms({m: c * denom for m, c in terms.items()}, gens, numer), kind, method
    num = ring.from_dict({m: QQ(c) for m, c in terms.items()})
    p, q = num.cancel(den)
    return (
        p.as_expr() / q.as_expr(),
        kind,
        method + ", clearing denominators row by row",
    )


def determinant(matrix: sympy.MatrixBase, *, simplify: bool = True) -> Determinant:
    """The determinant of a square matrix, by a method chosen for its entries.

    Numbers: Bareiss over the integers. Polynomials (also with parameters):
    division-free expansion by minors over ZZ[x, ...], whose cost follows the
    sparsity of the matrix (Berkowitz when too many minors are alive).
    Rational functions: each row is multiplied by the lcm of its denominators,
    then the same. Other entries (``sin(t)``, ``exp(x)``, ``sqrt(x)``) are
    polynomials in those atoms, which is all a determinant needs; the result
    is then simplified with a bounded effort (``trigsimp`` for ``sin²+cos²``).

    Examples
    --------
    >>> from jacobi.lang.parse import symbol
    >>> r, t, x, y = (symbol(n) for n in "r t x y".split())
    >>> determinant(sympy.Matrix([[1, 1], [y, x]])).value
    x - y
    >>> c, s = sympy.cos(t), sympy.sin(t)
    >>> d = determinant(sympy.Matrix([[c, -r*s], [s, r*c]]))
    >>> d.value, d.kind
    (r, 'transcendental')
    >>> determinant(sympy.Matrix([[1/x, 0], [0, x**2]])).value
    x
    """
    if matrix.rows != matrix.cols:
        raise ShapeError(f"a determinant needs a square matrix, not {matrix.rows}×{matrix.cols}")
    if matrix.rows == 0:
        return Determinant(sympy.S.One, "numeric", "empty product")
    expanded = [expansion_terms(e) for e in matrix if not e.is_Atom]
    if sum(expanded) > MAX_EXPANDED_TERMS or max(expanded, default=0) > EXPAND_MAX_TERMS:
        # (x + y)**20000 as an entry: expanding it into the polynomial ring would hang, and
        # so would SymPy's own expansion of the products (dotprodsimp), so that is off too.
        from sympy.matrices.utilities import dotprodsimp

        with dotprodsimp(False):
            value = sympy.Matrix(matrix).det(method="berkowitz")
        polynomial = all(e.is_polynomial() for e in matrix)
        kind = "polynomial" if polynomial else "transcendental"
        method = "Berkowitz on the unexpanded entries (expanded, they have too many terms)"
        return Determinant(value, kind, method)
    try:
        value, kind, method = _ring_det(matrix)
    except (sympy.PolynomialError, sympy.polys.polyerrors.PolificationFailed):
        value = sympy.Matrix(matrix).det(method="berkowitz")
        kind, method = "transcendental", "Berkowitz on the expressions"
    if simplify and kind != "numeric":
        value = simplest(value)
    return Determinant(value, kind, method)


def simplest_matrix(matrix: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """:func:`~jacobi.simplify.simplest` entry by entry (each bounded by its size)."""
    return tidy_matrix(matrix, simplest)


def _require_square(f: VectorFunction, what: str) -> None:
    if f.m != f.n:
        why = (
            "more components than variables: the image is a lower-dimensional surface"
            if f.m > f.n
            else "fewer components than variables: the map squashes dimensions"
        )
        hint = (
            "for the volume element sqrt(det(JᵀJ)) of a parametrised surface use --volume"
            if f.m > f.n
            else "a determinant needs as many components as variables"
        )
        raise ShapeError(
            f"{what} needs a square Jacobian, but f has {f.m} component"
            f"{'s' if f.m != 1 else ''} and {f.n} variable{'s' if f.n != 1 else ''} "
            f"(J is {f.m}×{f.n}): {why}",
            hint=hint,
        )


def jacobian_determinant(f: VectorFunction, *, simplify: bool = True) -> Determinant:
    """det J for a function with as many components as variables.

    >>> from jacobi import function
    >>> jacobian_determinant(function("x+y, x*y")).value
    x - y
    >>> jacobian_determinant(function("r sin(theta) cos(phi), r sin(theta) sin(phi), r cos(theta)",
    ...                               variables="r,theta,phi")).value
    r**2*sin(theta)
    """
    _require_square(f, "det")
    return determinant(core.differentiate(f.components, f.variables), simplify=simplify)


def matmul(a: sympy.MatrixBase, b: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """``a @ b``, skipping zero entries (large Jacobians are mostly zeros).

    >>> matmul(sympy.Matrix([[1, 2]]), sympy.Matrix([[3], [4]]))
    Matrix([[11]])
    """
    if a.cols != b.rows:
        raise ShapeError(f"cannot multiply {a.rows}×{a.cols} by {b.rows}×{b.cols}")
    b_rows = [[(j, b[k, j]) for j in range(b.cols) if b[k, j] != 0] for k in range(b.rows)]
    out = []
    for i in range(a.rows):
        acc: dict[int, list[sympy.Expr]] = {}
        for k in range(a.cols):
            aik = a[i, k]
            if aik == 0:
                continue
            for j, bkj in b_rows[k]:
                acc.setdefault(j, []).append(aik * bkj)
        out.append([sympy.Add(*acc[j]) if j in acc else sympy.S.Zero for j in range(b.cols)])
    return sympy.ImmutableMatrix(a.rows, b.cols, [e for row in out for e in row])


def gram_determinant(f: VectorFunction, *, simplify: bool = True) -> Determinant:
    """det(JᵀJ) for m > n (the squared volume element); det J itself for m = n.

    >>> from jacobi import function
    >>> gram_determinant(function("cos(t), sin(t), t")).value
    2
    """
    if f.m < f.n:
        raise ShapeError(
            f"a volume element needs at least as many components as variables, but J is "
            f"{f.m}×{f.n}",
            hint="the image of R^n in fewer dimensions has no n-dimensional volume",
        )
    jac = core.differentiate(f.components, f.variables)
    if f.m == f.n:
        return determinant(jac, simplify=simplify)
    gram = core.tidy_matrix(matmul(jac.T, jac))
    return determinant(gram, simplify=simplify)


def volume_element(f: VectorFunction, *, simplify: bool = True) -> sympy.Expr:
    """sqrt(det(JᵀJ)): how an n-dimensional parametrisation scales n-volume (m ≥ n).

    For m = n it is |det J|. The square root is kept exact: the unit sphere
    gives ``Abs(sin(theta))``, which is ``sin(theta)`` on the usual range
    0 ≤ θ ≤ π but not for every real θ.

    >>> from jacobi import function
    >>> volume_element(function("sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)",
    ...                         variables="theta,phi"))
    Abs(sin(theta))
    >>> volume_element(function("cos(t), sin(t)"))
    1
    >>> volume_element(function("x + y, x - y"))
    2
    """
    det = gram_determinant(f, simplify=simplify).value
    root = sympy.Abs(det) if f.m == f.n else sympy.sqrt(det)
    return simplest(root) if simplify else root


def orientation(value: sympy.Expr) -> str | None:
    """``"preserved"`` (det > 0), ``"reversed"`` (det < 0) or ``"collapsed"`` (det = 0).

    ``None`` when the sign is not determined (a symbolic value).

    >>> orientation(sympy.Integer(-3)), orientation(sympy.sqrt(2) - 1), orientation(sympy.S.Zero)
    ('reversed', 'preserved', 'collapsed')
    """
    if value == 0:
        return "collapsed"
    if value.is_positive:
        return "preserved"
    if value.is_negative:
        return "reversed"
    if value.free_symbols:
        return None
    approx = value.evalf(50)
    if approx.is_real and approx != 0 and abs(approx) > 1e-40:
        return "preserved" if approx > 0 else "reversed"
    return None


def volume_words(n: int) -> str:
    """What a Jacobian determinant scales, in words: lengths, areas, volumes, ..."""
    return {1: "lengths", 2: "areas", 3: "volumes"}.get(n, f"{n}-dimensional volumes")


# --------------------------------------------------------------------------- singular sets


@dataclass(frozen=True)
class SingularSet:
    """Where ``det J = 0``: the equation and, where they could be found, its solutions.

    ``solutions`` holds one text per factor of the determinant, e.g.
    ``"r = 0"`` or ``"theta = n*pi (n any integer)"``; ``complete`` is False if
    some factor could not be solved (its equation is shown instead).
    """

    equation: sympy.Expr
    solutions: tuple[str, ...]
    complete: bool
    everywhere: bool = False
    nowhere: bool = False
    #: Where det J itself is undefined (its denominator is 0), e.g. ``("y = 0",)``.
    undefined: tuple[str, ...] = ()
    #: Conditions on the parameters under which det J = 0 for every value of the
    #: variables, e.g. ``("a = -1", "a = 1")`` for det J = a² − 1.
    conditions: tuple[str, ...] = ()


def _merge_periodic(images: list[sympy.Set]) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """``(period, offset)`` pairs; equally spaced offsets merge into a finer period."""
    pairs: list[tuple[sympy.Expr, sympy.Expr]] = []
    for image in images:
        lam = image.lamda
        n = lam.variables[0]
        expr = sympy.expand(lam.expr)
        period = expr.coeff(n)
        offset = sympy.expand(expr - period * n)
        pairs.append((period, offset))
    periods = {p for p, _ in pairs}
    if len(periods) == 1 and len(pairs) > 1:
        period = periods.pop()
        offsets = sorted((o for _, o in pairs), key=lambda o: float(o))
        step = period / len(pairs)
        if all(sympy.simplify(offsets[i] - offsets[0] - i * step) == 0 for i in range(len(pairs))):
            return [(step, offsets[0])]
    return pairs


def _set_text(var: sympy.Symbol, solutions: sympy.Set, integer: str) -> str | None:
    """``"x = 0 or x = 1"`` / ``"theta = n*pi (n any integer)"``; None if not expressible."""
    from jacobi.lang.printing import to_text

    if isinstance(solutions, sympy.FiniteSet):
        return " or ".join(f"{var.name} = {to_text(s)}" for s in solutions)
    parts = solutions.args if isinstance(solutions, sympy.Union) else (solutions,)
    finite = [p for p in parts if isinstance(p, sympy.FiniteSet)]
    images = [p for p in parts if isinstance(p, sympy.ImageSet)]
    if len(finite) + len(images) != len(parts) or not images:
        return None
    n = sympy.Symbol(integer, integer=True)
    texts = [f"{var.name} = {to_text(s)}" for f in finite for s in f]
    for period, offset in _merge_periodic(images):
        texts.append(f"{var.name} = {to_text(period * n + offset)}")
    return " or ".join(texts) + f" ({integer} any integer)"


def _one_generator(factor: sympy.Expr, var: sympy.Symbol) -> bool:
    """Whether ``factor`` is a small polynomial in ``var`` or in one function of a linear ``var``.

    These are the equations SymPy's ``solveset`` settles in milliseconds; anything
    else (``x + sin(x)``, products of several trigonometric factors) is kept as its
    equation. The test counts, it does not time: the same factor is always solved
    or always kept.
    """
    if int(sympy.count_ops(factor)) > SOLVE_MAX_OPS:
        return False
    if factor.is_polynomial(var):
        return bool(sympy.degree(factor, var) <= SOLVE_MAX_DEGREE)
    calls = {
        c
        for c in factor.atoms(sympy.Function, sympy.Pow)
        if var in c.free_symbols and not (c.is_Pow and c.exp.is_Integer and c.base == var)
    }
    if len(calls) != 1:
        return False
    (call,) = calls
    if not isinstance(call, (sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.sinh, sympy.tanh)):
        return False
    arg = call.args[0]
    if not (arg.is_polynomial(var) and sympy.degree(arg, var) == 1):
        return False
    z = sympy.Dummy("z")
    rest = factor.xreplace({call: z})
    return var not in rest.free_symbols and bool(
        rest.is_polynomial(z) and sympy.degree(rest, z) <= 2
    )


def _sum_of_squares(factor: sympy.Expr, present: Sequence[sympy.Symbol]) -> str | None:
    """``"x = 0 and y = 0"`` for x² + y² (positive multiples of even powers), ``""`` for x² + 1.

    Such a sum is 0 exactly where every term is; returns ``None`` for other factors.
    """
    if not factor.is_polynomial(*present):
        return None
    poly = sympy.Poly(factor, *present)
    monomials = poly.terms()
    if not all(c.is_positive for _, c in monomials) or not all(
        all(e % 2 == 0 for e in m) for m, _ in monomials
    ):
        return None
    if any(all(e == 0 for e in m) for m, _ in monomials):
        return ""  # a positive constant term: never 0
    if not all(sum(1 for e in m if e) == 1 for m, _ in monomials):
        return None  # x**2*y**2 + z**2: zero on a union of sets, shown as the equation
    zero = [v for v in present if any(m[present.index(v)] for m, _ in monomials)]
    return " and ".join(f"{v.name} = 0" for v in zero)


def _solve_factor(
    factor: sympy.Expr, variables: Sequence[sympy.Symbol], integer: str
) -> str | None:
    from jacobi.lang.printing import to_text

    present = [v for v in variables if v in factor.free_symbols]
    if len(present) == 1:
        var = present[0]
        if not _one_generator(factor, var):
            return None
        solved = sympy.solveset(factor, var, sympy.S.Reals)
        if solved is sympy.S.EmptySet:
            return ""
        return _set_text(var, solved, integer)
    squares = _sum_of_squares(factor, present)
    if squares is not None:
        return squares
    # Several variables: solve for one that occurs linearly, preferring one whose
    # coefficient is free of the variables (no division by a variable), else keep
    # the equation.
    linear = [v for v in present if factor.is_polynomial(v) and sympy.degree(factor, v) == 1]
    linear.sort(key=lambda v: bool(factor.diff(v).free_symbols & set(variables)))
    for var in linear:
        sols = sympy.solve(factor, var)
        if len(sols) == 1:
            return f"{var.name} = {to_text(sols[0])}"
    return None


def _optional(work: Callable[[], T], default: T) -> T:
    """``work()``, or ``default`` if SymPy fails in an unexpected way.

    Solving is optional effort: a ``PolynomialError``, ``NotImplementedError``
    or the like from SymPy means "not solved", never an internal error. Our own
    errors still propagate.
    """
    try:
        return work()
    except JacobiError:
        raise
    except Exception:  # SymPy raises many kinds of error on what it cannot do
        return default


def _fraction(det: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``(numerator, denominator)`` of ``det`` over a common denominator, cancelled."""
    num, den = sympy.fraction(det)
    if simplify.too_large(det):
        return num, den

    def split() -> tuple[sympy.Expr, sympy.Expr]:
        n, d = sympy.fraction(sympy.together(det))
        if d.free_symbols:
            n, d = sympy.fraction(sympy.cancel(n / d))
        return n, d

    return _optional(split, (num, den))


def _zero_part(factor: sympy.Expr) -> sympy.Expr:
    """``u`` for ``u**p`` with ``p > 0`` (``sqrt(u) = 0`` exactly where ``u = 0``)."""
    while factor.is_Pow and factor.exp.is_positive:
        factor = factor.base
    return factor


def _factors(expr: sympy.Expr) -> list[sympy.Expr]:
    """The distinct factors of ``expr`` that contain symbols (``[expr]`` if it is too large)."""
    pairs = [(expr, 1)]
    if not simplify.too_large(expr):
        _, pairs = _optional(lambda: sympy.factor_list(expr), (1, pairs))
    out: list[sympy.Expr] = []
    for factor, _mult in pairs:
        for part in sympy.Mul.make_args(factor):
            part = _zero_part(part)
            if part.free_symbols and part not in out:
                out.append(part)
    return out


def singular_set(det: sympy.Expr, variables: Sequence[sympy.Symbol]) -> SingularSet:
    """The points where a map is not locally invertible: the real solutions of det J = 0.

    The determinant is brought over a common denominator: det J = 0 where its
    numerator is 0 (and the denominator is not; where the denominator is 0,
    det J itself is undefined, listed in ``undefined``). The numerator is
    factored and each factor solved when it is small enough (see
    :func:`_one_generator`); periodic solutions are given with an integer ``n``.
    A factor without the variables (a product of parameters) is a condition on
    the parameters, listed in ``conditions``: where it holds, J is singular
    everywhere. A factor that is not solved is shown as its equation.

    Examples
    --------
    >>> from jacobi.lang.parse import symbol
    >>> r, t, l1, l2, b, y = (symbol(n) for n in ("r", "t", "l1", "l2", "b", "y"))
    >>> singular_set(r, [r, t]).solutions
    ('r = 0',)
    >>> found = singular_set(l1*l2*sympy.sin(b), [b])
    >>> found.solutions, found.conditions
    (('b = pi*n (n any integer)',), ('l1 = 0', 'l2 = 0'))
    >>> found = singular_set(-1/y**2, [r, y])
    >>> found.nowhere, found.undefined
    (True, ('y = 0',))
    >>> a = symbol("a")
    >>> found = singular_set(a**2 - 1, [r, y])   # det J depends only on a parameter
    >>> found.nowhere, found.conditions
    (False, ('a = 1', 'a = -1'))
    """
    from jacobi.lang.printing import to_text

    if det == 0:
        return SingularSet(det, (), True, everywhere=True)
    if det.free_symbols == set():
        return SingularSet(det, (), True, nowhere=True)
    names = {v.name for v in det.free_symbols}
    integer = next(c for c in ("n", "k", "m", "n_", "k_") if c not in names)
    wanted = set(variables)

    def solve(factors: list[sympy.Expr]) -> tuple[list[str], list[str], bool]:
        texts: list[str] = []
        conditions: list[str] = []
        complete = True
        for factor in factors:
            if not (factor.free_symbols & wanted):
                conditions.extend(_parameter_conditions(factor))
                continue
            text = _optional(partial(_solve_factor, factor, variables, integer), None)
            if text is None:
                complete = False
                texts.append(f"{to_text(factor)} = 0")
            elif text:
                texts.append(text)
        return texts, conditions, complete

    num, den = _fraction(det)
    texts, conditions, complete = solve(_factors(num))
    undefined: tuple[str, ...] = ()
    if den.free_symbols & wanted:
        den_factors = [f for f in _factors(den) if f.free_symbols & wanted]
        undefined = tuple(solve(den_factors)[0])
    return SingularSet(
        det,
        tuple(texts),
        complete,
        nowhere=not texts and not conditions,
        undefined=undefined,
        conditions=tuple(conditions),
    )


def _parameter_conditions(factor: sympy.Expr) -> list[str]:
    """``["a = -1", "a = 1"]`` for the factor ``a**2 - 1`` of det J; the equation if unsolved."""
    from jacobi.lang.printing import to_text

    symbols = sorted(factor.free_symbols, key=lambda s: s.name)
    if len(symbols) == 1 and _one_generator(factor, symbols[0]):
        solved = _optional(lambda: sympy.solveset(factor, symbols[0], sympy.S.Reals), None)
        if isinstance(solved, sympy.FiniteSet):
            return [f"{symbols[0].name} = {to_text(v)}" for v in solved]
        if solved is sympy.S.EmptySet:
            return []
    return [f"{to_text(factor)} = 0"]


# --------------------------------------------------------------------------- chain rule


@dataclass(frozen=True)
class ChainCosts:
    """Scalar multiplications to multiply the layer Jacobians, by evaluation order.

    ``dims`` are the sizes p0 (final output), p1, ..., pk (input): the layer
    Jacobians, outermost first, are p0×p1, p1×p2, ..., p(k-1)×pk.
    """

    dims: tuple[int, ...]
    forward: int
    reverse: int
    best: int
    best_order: str


def chain_costs(dims: Sequence[int], names: Sequence[str] | None = None) -> ChainCosts:
    """Costs of forward (right to left), reverse (left to right) and the best order.

    The best parenthesisation comes from the classic matrix-chain dynamic
    programme. ``names`` label the factors, outermost first.

    >>> c = chain_costs([1, 3, 4, 5], ["J3", "J2", "J1"])  # (1×3)(3×4)(4×5): scalar loss
    >>> c.forward, c.reverse, c.best, c.best_order
    (75, 32, 32, '(J3 J2) J1')
    """
    p = list(dims)
    k = len(p) - 1
    if k < 1:
        raise ValueError("need at least one factor")
    labels = list(names) if names is not None else [f"J{k - i}" for i in range(k)]
    forward = sum(p[i] * p[i + 1] * p[k] for i in range(k - 1))
    reverse = sum(p[0] * p[i] * p[i + 1] for i in range(1, k))
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(2, k + 1):
        for i in range(k - length + 1):
            j = i + length - 1
            cost[i][j] = -1
            for s in range(i, j):
                c = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, s

    def text(i: int, j: int, top: bool) -> str:
        if i == j:
            return labels[i]
        s = split[i][j]
        inner = f"{text(i, s, False)} {text(s + 1, j, False)}"
        return inner if top else f"({inner})"

    best = cost[0][k - 1] if k > 1 else 0
    order = text(0, k - 1, True)
    # On a tie, name the familiar order: reverse mode first, then forward mode.
    if k > 2 and reverse == best:
        order = labels[0]
        for label in labels[1:]:
            order = f"({order} {label})"
        order = order[1:-1]
    elif k > 2 and forward == best:
        order = labels[-1]
        for label in reversed(labels[:-1]):
            order = f"({label} {order})"
        order = order[1:-1]
    return ChainCosts(tuple(p), forward, reverse, best, order)


@dataclass(frozen=True)
class Chain:
    """The chain rule for ``layers[0] ∘ layers[1] ∘ ... ∘ layers[-1]`` (outermost first).

    ``factors[i]`` is the Jacobian of ``layers[i]`` evaluated along the
    composition, as a function of the innermost variables; ``product`` is
    their product (outer first, inner last); ``direct`` is the Jacobian of the
    composition computed directly. ``verified`` says how the two were found
    equal: ``"symbolically"``, ``"numerically"`` (at random points), or
    ``"unverified"``/``"mismatch"``.
    """

    layers: tuple[VectorFunction, ...]
    composition: VectorFunction
    outer_jacobians: tuple[sympy.ImmutableMatrix, ...]
    factors: tuple[sympy.ImmutableMatrix, ...]
    product: sympy.ImmutableMatrix
    direct: sympy.ImmutableMatrix
    verified: str
    costs: ChainCosts


def compose(layers: Sequence[VectorFunction]) -> VectorFunction:
    """The composition ``layers[0] ∘ ... ∘ layers[-1]``, substituting simultaneously.

    Each layer's variables are replaced by the components of the next inner
    layer all at once, so layers may reuse names (``g(x, y)`` of ``h(x, y)``).

    >>> from jacobi import function
    >>> g = function("y, x")          # swaps its arguments
    >>> h = function("x + 1, 2*y")
    >>> compose([g, h]).components    # g(h(x, y)) = (2y, x + 1), not a sequential mix-up
    (2*y, x + 1)
    """
    if not layers:
        raise InputError("a composition needs at least one function")
    check_shapes(layers)
    inner = layers[-1]
    comps = list(inner.components)
    for layer in reversed(layers[:-1]):
        mapping = dict(zip(layer.variables, comps, strict=True))
        comps = [evaluate.substitute(c, mapping) for c in layer.components]
    params = {s: v for layer in layers for s, v in layer.parameters}
    return VectorFunction(
        components=tuple(comps),
        variables=inner.variables,
        parameters=tuple(params.items()),
        texts=(),
    )


def _layer_names(count: int) -> list[str]:
    return ["g", "h"] if count == 2 else [f"f{count - i}" for i in range(count)]


def check_shapes(layers: Sequence[VectorFunction]) -> None:
    """Each layer must take as many variables as the next inner one gives components."""
    names = _layer_names(len(layers))
    inner_vars = set(layers[-1].variables)
    for i in range(len(layers) - 1):
        outer, inner = layers[i], layers[i + 1]
        if outer.n != inner.m:
            raise ShapeError(
                f"the functions do not compose: {names[i]} takes {outer.n} variable"
                f"{'s' if outer.n != 1 else ''} ({', '.join(outer.variable_names) or 'none'}; "
                f"J_{names[i]} is {outer.m}×{outer.n}) but {names[i + 1]} gives {inner.m} "
                f"component{'s' if inner.m != 1 else ''} (J_{names[i + 1]} is {inner.m}×{inner.n})",
                hint="name the outer function's variables with --outer-vars"
                if len(layers) == 2
                else "name each outer function's variables with --layer-vars",
            )
        clash = [s.name for s, v in outer.parameters if v is None and s in inner_vars]
        if clash:
            raise InputError(
                f"{clash[0]} is a constant of {names[i]} but a variable of the innermost function",
                hint=f"list {clash[0]} among {names[i]}'s variables, or rename it",
            )


def _verify(
    direct: sympy.MatrixBase,
    product: sympy.MatrixBase,
    symbols: Sequence[sympy.Symbol],
    seed: int = 0,
) -> str:
    """How ``direct`` and ``product`` were found equal, or ``"mismatch"``/``"unverified"``.

    First symbolically (each difference expanded and reduced by the bounded
    identities of :func:`jacobi.simplify.is_zero`), entries over
    :data:`VERIFY_MAX_OPS` operations skipped; then at seeded random points.
    """
    diffs = [d - p for d, p in zip(direct, product, strict=True)]

    def proved(d: sympy.Expr) -> bool | None:
        if d == 0:
            return True
        if int(sympy.count_ops(d)) > VERIFY_MAX_OPS:
            return None
        return _optional(lambda: simplify.is_zero(d), None)

    verdicts = [proved(d) for d in diffs]
    if all(v is True for v in verdicts):
        return "symbolically"
    if any(v is False for v in verdicts):
        return "mismatch"
    rng = random.Random(seed)
    free = sorted(set().union(*(d.free_symbols for d in diffs)) | set(symbols), key=str)
    good = 0
    for _ in range(40):
        point = {s: sympy.Rational(rng.randint(-1999, 1999), 1000) for s in free}
        values = [_number_at(d, point) for d in diffs]
        if any(v is None for v in values):
            continue
        scale = max([1.0] + [abs(v) for e in product if (v := _number_at(e, point)) is not None])
        if any(abs(v) > 1e-12 * scale for v in values if v is not None):
            return "mismatch"
        good += 1
        if good == 3:
            return "numerically"
    return "unverified"


def _number_at(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> float | None:
    """``expr`` at ``point`` to 30 digits, or ``None`` where it is not a finite real number.

    Evaluated numerically (``evalf`` with ``subs``), never by exact substitution:
    ``u**(u*u)`` at u = 1999/1000 would otherwise be computed as an exact rational
    power with millions of digits.
    """
    try:
        v = expr.evalf(30, subs=point)
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        return None
    if not v.is_Number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    number = float(v)
    return number if math.isfinite(number) else None


def chain(layers: Sequence[VectorFunction], *, simplify: bool = True, verify: bool = True) -> Chain:
    """The chain rule for a composition of layers, outermost first.

    Examples
    --------
    Seed 003, example 5.10: f(x) = exp(x1 x2²) of x(t) = (t cos t, t sin t).

    >>> from jacobi import function
    >>> c = chain([function("exp(x1*x2^2)"), function("t*cos(t), t*sin(t)")])
    >>> [m.shape for m in c.factors], c.product.shape, c.verified
    ([(1, 2), (2, 1)], (1, 1), 'symbolically')
    """
    layers = tuple(layers)
    if len(layers) < 2:
        raise InputError("the chain rule needs at least two functions (outer first, inner last)")
    composition = compose(layers)
    outer_jacs: list[sympy.ImmutableMatrix] = []
    factors: list[sympy.ImmutableMatrix] = []
    for i, layer in enumerate(layers):
        jac = core.jacobian(layer, simplify=simplify)
        outer_jacs.append(jac)
        if i == len(layers) - 1:
            factors.append(jac)
            continue
        # Tidy in the layer's own variables, then substitute: substituted forms are
        # readable as they come, and tidying them again only rewrites them.
        inner = compose(layers[i + 1 :])
        mapping = dict(zip(layer.variables, inner.components, strict=True))
        factors.append(jac.applyfunc(lambda e, m=mapping: evaluate.substitute(e, m)))
    raw = factors[-1]
    for factor in reversed(factors[:-1]):
        raw = matmul(factor, raw)
    direct = core.differentiate(composition.components, composition.variables)
    verified = _verify(direct, raw, composition.variables) if verify else "unverified"
    product = simplest_matrix(raw) if simplify else raw
    names = [f"J_{n}" for n in _layer_names(len(layers))]
    dims = [layers[0].m] + [layer.n for layer in layers]
    costs = chain_costs(dims, names)
    return Chain(
        layers=layers,
        composition=composition,
        outer_jacobians=tuple(outer_jacs),
        factors=tuple(factors),
        product=sympy.ImmutableMatrix(product),
        direct=direct,
        verified=verified,
        costs=costs,
    )


# --------------------------------------------------------------------------- gradients & co


def _require_scalar(f: VectorFunction, what: str) -> None:
    if f.m != 1:
        from jacobi.lang.printing import to_text

        shown = ", ".join(to_text(c) for c in f.components[:3]) + (", ..." if f.m > 3 else "")
        raise ShapeError(
            f"{what} needs a scalar function (one component), but f has {f.m} components ({shown})",
            hint="for a vector function use 'jacobi jac'",
        )


def gradient(
    f: VectorFunction, *, layout: str = "numerator", simplify: bool = True
) -> sympy.ImmutableMatrix:
    """∇fᵀ as a 1×n row (numerator layout, the seeds' convention); ∇f in denominator layout.

    >>> from jacobi import function
    >>> gradient(function("x^2 + y^2 + z^2"))
    Matrix([[2*x, 2*y, 2*z]])
    >>> gradient(function("x*y"), layout="denominator")
    Matrix([
    [y],
    [x]])
    """
    core.check_layout(layout)
    _require_scalar(f, "the gradient")
    return core.jacobian(f, layout=layout, simplify=simplify)


def hessian(f: VectorFunction, *, simplify: bool = True) -> sympy.ImmutableMatrix:
    """The n×n matrix of second derivatives ∂²f/∂x_i∂x_j (symmetric for smooth f).

    Only second derivatives that can be non-zero are computed.

    >>> from jacobi import function
    >>> hessian(function("x^3 + x*y^2"))
    Matrix([
    [6*x, 2*y],
    [2*y, 2*x]])
    """
    _require_scalar(f, "the Hessian")
    matrix = exact_hessian(f)
    shown = clean_matrix(matrix)
    return core.tidy_matrix(shown) if simplify else shown


def exact_hessian(f: VectorFunction) -> sympy.ImmutableMatrix:
    """The Hessian with the ``DiracDelta`` terms of kinks kept, for values at points.

    >>> from jacobi import function
    >>> exact_hessian(function("abs(x)"))
    Matrix([[2*DiracDelta(x)]])
    """
    _require_scalar(f, "the Hessian")
    grad = core.differentiate(f.components, f.variables)
    return core.differentiate(list(grad), f.variables)


def _check_length(vector: Sequence[sympy.Expr], length: int, what: str, why: str) -> None:
    if len(vector) != length:
        raise ShapeError(
            f"{what} has {len(vector)} entr{'y' if len(vector) == 1 else 'ies'} "
            f"but needs {length} ({why})",
            hint=f"give {length} comma-separated values",
        )


def jvp(
    f: VectorFunction, vector: Sequence[sympy.Expr], *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """The Jacobian-vector product J v (an m×1 column): how f changes along v.

    >>> from jacobi import function
    >>> jvp(function("x+y, x*y"), [1, 2]).T
    Matrix([[3, 2*x + y]])
    """
    f_m, f_n = f.m, f.n
    _check_length(vector, f_n, "the vector v", f"J is {f_m}×{f_n}: v needs one entry per variable")
    column = sympy.ImmutableMatrix(f_n, 1, list(vector))
    out = matmul(core.differentiate(f.components, f.variables), column)
    return core.tidy_matrix(out) if simplify else out


def vjp(
    f: VectorFunction, vector: Sequence[sympy.Expr], *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """The vector-Jacobian product wᵀ J (a 1×n row): the backward pass of seed 000.

    >>> from jacobi import function
    >>> vjp(function("x+y, x*y"), [1, 2])
    Matrix([[2*y + 1, 2*x + 1]])
    """
    _check_length(vector, f.m, "the vector w", f"J is {f.m}×{f.n}: w needs one entry per component")
    row = sympy.ImmutableMatrix(1, f.m, list(vector))
    out = matmul(row, core.differentiate(f.components, f.variables))
    return core.tidy_matrix(out) if simplify else out


def _point_where(point: Point) -> str:
    return ", ".join(
        f"{v.name} = {val}" for v, val in zip(point.variables, point.values, strict=True)
    )


def values_at(f: VectorFunction, point: Point) -> sympy.ImmutableMatrix:
    """f(x0) as an m×1 column, or :class:`UndefinedError` naming the component."""
    labels = ["f"] if f.m == 1 else [f"f{i + 1}" for i in range(f.m)]
    values = point.mapping()
    out = []
    for i, (c, label) in enumerate(zip(f.components, labels, strict=True)):
        out.append(evaluate.value_at(c, values, where=f"the component {label}"))
        evaluate.require_guards(f.guards_of(i), values, f"the component {label}")
        # f(x0) is used with J(x0) (linearisation, inverse): x0 must be inside f's domain.
        evaluate.require_interior(c, values, where=f"the component {label}")
    return sympy.ImmutableMatrix(f.m, 1, out)


def _partial_namer(f: VectorFunction) -> Callable[[int, int], str]:
    """Names entry (i, j) of J as ``∂f2/∂x`` in messages."""
    labels = ["f"] if f.m == 1 else [f"f{i + 1}" for i in range(f.m)]
    return lambda i, j: f"∂{labels[i]}/∂{f.variables[j].name}"


def linearize(f: VectorFunction, point: Point) -> sympy.ImmutableMatrix:
    """The affine approximation f(x0) + J(x0)(x − x0), as an m×1 column of expressions in x.

    >>> from jacobi import function, point
    >>> f = function("x*y, x^2")
    >>> linearize(f, point(f, "1,2"))
    Matrix([
    [2*x + y - 2],
    [    2*x - 1]])
    """
    f0 = values_at(f, point)
    jac = core.differentiate(f.components, f.variables)
    j0 = evaluate.evaluate_matrix(jac, point, entry_name=_partial_namer(f))
    shift = sympy.ImmutableMatrix(
        f.n, 1, [v - x0 for v, x0 in zip(f.variables, point.values, strict=True)]
    )
    lin = matmul(j0, shift)
    return sympy.ImmutableMatrix(f.m, 1, [sympy.expand(f0[i] + lin[i]) for i in range(f.m)])


def inverse_jacobian(
    f: VectorFunction, point: Point | None = None, *, simplify: bool = True
) -> sympy.ImmutableMatrix:
    """J⁻¹: the Jacobian of the local inverse of f (at f(x0) when a point is given).

    Needs a square Jacobian with det J ≠ 0. Symbolically it is adj(J)/det J,
    each cofactor a determinant computed like :func:`determinant`.

    >>> from jacobi import function, point
    >>> inverse_jacobian(function("r*cos(t), r*sin(t)"))
    Matrix([
    [   cos(t),   sin(t)],
    [-sin(t)/r, cos(t)/r]])
    >>> f = function("x+y, x*y")
    >>> inverse_jacobian(f, point(f, "-1,2"))
    Matrix([
    [1/3,  1/3],
    [2/3, -1/3]])
    """
    _require_square(f, "the inverse Jacobian")
    jac = core.differentiate(f.components, f.variables)
    n = f.n
    if point is not None:
        values_at(f, point)
        j0 = evaluate.evaluate_matrix(jac, point, entry_name=_partial_namer(f))
        det0 = determinant(j0).value
        if det0 == 0:
            raise UndefinedError(
                f"J is singular at {_point_where(point)} (det J = 0): "
                "f has no differentiable local inverse there",
                hint="pick a point where det J ≠ 0 ('jacobi det --singular' shows where it is 0)",
            )
        return sympy.ImmutableMatrix(sympy.Matrix(j0).inv())
    det = determinant(jac).value
    if det == 0:
        raise InputError(
            "det J = 0 everywhere: f has no local inverse anywhere",
            hint="the components are functionally dependent",
        )
    out = []
    for i in range(n):
        for j in range(n):
            # (J⁻¹)_ij = (-1)^(i+j) M_ji / det J, with M_ji the minor without row j and column i.
            minor = jac.minor_submatrix(j, i)
            cof = determinant(minor, simplify=False).value if n > 1 else sympy.S.One
            entry = (-1) ** (i + j) * cof / det
            out.append(simplest(entry) if simplify else entry)
    return sympy.ImmutableMatrix(n, n, out)
