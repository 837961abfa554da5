"""Readable, equivalent forms of results, found with effort bounded by counts.

Every bound here is something that can be counted in the expression (operations,
terms, polynomial degree, candidate forms), never seconds: the same input gives
the same form on any machine, under any load. A form is only ever replaced by
an equivalent one; when a bound stops the search, the expression is kept as it
was differentiated, and :func:`untidied` says so.

The trigonometric identities used are the ones Jacobians of coordinate maps
need: sin² + cos² = 1 (polar, spherical, cylindrical coordinates) and the angle
addition formulas (robot arms: ``sin(a + b)``), applied as polynomial rewrites
rather than through SymPy's open-ended ``trigsimp``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import sympy

from jacobi import progress
from jacobi.errors import JacobiError
from jacobi.math import sparse

T = TypeVar("T")

#: Entries with more operations than this are left as they were differentiated.
TIDY_MAX_OPS = 60
#: Results with more non-trivial entries than this are not tidied at all (a listing
#: of a large system reads as well in the differentiated form).
TIDY_MAX_ENTRIES = 400
#: Determinants and chain-rule entries with more terms than this are kept expanded.
SIMPLEST_MAX_TERMS = 200
#: ... and with more operations than this, when not a sum.
SIMPLEST_MAX_OPS = 400
#: Polynomial rewrites stop at this total degree in the trigonometric atoms.
TRIG_MAX_DEGREE = 12
#: Expansions that would produce more terms than this are not tried.
EXPAND_MAX_TERMS = 2_000
#: A number to a power whose exponent has a constant term larger than this is not expanded
#: (``2**(x + 10**30)`` would become ``2**x*2**(10**30)``).
MAX_SPLIT_EXPONENT = 10_000
#: A zero test expands a difference only up to this many operations.
ZERO_MAX_OPS = 2_000
#: Forms are not searched (factorised) when a root makes the polynomial this many degrees
#: high: ``cos(x)**(-999/1000)`` is degree 999 in ``cos(x)**(1/1000)``, and factoring
#: ``sin(x) + 1000*cos(x)**(999/1000)`` does not finish.
MAX_ROOT_DEGREE = 100


def size(expr: sympy.Basic) -> tuple[int, int]:
    """How long a form reads: (operations, characters as printed); shorter is better."""
    from jacobi.lang.printing import to_text

    return (int(sympy.count_ops(expr)), len(to_text(expr)))


def terms(expr: sympy.Expr) -> int:
    return len(expr.args) if isinstance(expr, sympy.Add) else 1


def _plain_call(call: sympy.Basic) -> bool:
    """Whether a call reads as plainly as the input: ``sin(b)``, ``cos(a - b)``.

    Calls on multiples or shifted arguments (``sin(4*s)``, ``sin(s + pi/4)``) are
    shorter sometimes but no longer look like the input.
    """

    def plain(arg: sympy.Basic) -> bool:
        if arg.is_Symbol:
            return True
        if isinstance(arg, sympy.Mul):
            return len(arg.args) == 2 and arg.args[0] == -1 and arg.args[1].is_Symbol
        if isinstance(arg, sympy.Add):
            return all(plain(t) for t in arg.args)
        return False

    return all(plain(a) for a in call.args)


# --------------------------------------------------------------------------- trigonometry


def _trig_args(expr: sympy.Expr) -> list[sympy.Expr]:
    """Arguments of sin and cos in ``expr``, in a fixed order."""
    found = {a.args[0] for a in expr.atoms(sympy.sin, sympy.cos)}
    return sorted(found, key=sympy.default_sort_key)


def expansion_terms(expr: sympy.Expr) -> int:
    """An upper bound on the number of terms ``expand(expr)`` produces.

    Over the bound (:data:`EXPAND_MAX_TERMS`) it also counts what expansion would
    compute inside: a power of a sum nested in a function (``sin((x + 1)**99999)``)
    and a number to a sum with a huge constant term (``2**(x + 10**30)`` expands to
    ``2**x*2**(10**30)``, an integer of 10^29 digits).
    """
    if isinstance(expr, sympy.Add):
        return sum(expansion_terms(a) for a in expr.args)
    if isinstance(expr, sympy.Mul):
        out = 1
        for a in expr.args:
            out *= expansion_terms(a)
            if out > EXPAND_MAX_TERMS:
                return out
        return out
    if isinstance(expr, sympy.Pow):
        exp = expr.exp
        splits = isinstance(exp, sympy.Add) and expr.base.is_number
        if splits and any(t.is_Rational and abs(t) > MAX_SPLIT_EXPONENT for t in exp.args):
            return EXPAND_MAX_TERMS + 1
        base = expansion_terms(expr.base)
        if exp.is_Integer and exp > 1:
            if base == 1:
                return 1
            k = int(exp)
            if k > 64:
                return EXPAND_MAX_TERMS + 1
            # Terms of (a_1 + ... + a_b)^k: C(b + k - 1, k).
            return int(sympy.binomial(base + k - 1, k))
        inner = max(base, expansion_terms(exp))
        return inner if inner > EXPAND_MAX_TERMS else 1
    if expr.args:
        inner = max(expansion_terms(a) for a in expr.args)
        return inner if inner > EXPAND_MAX_TERMS else 1
    return 1


def root_degree(expr: sympy.Expr) -> int:
    """The highest degree of ``expr`` as a polynomial in the roots of its bases.

    A base with fractional exponents p/q is, for SymPy's polynomial algorithms, a
    generator ``base**(1/L)`` (L the lcm of its denominators) to the powers p·L/q;
    the degree is the largest of those (0 without fractional exponents).

    >>> from jacobi.lang.parse import symbol
    >>> x = symbol("x")
    >>> root_degree(sympy.sin(x) + sympy.cos(x)**sympy.Rational(-999, 1000))
    999
    >>> root_degree(x**sympy.Rational(1, 2) + x**sympy.Rational(1, 3) + x**5), root_degree(x**9)
    (30, 0)
    """
    exponents: dict[sympy.Expr, list[sympy.Rational]] = {}
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_Rational:
            exponents.setdefault(node.base, []).append(node.exp)
    degree = 0
    for found in exponents.values():
        lcm = math.lcm(*(int(e.q) for e in found))
        if lcm > 1:
            degree = max(degree, max(abs(int(e.p)) * (lcm // int(e.q)) for e in found))
    return degree


def expand_bounded(expr: sympy.Expr) -> sympy.Expr | None:
    """``expand(expr)``, or ``None`` when the expansion would exceed its term bound."""
    if expansion_terms(expr) > EXPAND_MAX_TERMS:
        return None
    return sympy.expand(expr)


def _trig_degree(expr: sympy.Expr) -> int:
    degree = 0
    for p in expr.atoms(sympy.Pow):
        if isinstance(p.base, (sympy.sin, sympy.cos)) and p.exp.is_Integer:
            degree = max(degree, abs(int(p.exp)))
    return degree


def pythagoras(expr: sympy.Expr, keep: type[sympy.Function]) -> sympy.Expr | None:
    """``expr`` with even powers of the other of sin/cos rewritten by sin² + cos² = 1.

    ``keep`` is the function that stays (``sympy.sin`` rewrites ``cos(u)**2`` as
    ``1 - sin(u)**2``), then the result is expanded. ``None`` when the rewrite is
    out of bounds (degree or expansion size).

    >>> from jacobi.lang.parse import symbol
    >>> r, t = symbol("r"), symbol("t")
    >>> pythagoras(r**2*sympy.sin(t)**3 + r**2*sympy.sin(t)*sympy.cos(t)**2, sympy.sin)
    r**2*sin(t)
    """
    other = sympy.cos if keep is sympy.sin else sympy.sin
    if _trig_degree(expr) > TRIG_MAX_DEGREE:
        return None
    expanded = expand_bounded(expr)
    if expanded is None:
        return None

    def rewrite(e: sympy.Expr) -> sympy.Expr:
        # Only the polynomial level: arguments of other functions (exp(sin(t)**2)) stay.
        if isinstance(e, sympy.Pow) and isinstance(e.base, other) and e.exp.is_Integer:
            k = int(e.exp)
            if k >= 2:
                u = e.base.args[0]
                return other(u) ** (k % 2) * (1 - keep(u) ** 2) ** (k // 2)
            return e
        if isinstance(e, (sympy.Add, sympy.Mul)):
            return e.func(*[rewrite(a) for a in e.args])
        return e

    return expand_bounded(rewrite(expanded))


def _sum_of_plain(arg: sympy.Expr) -> bool:
    return isinstance(arg, sympy.Add) and len(arg.args) <= 3 and _plain_call(sympy.sin(arg))


def expand_angles(expr: sympy.Expr) -> sympy.Expr | None:
    """sin and cos of sums of variables (``sin(a + b)``) expanded by the addition formulas.

    >>> from jacobi.lang.parse import symbol
    >>> a, b = symbol("a"), symbol("b")
    >>> expand_angles(sympy.sin(a + b))
    sin(a)*cos(b) + sin(b)*cos(a)
    """
    calls = [c for c in expr.atoms(sympy.sin, sympy.cos) if _sum_of_plain(c.args[0])]
    if not calls:
        return None
    mapping = {c: sympy.expand_trig(c) for c in calls}
    return expand_bounded(expr.xreplace(mapping))


def trig_forms(expr: sympy.Expr) -> Iterable[sympy.Expr]:
    """Equivalent forms of ``expr`` under sin² + cos² = 1 and the angle addition formulas."""
    if not expr.has(sympy.sin, sympy.cos):
        return
    bases = [expr]
    angles = expand_angles(expr)
    if angles is not None:
        bases.append(angles)
    for base in bases:
        for keep in (sympy.sin, sympy.cos):
            reduced = pythagoras(base, keep)
            if reduced is not None:
                yield reduced


Terms = dict[tuple[int, ...], int]


def _rewrite_powers(
    terms: Terms, gens: list[sympy.Expr], keep: type[sympy.Function]
) -> Terms | None:
    """:func:`pythagoras`'s rewrite on a polynomial's terms: other(u)² = 1 - keep(u)².

    ``gens`` may grow by the kept function of an argument (``sin(u)`` for a lone
    ``cos(u)``). ``None`` where :func:`pythagoras` gives up: when the rewritten
    sum would expand to more than :data:`EXPAND_MAX_TERMS` terms (counted as
    :func:`expansion_terms` counts them, before like terms are collected).
    """
    other = sympy.cos if keep is sympy.sin else sympy.sin
    rewritten = [i for i, g in enumerate(gens) if isinstance(g, other)]
    estimate = sum(math.prod(m[i] // 2 + 1 for i in rewritten) for m in terms)
    if estimate > EXPAND_MAX_TERMS:
        return None
    for i in rewritten:
        if all(m[i] < 2 for m in terms):
            continue
        partner = keep(gens[i].args[0])
        if partner in gens:
            j = gens.index(partner)
        else:
            j = len(gens)
            gens.append(partner)
            terms = {m + (0,): c for m, c in terms.items()}
        out: Terms = {}
        for m, c in terms.items():
            odd, half = m[i] % 2, m[i] // 2
            for t in range(half + 1):
                # other^(2 half) = (1 - keep^2)^half = sum_t C(half, t) (-1)^t keep^(2t)
                key = m[:i] + (odd,) + m[i + 1 :]
                key = key[:j] + (key[j] + 2 * t,) + key[j + 1 :]
                out[key] = out.get(key, 0) + c * math.comb(half, t) * (-1) ** t
        terms = {m: c for m, c in out.items() if c}
    return terms


def _bare_product(monomial: tuple[int, ...], gens: Sequence[sympy.Expr]) -> bool:
    """Whether a term is symbols and sin or cos of symbols, one function per argument."""
    symbols, arguments = set(), []
    for g, e in zip(gens, monomial, strict=True):
        if not e:
            continue
        if g.is_Symbol:
            symbols.add(g)
        elif isinstance(g, (sympy.sin, sympy.cos)) and g.args[0].is_Symbol:
            arguments.append(g.args[0])
        else:
            return False
    return len(set(arguments)) == len(arguments) and not symbols & set(arguments)


def single_term(
    terms: Terms, gens: Sequence[sympy.Expr], denominator: int = 1
) -> sympy.Expr | None:
    """The one term a polynomial in atoms is by sin² + cos² = 1, when :func:`simplest` picks it.

    ``terms`` maps exponent vectors over ``gens`` (symbols, ``sin(u)``, ``cos(u)``
    and other atoms) to integer coefficients, the polynomial being their sum over
    ``denominator``. :func:`trig_forms`'s rewrites (even powers of cos through
    sin, then of sin through cos) are applied to the terms themselves, within the
    same bounds. When one leaves a single term with coefficient 1 made of symbols
    and sin or cos of symbols (one function per argument, no argument also a
    factor), that term is the result, and it is the form the search of
    :func:`simplest` would choose: every other candidate equal to it needs each of
    its symbols and functions at least once, one operation more for each power
    (SymPy writes no ``(r*sin(t))**2``), and at least one more for a sum or a
    coefficient, so none is shorter and the two found before it (the polynomial
    and its factorisation, sums of products) are longer. ``None`` otherwise:
    then the search decides. sin and cos of sums (the angle addition formulas)
    are left to it too.

    >>> from jacobi.lang.parse import symbol
    >>> r, t = symbol("r"), symbol("t")
    >>> single_term({(1, 2, 0): 1, (1, 0, 2): 1}, [r, sympy.cos(t), sympy.sin(t)])
    r
    >>> single_term({(1, 2, 0): 1, (1, 0, 2): -1}, [r, sympy.cos(t), sympy.sin(t)]) is None
    True
    """
    trig = [i for i, g in enumerate(gens) if isinstance(g, (sympy.sin, sympy.cos))]
    if any(isinstance(gens[i].args[0], sympy.Add) for i in trig):
        return None
    if any(m[i] > TRIG_MAX_DEGREE for m in terms for i in trig):
        return None
    for keep in (sympy.sin, sympy.cos):
        grown = list(gens)
        reduced = _rewrite_powers(dict(terms), grown, keep)
        if reduced is None or len(reduced) != 1:
            continue
        ((monomial, c),) = reduced.items()
        if c != denominator or not _bare_product(monomial, grown):
            return None
        return sympy.Mul(*[g**e for g, e in zip(grown, monomial, strict=True) if e])
    return None


# --------------------------------------------------------------------------- shortest forms


class _Best:
    """The shortest form seen so far, keeping to the functions the input already has."""

    def __init__(self, expr: sympy.Expr, strict: bool) -> None:
        self.expr = expr
        self.size = size(expr)
        self.known = expr.atoms(sympy.Function)
        self.strict = strict

    def consider(self, candidate: sympy.Expr | None) -> None:
        if candidate is None:
            return
        new = candidate.atoms(sympy.Function) - self.known
        # A form that needs new function applications (cos(3*t), sin(s + pi/4)) reads
        # worse than the one the user's own functions give; plain ones (sin(b) from
        # sin(a + b)) are allowed where ``strict`` is off.
        if new and (self.strict or not all(_plain_call(a) for a in new)):
            return
        s = size(candidate)
        if s < self.size:
            self.expr, self.size = candidate, s


def _attempt(make: Callable[..., sympy.Expr], *args: sympy.Expr) -> sympy.Expr | None:
    """``make(*args)``, or ``None`` where SymPy cannot (optional work never fails a command)."""
    try:
        return make(*args)
    except (sympy.PolynomialError, NotImplementedError, ValueError, TypeError):
        return None


def optional(work: Callable[[], T], default: T) -> T:
    """``work()``, or ``default`` if SymPy fails in any unexpected way.

    For optional effort beyond a tidy form (solving det J = 0, proving a product
    equal): any error from SymPy means "not done", never an internal error; our
    own errors still propagate. :func:`_attempt`, for the rewrites here, only
    swallows the errors SymPy's polynomial code is known to raise.
    """
    try:
        return work()
    except JacobiError:
        raise
    except Exception:  # SymPy raises many kinds of error on what it cannot do
        return default


def _negative(term: sympy.Expr) -> bool:
    return bool(term.could_extract_minus_sign())


def sign_inside(expr: sympy.Expr) -> sympy.Expr:
    """``-a*(b - c - d)`` as ``a*(-b + c + d)`` when that leaves fewer minus signs.

    A product with a negative coefficient and one sum among its factors reads
    better with the sign taken into the sum, unless the sum is mostly negative
    (``-(l1*sin(a) + l2*sin(a + b))`` stays).

    >>> from jacobi.lang.parse import symbol
    >>> t = symbol("t")
    >>> sign_inside(-t**2*(3*t - 2 - t**3))
    t**2*(t**3 - 3*t + 2)
    >>> sign_inside(-(t + 2))
    -t - 2
    """
    if not isinstance(expr, sympy.Mul):
        return expr
    coeff, rest = expr.as_coeff_Mul()
    if not (coeff.is_negative):
        return expr
    factors = sympy.Mul.make_args(rest)
    sums = [f for f in factors if isinstance(f, sympy.Add)]
    if len(sums) != 1:
        return expr
    (inner,) = sums
    negated = [-t for t in inner.args]
    if sum(1 for t in negated if not _negative(t)) <= sum(1 for t in negated if _negative(t)):
        return expr
    others = [f for f in factors if f is not inner]
    return sympy.Mul(-coeff, *others, sympy.Add(*negated))


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """A readable, equivalent form of a Jacobian entry, found with bounded effort.

    Tries a few cheap rewrites (common factors, one fraction, factorisation of
    rational functions, sin² + cos² = 1) and keeps the shortest; the input wins
    ties so derivatives stay as written. Entries of more than
    :data:`TIDY_MAX_OPS` operations are returned unchanged.

    Examples
    --------
    >>> from sympy import symbols, sin, cos
    >>> r, t = symbols("r t", real=True)
    >>> tidy(r*cos(t)**2 + r*sin(t)**2)
    r
    >>> x, y = symbols("x y", real=True)
    >>> tidy(y/(x**2 + y**2) - 2*x**2*y/(x**2 + y**2)**2)
    y*(-x**2 + y**2)/(x**2 + y**2)**2
    """
    if expr.is_Atom or not isinstance(expr, sympy.Expr) or plain_monomial(expr):
        return expr
    if needs_too_much(expr):
        return expr
    best = _Best(expr, strict=True)
    best.consider(_attempt(lambda: sympy.factor_terms(expr)))
    if expr.is_rational_function():
        num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
        best.consider(_attempt(lambda: sympy.factor_terms(sympy.expand(num)) / sympy.factor(den)))
        best.consider(_attempt(lambda: sympy.factor(sympy.cancel(expr))))
    else:
        best.consider(_attempt(lambda: sympy.factor_terms(sympy.together(expr))))
    for form in trig_forms(expr):
        best.consider(form)
        best.consider(_attempt(sympy.factor_terms, form))
        best.consider(_attempt(sympy.factor, form))
    return best.expr


def plain_monomial(expr: sympy.Expr) -> bool:
    """Whether ``expr`` is a product of an integer, symbols, their powers and sin/cos of symbols.

    Such an entry (``-r*sin(phi)*sin(theta)``, the typical entry of a coordinate
    map's Jacobian) is its own tidy form: it is expanded, has no common factor or
    fraction to take out, and no square of sin or cos for sin² + cos² = 1, so
    every rewrite :func:`tidy` tries gives it back.

    >>> from jacobi.lang.parse import symbol
    >>> r, t = symbol("r"), symbol("t")
    >>> plain_monomial(-2*r**2*sympy.sin(t)), plain_monomial(r*sympy.cos(t)**2)
    (True, False)
    """
    for f in sympy.Mul.make_args(expr):
        if f.is_Integer or f.is_Symbol:
            continue
        if isinstance(f, sympy.Pow) and f.base.is_Symbol and f.exp.is_Integer and f.exp > 1:
            continue
        if isinstance(f, (sympy.sin, sympy.cos)) and f.args[0].is_Symbol:
            continue
        return False
    return True


def needs_too_much(expr: sympy.Expr) -> bool:
    """Whether :func:`tidy` leaves ``expr`` as it is because of its size.

    Too many operations, or powers of sums whose expansion (which factoring and
    cancelling do internally) would exceed :data:`EXPAND_MAX_TERMS` terms:
    ``(x + 1)**99999`` is short but its expansion is not; or roots that make it a
    polynomial of more than :data:`MAX_ROOT_DEGREE` degrees (:func:`root_degree`).
    """
    if int(sympy.count_ops(expr)) > TIDY_MAX_OPS or expansion_terms(expr) > EXPAND_MAX_TERMS:
        return True
    return root_degree(expr) > MAX_ROOT_DEGREE


def simplest(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of a few equivalent forms of a determinant or a product entry.

    Tries factorisation (which also cancels rational functions) and, when sin and
    cos occur, sin² + cos² = 1 and the angle addition formulas, each followed by
    factorisation. Expressions of more than :data:`SIMPLEST_MAX_TERMS` terms are
    returned as they are.

    >>> from jacobi.lang.parse import symbol
    >>> r, t = symbol("r"), symbol("t")
    >>> simplest(r*sympy.sin(t)**2 + r*sympy.cos(t)**2)
    r
    >>> x, y = symbol("x"), symbol("y")
    >>> simplest(x**2 - 2*x*y + y**2)
    (x - y)**2
    >>> a, b, l1, l2 = (symbol(n) for n in ("a", "b", "l1", "l2"))
    >>> s, c = sympy.sin, sympy.cos
    >>> simplest(l1*l2*(s(a + b)*c(a) - s(a)*c(a + b)))
    l1*l2*sin(b)
    """
    if expr.is_Atom or too_large(expr):
        return expr
    best = _Best(expr, strict=False)
    best.consider(_attempt(sympy.factor, expr))
    for form in trig_forms(expr):
        best.consider(form)
        best.consider(_attempt(sympy.factor, form))
    return sign_inside(best.expr)


def too_large(expr: sympy.Expr) -> bool:
    """Whether :func:`simplest` leaves ``expr`` as it is because of its size."""
    if terms(expr) > SIMPLEST_MAX_TERMS or expansion_terms(expr) > EXPAND_MAX_TERMS:
        return True
    if not isinstance(expr, sympy.Add) and int(sympy.count_ops(expr)) > SIMPLEST_MAX_OPS:
        return True
    return root_degree(expr) > MAX_ROOT_DEGREE


def is_zero(expr: sympy.Expr) -> bool | None:
    """Whether ``expr`` is identically 0: True or False when proved, None when out of bounds.

    Expands (over one denominator for fractions) and applies sin² + cos² = 1 and
    the angle addition formulas; a non-zero result is not a proof of non-zero
    (other identities may apply), so it gives ``None`` too, except for rational
    functions, where expansion decides.

    >>> from jacobi.lang.parse import symbol
    >>> x, t = symbol("x"), symbol("t")
    >>> is_zero((x + 1)**2 - x**2 - 2*x - 1), is_zero(sympy.sin(t)**2 + sympy.cos(t)**2 - 1)
    (True, True)
    >>> is_zero(x**2 - x), is_zero(sympy.exp(x) - x)
    (False, None)
    """
    if expr == 0:
        return True
    if int(sympy.count_ops(expr)) > ZERO_MAX_OPS or expansion_terms(expr) > EXPAND_MAX_TERMS:
        return None
    num = _attempt(lambda: sympy.fraction(sympy.together(expr))[0])
    if num is None:
        return None
    expanded = expand_bounded(num)
    if expanded is None:
        return None
    if expanded == 0:
        return True
    for form in trig_forms(expanded):
        if form == 0:
            return True
    if expr.is_rational_function() and _rational_constants(expanded):
        return False  # over QQ, expansion decides
    return None


def _rational_constants(expr: sympy.Expr) -> bool:
    """Whether every constant in ``expr`` is rational (log(6) - log(2) - log(3) is not, and
    is 0 by an identity that expansion does not apply)."""
    if expr.atoms(sympy.NumberSymbol, sympy.Function):
        return False
    return all(p.exp.is_Integer for p in expr.atoms(sympy.Pow) if p.base.is_number)


def matrix_entries(matrix: sympy.MatrixBase) -> list[tuple[tuple[int, int], sympy.Expr]]:
    """The non-trivial (non-atomic) entries with their positions, without visiting zeros."""
    return [(key, e) for key, e in sparse.nonzero(matrix) if not e.is_Atom]


def tidy_matrix(
    matrix: sympy.MatrixBase, rewrite: Callable[[sympy.Expr], sympy.Expr] = tidy
) -> sympy.ImmutableMatrix:
    """``rewrite`` (by default :func:`tidy`) applied to each non-trivial entry.

    Results with more than :data:`TIDY_MAX_ENTRIES` non-trivial entries are
    returned as they are. Only non-zero entries are visited, so a sparse
    1000×1000 Jacobian costs its non-zeros, not a million element look-ups.
    """
    entries = matrix_entries(matrix)
    if len(entries) > TIDY_MAX_ENTRIES:
        return sparse.apply(matrix, lambda e: e)  # as it is, without a dense copy
    progress.stage("simplifying", len(entries))

    def step(e: sympy.Expr) -> sympy.Expr:
        progress.tick()
        return rewrite(e)

    return sparse.apply(matrix, step, only=lambda e: not e.is_Atom)


def untidied(matrix: sympy.MatrixBase, limit: Callable[[sympy.Expr], bool] = needs_too_much) -> int:
    """How many entries of a tidied result were left as differentiated because of a bound.

    A pure function of the result (an entry left alone is unchanged, so it is
    still over its bound), which lets every format say so the same way.
    """
    entries = matrix_entries(matrix)
    if len(entries) > TIDY_MAX_ENTRIES:
        return len(entries)
    return sum(1 for _, e in entries if limit(e))
