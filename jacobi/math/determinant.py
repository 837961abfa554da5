"""Determinants in pure SymPy, with the method chosen by the structure of the entries.

Numbers go to Bareiss over the integers; polynomials (also in atoms such as
``sin(t)``) to a division-free expansion by minors over ZZ[...]; rational
functions first have each row multiplied by the lcm of its denominators. Around
them: det J of a square function, the Gram determinant and volume element of a
parametrisation, the orientation of a map and a sparse matrix product.

Every bound is a count (minors alive, term products, expanded terms), never
seconds: the same input gives the same answer on any machine.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any

import sympy

from jacobi.errors import LimitError, ShapeError
from jacobi.math import derivatives, minors, sparse
from jacobi.math.simplify import (
    EXPAND_MAX_TERMS,
    SIMPLEST_MAX_TERMS,
    expansion_terms,
    simplest,
    single_term,
    tidy_matrix,
    too_large,
)
from jacobi.model import VectorFunction

__all__ = [
    "MAX_ALIVE_TERMS",
    "MAX_EXPANDED_TERMS",
    "MAX_FRONTIER",
    "MAX_RESULT_TERMS",
    "MAX_WORK",
    "Determinant",
    "Orientation",
    "determinant",
    "gram_determinant",
    "jacobian_determinant",
    "matmul",
    "orientation",
    "require_square",
    "volume_element",
]

#: The division-free expansion gives up (for Berkowitz) when more minors than this are alive.
MAX_FRONTIER = 50_000
#: ... and stops (exit 4) after this many products of terms: memory grows with the work.
MAX_WORK = 40_000_000
#: ... or when the minors alive hold more terms than this together (the dense n=8 quadratic
#: map peaks at 84,084, 6.5 times its 12,870 terms; a generic 9×9 at 362,880).
MAX_ALIVE_TERMS = 250_000
#: A determinant with more terms than this is not shown: it is refused (exit 4) before it is
#: built, with its size (a generic 8×8 has 8! = 40,320 terms and is shown; Bratu N=16 has
#: 65,536 and a generic 9×9 362,880).
MAX_RESULT_TERMS = 50_000
#: Entries whose expansion has more terms than this (together; or one entry more than
#: :data:`~jacobi.math.simplify.EXPAND_MAX_TERMS`) are not expanded into a polynomial ring
#: for the determinant: (x + y)**20000 stays a power.
MAX_EXPANDED_TERMS = 20_000


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
    no_terms: dict[int, int] = {}  # every zero entry: one shared dict, never mutated
    packed = [
        [
            {sum(e * r for e, r in zip(m, radix, strict=True)): c for m, c in entry.items()}
            if entry
            else no_terms
            for entry in row
        ]
        for row in rows
    ]
    result = (
        minors.expand(
            packed,
            n,
            max_frontier=MAX_FRONTIER,
            max_work=MAX_WORK,
            key_limit=step,
            max_alive=MAX_ALIVE_TERMS,
        )
        if nvars
        else None
    )
    if result is None:
        terms = _berkowitz(rows, nvars)
        _require_few(len(terms))
        return terms, "Berkowitz (characteristic polynomial, division-free)"
    _require_few(len(result))
    return _unpack(result, bounds, radix), "division-free expansion by minors"


def _require_few(terms: int) -> None:
    """Refuse a determinant of more than :data:`MAX_RESULT_TERMS` terms before building it."""
    if terms > MAX_RESULT_TERMS:
        raise LimitError(
            f"the determinant has {terms:,} terms when expanded, more than {MAX_RESULT_TERMS:,} "
            "are not shown",
            hint="substitute parameters with --param, or evaluate the Jacobian at a point (--at)",
        )


def _unpack(
    packed: dict[int, int], bounds: list[int], radix: list[int]
) -> dict[tuple[int, ...], int]:
    """Packed exponents back to exponent vectors (with NumPy, once it is loaded, for many)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and len(packed) > 1_000:
        keys = numpy.fromiter(packed.keys(), dtype=numpy.int64, count=len(packed))
        base = numpy.array([b + 1 for b in bounds], dtype=numpy.int64)
        exponents = (keys[:, None] // numpy.array(radix, dtype=numpy.int64)) % base
        return dict(zip(map(tuple, exponents.tolist()), packed.values(), strict=True))
    out: dict[tuple[int, ...], int] = {}
    for key, c in packed.items():
        vector: list[int] = []
        for b in bounds:
            key, e = divmod(key, b + 1)
            vector.append(e)
        out[tuple(vector)] = c
    return out


def _compare_key(expr: sympy.Basic, ranks: dict[str, int]) -> tuple[Any, ...]:
    """A sort key that orders as SymPy's ``Basic.compare`` (the canonical order of arguments).

    ``compare`` orders by class (the rank in ``ordering_of_classes``, then the
    name), then by the length of the hashable content, then element by element,
    comparing SymPy objects by ``compare`` itself and others as Python values.
    For the numbers, symbols, powers and products of a polynomial this key gives
    the same order (a tuple compares element by element too), so a list sorts
    with one key per item instead of ``cmp_to_key(compare)``'s many comparisons.
    """
    name = type(expr).__name__
    rank = ranks.get(name)
    klass = (rank, "") if rank is not None else (len(ranks) + 1, name)
    content = expr._hashable_content()
    inner = tuple(_compare_key(x, ranks) if isinstance(x, sympy.Basic) else x for x in content)
    return (klass, len(content), inner)


def _from_terms(
    terms: dict[tuple[int, ...], int], gens: Sequence[sympy.Expr], denominator: int = 1
) -> sympy.Expr:
    """The SymPy expression of a polynomial given by its terms, divided by an integer.

    For generators that are plain symbols the expression is assembled in
    SymPy's canonical order directly (thousands of terms in a fraction of the
    time ``Add(*terms)`` needs), sorted by :func:`_compare_key`; other
    generators (``sin(t)``, ``sqrt(x)``) interact when multiplied and take the
    ordinary route.
    """
    if not terms:
        return sympy.S.Zero
    fast = all(isinstance(g, sympy.Symbol) for g in gens)
    if fast:
        try:
            from sympy.core.basic import ordering_of_classes
        except ImportError:  # pragma: no cover - a SymPy without this table
            fast = False
    if not fast:
        return sympy.Add(
            *[
                sympy.Rational(c, denominator)
                * sympy.Mul(*[g**e for g, e in zip(gens, m, strict=True) if e])
                for m, c in terms.items()
            ]
        )
    ranks = {name: i for i, name in enumerate(ordering_of_classes)}

    classes: dict[type, tuple[int, str]] = {}

    def klass(obj: sympy.Basic) -> tuple[int, str]:
        cls = classes.get(type(obj))
        if cls is None:
            cls = classes[type(obj)] = _compare_key(obj, ranks)[0]
        return cls

    # The factors x**e once each, ranked in compare's order; the numbers rank before
    # them (every number class precedes Symbol and Pow in ordering_of_classes), by
    # class and then (p, q): an argument's key is (0, class, p, q) or (1, rank).
    columns = list(zip(*terms, strict=True))  # the exponents of each generator
    distinct = [(v, e) for v, column in enumerate(columns) for e in set(column) if e]
    objects = {(v, e): gens[v] if e == 1 else sympy.Pow(gens[v], e) for v, e in distinct}
    ranked = sorted(distinct, key=lambda f: _compare_key(objects[f], ranks))
    table: list[dict[int, tuple[int, sympy.Expr, tuple[int, int], tuple[int, str]]]] = [
        {} for _ in gens
    ]
    for i, (v, e) in enumerate(ranked):
        table[v][e] = (i, objects[(v, e)], (1, i), klass(objects[(v, e)]))
    numbers: dict[int, tuple[sympy.Rational, tuple[int, int, int, int]]] = {}
    mul_class = (ranks["Mul"], "")
    one = sympy.S.One
    keyed: list[tuple[tuple[Any, ...], sympy.Expr]] = []
    constant: sympy.Expr = sympy.S.Zero
    for m, c in terms.items():
        nk = numbers.get(c)
        if nk is None:
            number = sympy.Integer(c) if denominator == 1 else sympy.Rational(c, denominator)
            nk = numbers[c] = (number, (0, klass(number)[0], number.p, number.q))
        number, number_key = nk
        # by rank: distinct integers first
        parts = sorted([column[e] for column, e in zip(table, m, strict=True) if e])
        if not parts:
            constant = number
            continue
        if number is one and len(parts) == 1:
            _, obj, key, cls = parts[0]
            keyed.append(((cls, 0, (key,)), obj))
            continue
        args = [part[1] for part in parts]
        keys: list[tuple[int, ...]] = [part[2] for part in parts]
        if number is not one:
            args.insert(0, number)
            keys.insert(0, number_key)
        keyed.append(((mul_class, len(args), tuple(keys)), sympy.Mul._from_args(args, True)))
    # SymPy's canonical sum: the terms in sort order, the number (if any) first.
    keyed.sort(key=lambda t: t[0])
    out = [t[1] for t in keyed]
    if constant != 0:
        out.insert(0, constant)
    if len(out) == 1:
        return out[0]
    return sympy.Add._from_args(out, True)


def _ring_det(
    matrix: sympy.MatrixBase,
) -> tuple[sympy.Expr, str, str, sympy.Expr | None]:
    """(det, kind, method, single) of a square matrix of SymPy expressions, untidied.

    ``single`` is the determinant as one term, when sin² + cos² = 1 makes it one.
    """
    from sympy.polys.domains import QQ
    from sympy.polys.polyutils import parallel_dict_from_expr
    from sympy.polys.rings import PolyRing

    n = matrix.rows
    # Only the non-zero entries go through SymPy: each dict's exponent tuples are as long
    # as there are generators, so the zeros of a large sparse matrix would cost n² · gens.
    cells = sparse.nonzero(matrix)
    split = [part for _, e in cells for part in _split_fraction(e)]
    found, gens = parallel_dict_from_expr(split) if split else ([], ())
    if not all(c.is_Rational for d in found for c in d.values()):
        # A coefficient such as I (from sqrt of a negative quantity): not a polynomial over QQ.
        raise sympy.PolynomialError("coefficients outside QQ")
    by_row: list[list[tuple[int, _Dict, _Dict]]] = [[] for _ in range(n)]
    for k, ((i, j), _) in enumerate(cells):
        by_row[i].append((j, found[2 * k], found[2 * k + 1]))
    ring = PolyRing(gens, QQ) if gens else None
    int_rows, denominator, rational = _integer_rows(by_row, n, ring)
    if not gens:
        from sympy.polys.domains import ZZ
        from sympy.polys.matrices import DomainMatrix

        value = DomainMatrix(
            [[ZZ(e.get((), 0)) for e in row] for row in int_rows], (n, n), ZZ
        ).det()
        number = sympy.Rational(int(value), int(denominator))  # type: ignore[call-overload]
        return number, "numeric", "Bareiss over the integers", None
    assert ring is not None
    return _polynomial_det(int_rows, gens, ring, denominator, rational)


_IntRows = list[list[dict[tuple[int, ...], int]]]
_Dict = dict[tuple[int, ...], sympy.Rational]


def _integer_rows(
    by_row: Sequence[Sequence[tuple[int, _Dict, _Dict]]], n: int, ring: Any
) -> tuple[_IntRows, object, bool]:
    """The rows as integer polynomials, the denominator cleared, and whether any was not ground.

    ``by_row`` holds each row's non-zero entries as (column, numerator, denominator).
    Each row is multiplied by the lcm of its denominators (a polynomial of ``ring``) and
    by one integer that clears its rational coefficients; ``denominator`` is the
    product of those factors (a ring element, or an integer without ``ring``). The
    zero entries of the rows returned are one shared empty dict (never mutated).
    """

    empty: dict[tuple[int, ...], int] = {}
    rational = False
    int_rows: _IntRows = []
    denominator: object = 1
    for row in by_row:
        cols = [col for col, _, _ in row]
        nums = [num for _, num, _ in row]
        dens = [den for _, _, den in row]
        ground = [_constant(d) for d in dens]
        if ring is not None and all(g is not None for g in ground):
            # Constant denominators (the common case, 1 or h²): no lcm in the ring, whose
            # cost grows with the number of generators (2,000 for a 1000×1000 Bratu).
            coefs = [
                {m: Fraction(c.p, c.q) / g for m, c in d.items() if c}
                for d, g in zip(nums, ground, strict=True)
                if g is not None
            ]
            scale = 1
            for p in coefs:
                for c in p.values():
                    scale = math.lcm(scale, c.denominator)
            ints = [{m: int(c * scale) for m, c in p.items()} for p in coefs]
            denominator = ring(scale) * denominator  # type: ignore[operator]
        elif ring is not None:
            # Every column, the zeros as 0/1, as the lcm has always been taken.
            full = {col: (num, den) for col, num, den in row}
            cols = list(range(n))
            num_r = [_ring_element(ring, full[j][0]) if j in full else ring.zero for j in cols]
            den_r = [_ring_element(ring, full[j][1]) if j in full else ring.one for j in cols]
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
            ints = [{m: int(c * scale) for m, c in p.items()} for p in scaled]  # exact integers
            denominator = lcm * scale * denominator  # type: ignore[operator]
        else:
            values = [
                sympy.Rational(num.get((), 0)) / sympy.Rational(den.get((), 1))
                for num, den in zip(nums, dens, strict=True)
            ]
            scale = 1
            for v in values:
                scale = math.lcm(scale, int(v.q))
            ints = [{(): int(v * scale)} if v else {} for v in values]
            denominator = scale * denominator  # type: ignore[operator]
        dense = [empty] * n
        for col, poly in zip(cols, ints, strict=True):
            if poly:
                dense[col] = poly
        int_rows.append(dense)
    return int_rows, denominator, rational


def _ring_element(ring: Any, d: _Dict) -> Any:
    from sympy.polys.domains import QQ

    return ring.from_dict({m: QQ(c.p, c.q) for m, c in d.items()})


def _constant(d: dict[tuple[int, ...], sympy.Rational]) -> Fraction | None:
    """The value of a polynomial dict that is a non-zero constant, else ``None``."""
    if len(d) != 1:
        return None
    ((monom, c),) = d.items()
    return Fraction(c.p, c.q) if c and not any(monom) else None


def _polynomial_det(
    int_rows: _IntRows,
    gens: Sequence[sympy.Expr],
    ring: Any,
    denominator: object,
    rational: bool,
) -> tuple[sympy.Expr, str, str, sympy.Expr | None]:
    """(det, kind, method, single) from the rows of :func:`_integer_rows`, over ZZ[gens].

    ``single`` is the one term a transcendental determinant is by sin² + cos² = 1
    (:func:`~jacobi.math.simplify.single_term`), or ``None``.
    """
    from sympy.polys.domains import QQ

    terms, method = _integer_det(int_rows, len(gens))
    kind = "polynomial"
    if not all(isinstance(g, sympy.Symbol) for g in gens):
        kind = "transcendental"
    elif rational:
        kind = "rational"
    names = ", ".join(str(g) for g in gens)
    method = f"{method} over ZZ[{names}]"
    den = ring(denominator)
    if den.is_ground:
        d = den.LC
        numer, denom = int(d.numerator), int(d.denominator)
        if denom != 1:
            terms = {m: c * denom for m, c in terms.items()}
        value = _from_terms(terms, gens, numer)
        few = kind == "transcendental" and len(terms) <= SIMPLEST_MAX_TERMS
        single = single_term(terms, gens, numer) if few else None
        return value, kind, method, single
    num = ring.from_dict({m: QQ(c) for m, c in terms.items()})
    p, q = num.cancel(den)
    return (
        p.as_expr() / q.as_expr(),
        kind,
        method + ", clearing denominators row by row",
        None,
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
    expanded = [expansion_terms(e) for _, e in sparse.nonzero(matrix) if not e.is_Atom]
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
        value, kind, method, single = _ring_det(matrix)
    except (sympy.PolynomialError, sympy.polys.polyerrors.PolificationFailed):
        value = sympy.Matrix(matrix).det(method="berkowitz")
        kind, method, single = "transcendental", "Berkowitz on the expressions", None
    if simplify and kind != "numeric":
        # One bare term by sin² + cos² = 1 is the form simplest's search would pick
        # (see single_term), found without the search; else the search.
        value = single if single is not None and not too_large(value) else simplest(value)
    return Determinant(value, kind, method)


def require_square(f: VectorFunction, what: str) -> None:
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
    require_square(f, "det")
    return determinant(derivatives.differentiate(f.components, f.variables), simplify=simplify)


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
    jac = derivatives.differentiate(f.components, f.variables)
    if f.m == f.n:
        return determinant(jac, simplify=simplify)
    gram = tidy_matrix(matmul(jac.T, jac))
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


class Orientation(Enum):
    """What a map does to orientation near a point: the sign of its determinant there."""

    #: det > 0
    PRESERVED = "preserved"
    #: det < 0: the map flips orientation
    REVERSED = "reversed"
    #: det = 0: a neighbourhood is squashed flat
    COLLAPSED = "collapsed"
    #: the sign is not determined (a value with free symbols)
    UNKNOWN = "unknown"

    @property
    def known(self) -> str | None:
        """The orientation's name, or ``None`` when the sign is not determined (as in JSON)."""
        return None if self is Orientation.UNKNOWN else self.value


def orientation(value: sympy.Expr) -> Orientation:
    """The orientation given by a determinant's sign (:class:`Orientation`).

    ``UNKNOWN`` when the sign is not determined (a symbolic value).

    >>> [orientation(v).value for v in (sympy.Integer(-3), sympy.sqrt(2) - 1, sympy.S.Zero)]
    ['reversed', 'preserved', 'collapsed']
    >>> orientation(sympy.Symbol("a"))
    <Orientation.UNKNOWN: 'unknown'>
    """
    if value == 0:
        return Orientation.COLLAPSED
    if value.is_positive:
        return Orientation.PRESERVED
    if value.is_negative:
        return Orientation.REVERSED
    if value.free_symbols:
        return Orientation.UNKNOWN
    approx = value.evalf(50)
    if approx.is_real and approx != 0 and abs(approx) > 1e-40:
        return Orientation.PRESERVED if approx > 0 else Orientation.REVERSED
    return Orientation.UNKNOWN
